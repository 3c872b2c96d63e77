"""The crawl processes a scheduler has running, so that stopping it stops and awaits them."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from typing import Any


class ChildProcesses:
    """Launches child processes and, on stop, sends each one SIGTERM and waits for it.

    Once :meth:`stop_all` has begun no new child is launched, so a job firing during shutdown
    cannot leave an orphan crawl behind.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: set[subprocess.Popen[bytes]] = set()
        self._stopping = False

    def launch(self, argv: Sequence[str], **popen_kwargs: Any) -> subprocess.Popen[bytes] | None:
        """Start ``argv`` in its own session (a Ctrl-C at the terminal reaches only the scheduler,
        which then sends one SIGTERM; a second signal would make Scrapy stop uncleanly).
        None when stopping."""
        with self._lock:
            if self._stopping:
                return None
            proc = subprocess.Popen(list(argv), start_new_session=True, **popen_kwargs)
            self._procs.add(proc)
            return proc

    def wait(self, proc: subprocess.Popen[bytes]) -> int:
        """Wait for ``proc`` to exit and forget it; its exit status."""
        code = proc.wait()
        with self._lock:
            self._procs.discard(proc)
        return code

    def running(self) -> int:
        with self._lock:
            return sum(1 for p in self._procs if p.poll() is None)

    def stop_all(self, timeout_s: float) -> None:
        """SIGTERM every child, wait up to ``timeout_s`` in all, then SIGKILL what is left.

        A killed crawl's run is found later by its stale heartbeat and resumed.
        """
        with self._lock:
            self._stopping = True
            procs = list(self._procs)
        for proc in procs:
            if proc.poll() is None:
                try:
                    proc.send_signal(signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + timeout_s
        for proc in procs:
            try:
                proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
