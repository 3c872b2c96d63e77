"""Crawl child processes: stopped with SIGTERM and awaited, killed only past the timeout, none started once stopping."""

from __future__ import annotations

import sys
import time

from crawler.schedule.children import ChildProcesses

SLEEPER = "import time; time.sleep(30)"
STUBBORN = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(30)"


def test_stop_all_terminates_and_refuses_new_children() -> None:
    children = ChildProcesses()
    proc = children.launch([sys.executable, "-c", SLEEPER])
    assert proc is not None and children.running() == 1
    t0 = time.monotonic()
    children.stop_all(timeout_s=10)
    assert time.monotonic() - t0 < 5
    assert proc.returncode == -15  # SIGTERM
    assert children.launch([sys.executable, "-c", SLEEPER]) is None
    assert children.running() == 0


def test_a_child_ignoring_sigterm_is_killed_after_the_timeout() -> None:
    import subprocess

    children = ChildProcesses()
    proc = children.launch([sys.executable, "-c", STUBBORN], stdout=subprocess.PIPE)
    assert proc is not None and proc.stdout is not None
    assert proc.stdout.readline() == b"ready\n"
    t0 = time.monotonic()
    children.stop_all(timeout_s=0.5)
    assert 0.4 < time.monotonic() - t0 < 5
    assert proc.returncode == -9  # SIGKILL
    proc.stdout.close()


def test_wait_forgets_a_finished_child() -> None:
    children = ChildProcesses()
    proc = children.launch([sys.executable, "-c", "raise SystemExit(4)"])
    assert proc is not None
    assert children.wait(proc) == 4
    assert children.running() == 0
