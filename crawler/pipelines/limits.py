"""What one parser worker may cost: address space, CPU seconds per document, wall time.

A hostile or absurd document (a table of cells that each span 200 rows and 200 columns, a
decompression bomb a reader did not see coming, a regex that backtracks for ever) must end as a
one-line parse error, never take the crawl machine down. Each worker process runs with an
address-space limit (``RLIMIT_AS``: an allocation past it is a MemoryError, raised inside the
parse) and, per document, a CPU-seconds limit (``RLIMIT_CPU`` set to the CPU time used so far
plus the allowance; the SIGXCPU it sends is turned into :class:`ParseLimit` in the worker). Wall
time is bounded by the pipeline, which replaces a worker that does not answer in time.
"""

from __future__ import annotations

import os
import resource
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


class ParseLimit(BaseException):
    """A document hit one of the worker's limits; its message is the one-line reason.

    A BaseException, like KeyboardInterrupt: readers catch ``Exception`` to turn a library's
    failure into "damaged PDF (…)", and must not swallow a limit hit that way (seen fuzzing:
    "damaged HTML (ParseLimit: CPU)", and a PDF's next page parsed on after the limit)."""


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 3072
    """Address space of a worker process (0: unlimited). Generous: LibreOffice and tesseract,
    started by the worker, inherit it."""
    cpu_s: float = 120.0
    """CPU seconds one document may take (0: unlimited)."""
    wall_s: float = 600.0
    """Seconds the pipeline waits for one document before replacing its worker (0: for ever)."""


UNLIMITED = Limits(0, 0, 0)


def init_worker(limits: Limits) -> None:
    """Worker initializer: the address-space limit, and SIGXCPU as an exception."""
    if limits.memory_mb:
        size = limits.memory_mb * 2**20
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (size, hard if hard != resource.RLIM_INFINITY and hard < size else size))
    signal.signal(signal.SIGXCPU, _on_xcpu)


def _on_xcpu(signum: int, frame: Any) -> None:
    raise ParseLimit("CPU")


def within_limits(limits: Limits, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``func(*args, **kwargs)`` in a worker with at most ``limits.cpu_s`` more CPU seconds; a
    limit hit raises :class:`ParseLimit` with the reason in words."""
    used = _cpu_seconds()
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if limits.cpu_s:
        allowance = int(used + limits.cpu_s) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (allowance, hard if hard == resource.RLIM_INFINITY or hard > allowance
                                                 else allowance))
    try:
        return func(*args, **kwargs)
    except ParseLimit:
        raise ParseLimit(f"parse stopped: over {limits.cpu_s:g} CPU seconds") from None
    except MemoryError:
        raise ParseLimit(f"parse stopped: over the {limits.memory_mb} MB memory limit") from None
    finally:
        if limits.cpu_s:
            resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def worker_pids(pool: Any) -> list[int]:
    """The process ids of a ProcessPoolExecutor's workers (to replace a worker that hangs)."""
    return [p.pid for p in (getattr(pool, "_processes", None) or {}).values() if p.pid]


def kill_workers(pool: Any) -> None:
    """End a pool whose worker does not answer: kill its processes, then shut it down."""
    for pid in worker_pids(pool):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    pool.shutdown(wait=False, cancel_futures=True)
