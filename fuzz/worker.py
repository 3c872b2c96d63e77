"""One fuzz input through the whole parser, in a worker process under the crawl's limits.

:func:`classify` runs ``parse_report`` (every reader, then the report mapper) the way the
crawl's parser workers do, within :mod:`crawler.pipelines.limits`, and sorts what happened:

``ok``        a clean ParseResult (its JSON form built too, as ``nianbao parse --json`` does)
``rejected``  a DocumentError naming the problem
``masked``    a DocumentError made by ``read_document``'s last-resort handler from a library
              exception (``damaged PDF (KeyError: …)``): handled, but counted by type
``limit``     a ParseLimit (CPU seconds, address space) or the reader's own out-of-memory error
``crash``     anything else: an uncaught exception, the traceback kept

The pool (:mod:`fuzz.pool`) adds ``timeout`` (no answer within the wall time; the worker is
killed) and ``died`` (the worker process ended, e.g. a segfault in a C library).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import resource
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from crawler.pipelines.limits import Limits, ParseLimit, init_worker, within_limits

if TYPE_CHECKING:
    from crawler.reports import ParseResult

#: ``read_document``'s last-resort message: "damaged PDF (KeyError: 'x')".
_MASKED = re.compile(r"^damaged [\w ]+ \(([A-Z]\w*): ")
UNCAUGHT = ("crash", "died")


@dataclass(frozen=True)
class Outcome:
    """What one input did."""

    kind: str
    """ok, rejected, masked, limit, crash, timeout or died (see the module docstring)."""
    detail: str = ""
    """The error message, or the exception type for ``masked`` and ``crash``."""
    trace: str = ""
    """The traceback of a crash."""
    wall_s: float = 0.0
    """Seconds the parse took."""
    rss_kb: int = 0
    """Peak resident set of the worker and of the processes it started, so far (KB)."""


def classify(data: bytes, name: str, *, ocr: bool, limits: Limits,
             parse: Callable[..., ParseResult] | None = None) -> Outcome:
    """Parse ``data`` as file ``name`` within ``limits`` and say what happened; ``parse``
    (default ``parse_report``) is replaced only to test the harness."""
    from crawler.documents.model import DocumentError
    from crawler.reports import parse_report

    start = time.perf_counter()
    try:
        result = within_limits(limits, parse or parse_report, data, name, ocr=ocr)
        json.dumps(result.to_json(), ensure_ascii=False)
        kind, detail, trace = "ok", result.template or "", ""
    except DocumentError as e:
        masked = _MASKED.match(e.problem)
        if "needs more memory" in e.problem:
            kind, detail, trace = "limit", e.problem, ""
        elif masked:
            kind, detail, trace = "masked", masked.group(1), ""
        else:
            kind, detail, trace = "rejected", e.problem, ""
    except ParseLimit as e:
        kind, detail, trace = "limit", str(e), ""
    except MemoryError:  # raised outside within_limits' own handler (building the JSON)
        kind, detail, trace = "limit", "MemoryError", ""
    except Exception as e:
        kind, detail, trace = "crash", f"{type(e).__name__}: {str(e)[:200]}", traceback.format_exc()
    return Outcome(kind, detail, trace, time.perf_counter() - start, peak_rss_kb())


def peak_rss_kb() -> int:
    """The largest resident set this process or any process it waited for reached (KB)."""
    return max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )


def serve(conn: Connection, limits: Limits, target: str | None = None) -> None:
    """Worker process main loop: (name, data, ocr) in, :class:`Outcome` out, until ``None``.

    ``target`` ("module:function", called like ``parse_report``) replaces the parser.
    """
    init_worker(limits)
    # xlrd and pdfminer print warnings about damaged files to stdout/stderr: not our output
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    import crawler.documents.html
    import crawler.reports  # noqa: F401

    parse = None
    if target:
        module, _, func = target.partition(":")
        parse = getattr(importlib.import_module(module), func)

    while True:
        task: Any = conn.recv()
        if task is None:
            return
        name, data, ocr = task
        conn.send(classify(data, name, ocr=ocr, limits=limits, parse=parse))
