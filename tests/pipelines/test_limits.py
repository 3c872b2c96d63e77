"""Parser workers run within limits: a document that needs too much memory or CPU ends as a
one-line parse error and the worker goes on with the next; a worker that hangs is replaced."""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import pytest

from crawler.items import ReportDocument
from crawler.pipelines.limits import Limits, ParseLimit, kill_workers, within_limits, worker_pids
from crawler.pipelines.reports import _parse, start_worker

pytestmark = pytest.mark.slow


def _pool(limits: Limits) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=start_worker, initargs=(os.getpid(), limits))


def _doc(body: bytes, name: str = "report.html") -> ReportDocument:
    return ReportDocument(report_url="http://127.0.0.1/r.html", url="http://127.0.0.1/" + name, role="html_body",
                          body=body, content_type="text/html; charset=utf-8", capture_record=None, site_key="t",
                          filename=name)


def _span_bomb(n: int = 200, span: int = 200) -> bytes:
    """The probe's page: a table of n×n cells, each spanning ``span`` rows and columns."""
    row = "<tr>" + f'<td rowspan="{span}" colspan="{span}">1</td>' * n + "</tr>"
    return ("<html><head><meta charset='utf-8'><title>某县2024年政府信息公开工作年度报告</title></head><body>"
            "<h1>某县2024年政府信息公开工作年度报告</h1><table>" + row * n + "</table></body></html>").encode()


def _busy(seconds: float) -> str:
    end = time.monotonic() + seconds
    x = 0
    while time.monotonic() < end:
        x += 1
    return "done"


def _cpu_bound(limits: Limits) -> str:
    return within_limits(limits, _busy, 30.0)


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


GOOD = ("<html><head><meta charset='utf-8'><title>某县2024年政府信息公开工作年度报告</title></head><body>"
        "<h1>某县2024年政府信息公开工作年度报告</h1><p>本年度共收到政府信息公开申请5件。</p></body></html>").encode()


def test_a_table_of_absurd_spans_is_a_parse_error_within_the_memory_limit() -> None:
    limits = Limits(memory_mb=700, cpu_s=60, wall_s=0)
    with _pool(limits) as pool:
        started = time.monotonic()
        bomb = pool.submit(_parse, _doc(_span_bomb()), False, limits).result(timeout=120)
        took = time.monotonic() - started
        assert bomb.result is None and bomb.error, bomb
        # refused by the table-size cap; without it the worker's memory limit ends it
        assert bomb.error in ("HTML holds a table covering more than 1,000,000 cells: refused",
                              "HTML needs more memory than the parser may use") or "over the" in bomb.error, bomb.error
        # the same worker goes on with the next document
        good = pool.submit(_parse, _doc(GOOD), False, limits).result(timeout=60)
    assert good.error is None and good.result is not None
    print(f"\nspan bomb: {bomb.error!r} after {took:.1f} s")


def test_cpu_seconds_per_document_are_bounded() -> None:
    limits = Limits(memory_mb=0, cpu_s=2, wall_s=0)
    with _pool(limits) as pool:
        started = time.monotonic()
        with pytest.raises(ParseLimit, match="over 2 CPU seconds"):
            pool.submit(_cpu_bound, limits).result(timeout=60)
        assert time.monotonic() - started < 25
        # the allowance is per document: the worker still has CPU for the next one
        assert pool.submit(within_limits, limits, _busy, 0.5).result(timeout=30) == "done"


def test_a_worker_that_hangs_is_killed() -> None:
    pool = _pool(Limits(0, 0, 0))
    job = pool.submit(_sleep, 60)
    with pytest.raises(FutureTimeout):
        job.result(timeout=3)
    pids = worker_pids(pool)
    assert pids
    kill_workers(pool)
    time.sleep(0.5)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
