"""Running a built farm for tests and people: in a background thread, or in a child process.

The child process is what the pytest fixture uses: the farm then neither shares the GIL with
the crawler under test nor meets its Twisted reactor.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .manifest import Manifest
from .server.run import FarmServer


@dataclass
class RunningFarm:
    """A served farm: where each portal answers, and the ground truth bound to those URLs."""

    build_dir: Path
    base_urls: dict[str, str]
    control_url: str
    manifest: Manifest = field(init=False)
    _stop: Any = None

    def __post_init__(self) -> None:
        self.manifest = Manifest.load(self.build_dir / "manifest.json").with_base_urls(self.base_urls)

    def url(self, portal: str, path: str = "/") -> str:
        return self.manifest.url(portal, path)

    def reset(self, chaos_seed: int | None = None) -> None:
        """Forget fault counters and the request log (first-request faults fire again); in chaos
        mode also the chaos attempts and fault log, reseeded with ``chaos_seed`` if given."""
        query = f"?chaos_seed={chaos_seed}" if chaos_seed is not None else ""
        urllib.request.urlopen(
            urllib.request.Request(self.control_url + "/reset" + query, method="POST"), timeout=10
        ).read()

    def chaos_faults(self) -> list[dict[str, Any]]:
        """Faults chaos mode injected since the last reset (see sitefarm/server/chaos.py)."""
        with urllib.request.urlopen(self.control_url + "/chaos", timeout=30) as resp:
            return list(json.loads(resp.read())["entries"])

    def requests(self, portal: str | None = None, since: int = 0) -> list[dict[str, Any]]:
        """Requests the farm has answered (method, target, status, ua, referer, t, …)."""
        query = f"?since={since}" + (f"&portal={portal}" if portal else "")
        with urllib.request.urlopen(self.control_url + "/log" + query, timeout=30) as resp:
            return list(json.loads(resp.read())["entries"])

    def stop(self) -> None:
        if self._stop is not None:
            self._stop()
            self._stop = None

    def __enter__(self) -> RunningFarm:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_in_thread(
    build_dir: Path, *, port_base: int = 0, challenge_ttl: float | None = None
) -> RunningFarm:
    """Serve from a daemon thread of this process (handy for small tools; tests use a process)."""
    loop = asyncio.new_event_loop()
    server = FarmServer(build_dir, port_base=port_base, challenge_ttl=challenge_ttl)
    ready = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(server.start())
        except BaseException as exc:
            failure.append(exc)
            ready.set()
            return
        ready.set()
        loop.run_forever()
        loop.run_until_complete(server.stop())
        loop.close()

    thread = threading.Thread(target=run, name="sitefarm", daemon=True)
    thread.start()
    ready.wait(30)
    if failure:
        raise failure[0]

    def stop() -> None:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)

    farm = RunningFarm(build_dir, server.base_urls, server.control_url)
    farm._stop = stop
    return farm


def serve_in_process(
    build_dir: Path,
    *,
    port_base: int = 0,
    challenge_ttl: float | None = None,
    timeout: float = 60.0,
    chaos: str | None = None,
    chaos_log: Path | None = None,
) -> RunningFarm:
    """Serve from a child ``python -m sitefarm serve --build-dir … --ready-json`` process;
    ``chaos`` (``SEED:RATE``) injects seeded faults, logged to ``chaos_log`` (JSONL) if given."""
    cmd = [
        sys.executable,
        "-m",
        "sitefarm",
        "serve",
        "--build-dir",
        str(build_dir),
        "--ready-json",
        "--port-base",
        str(port_base),
    ]
    if challenge_ttl is not None:
        cmd += ["--challenge-ttl", str(challenge_ttl)]
    if chaos is not None:
        cmd += ["--chaos", chaos]
    if chaos_log is not None:
        cmd += ["--chaos-log", str(chaos_log)]
    env = dict(
        os.environ,
        PYTHONPATH=str(Path(__file__).resolve().parent.parent)
        + os.pathsep
        + os.environ.get("PYTHONPATH", ""),
    )
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.PIPE, env=env, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.wait(timeout)
        raise RuntimeError(f"sitefarm serve {build_dir}: exited with {proc.returncode} before it was ready")
    ready = json.loads(line)

    def stop() -> None:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)

    farm = RunningFarm(build_dir, ready["portals"], ready["control"])
    farm._stop = stop
    return farm
