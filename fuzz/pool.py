"""Worker processes for the fuzz run: each input bounded in wall time, a hang or death counted.

Unlike a ``ProcessPoolExecutor``, one worker that hangs or dies is replaced alone, and the
input it held is recorded as ``timeout`` or ``died``; the other worker goes on. Workers are
also replaced after :data:`RECYCLE` inputs, so a slow leak in a C library cannot turn later
inputs into false memory-limit hits.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from typing import Any

from crawler.pipelines.limits import Limits
from fuzz.worker import Outcome, serve

RECYCLE = 2000


@dataclass(frozen=True)
class Task:
    """One input to parse."""

    index: int
    family: str
    name: str
    data: bytes
    ocr: bool
    wall_s: float
    """Seconds the input may take before its worker is killed."""


class _Worker:
    def __init__(self, limits: Limits, target: str | None) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process: BaseProcess = ctx.Process(target=serve, args=(child, limits, target), daemon=True)
        self.process.start()
        child.close()
        self.task: Task | None = None
        self.deadline = 0.0
        self.done = 0

    def give(self, task: Task) -> None:
        self.task = task
        self.deadline = time.monotonic() + task.wall_s
        self.conn.send((task.name, task.data, task.ocr))

    def kill(self) -> None:
        if self.process.pid and self.process.is_alive():
            # the worker's own children (soffice, tesseract) are in their own sessions or end on EOF
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.join()
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(5)
        self.kill()


def run_tasks(tasks: Iterator[Task], workers: int, limits: Limits,
              on_result: Callable[[Task, Outcome], Any], target: str | None = None) -> None:
    """Parse every task on ``workers`` processes, calling ``on_result`` in the parent for each;
    ``target`` ("module:function") replaces ``parse_report`` (see :func:`fuzz.worker.serve`)."""
    pool = [_Worker(limits, target) for _ in range(workers)]
    exhausted = False
    try:
        while True:
            for i, w in enumerate(pool):
                if w.task is None and not exhausted:
                    if w.done >= RECYCLE:
                        w.stop()
                        pool[i] = w = _Worker(limits, target)
                    task = next(tasks, None)
                    if task is None:
                        exhausted = True
                    else:
                        w.give(task)
            busy = [w for w in pool if w.task is not None]
            if not busy:
                return
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = wait([w.conn for w in busy], timeout)
            now = time.monotonic()
            for i, w in enumerate(pool):
                task = w.task
                if task is None:
                    continue
                outcome: Outcome | None = None
                if w.conn in ready:
                    try:
                        outcome = w.conn.recv()
                    except (EOFError, OSError):
                        w.process.join(1)
                        code = w.process.exitcode
                        outcome = Outcome("died", f"worker exit code {code}", wall_s=task.wall_s)
                elif now >= w.deadline:
                    outcome = Outcome("timeout", f"no answer in {task.wall_s:g} s", wall_s=task.wall_s)
                if outcome is None:
                    continue
                w.task = None
                w.done += 1
                if outcome.kind in ("died", "timeout"):
                    w.kill()
                    pool[i] = _Worker(limits, target)
                on_result(task, outcome)
    finally:
        for w in pool:
            w.stop()
