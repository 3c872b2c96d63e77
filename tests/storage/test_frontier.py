"""The database frontier: dedupe, priority order, claims, release on resume, two processes at once."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage import db, repo
from storage.frontier import FrontierRequest, request_fingerprint
from storage.models import FrontierEntry, FrontierState
from tests.storage.conftest import started_run


def test_fingerprint_canonicalises_urls_and_includes_body() -> None:
    assert request_fingerprint("get", "http://a.gov.cn/x?b=2&a=1#top") == request_fingerprint(
        "GET", "http://a.gov.cn/x?a=1&b=2"
    )
    assert request_fingerprint("POST", "http://a.gov.cn/d", b"page=1") != request_fingerprint(
        "POST", "http://a.gov.cn/d", b"page=2"
    )
    assert request_fingerprint("POST", "http://a.gov.cn/d") != request_fingerprint("GET", "http://a.gov.cn/d")


def test_push_dedupes_within_a_batch_and_across_batches(session: Session) -> None:
    run = started_run(session)
    first = [
        FrontierRequest("http://a.gov.cn/1"),
        FrontierRequest("http://a.gov.cn/1#x"),
        FrontierRequest("http://a.gov.cn/2"),
    ]
    assert repo.frontier_push(session, run, first) == 2
    assert (
        repo.frontier_push(
            session, run, [FrontierRequest("http://a.gov.cn/2"), FrontierRequest("http://a.gov.cn/3")]
        )
        == 1
    )
    assert repo.frontier_push(session, run, []) == 0
    other = started_run(session)
    assert repo.frontier_push(session, other, [FrontierRequest("http://a.gov.cn/1")]) == 1  # per run
    session.commit()
    assert repo.frontier_counts(session, run) == {"pending": 3, "in_progress": 0, "done": 0, "failed": 0}


def test_pop_by_priority_then_fifo_and_keeps_request_data(session: Session) -> None:
    run = started_run(session)
    repo.frontier_push(
        session,
        run,
        [
            FrontierRequest("http://a.gov.cn/list?page=2", priority=0, depth=2),
            FrontierRequest(
                "http://a.gov.cn/api",
                method="POST",
                body=b'{"page":1}',
                priority=5,
                depth=1,
                discovered_from="http://a.gov.cn/",
                meta={"role": "pager", "path": "LP"},
            ),
            FrontierRequest("http://a.gov.cn/list?page=3", priority=0),
        ],
    )
    session.commit()
    got = repo.frontier_pop(session, run, "h:1", limit=2)
    assert [e.url for e in got] == ["http://a.gov.cn/api", "http://a.gov.cn/list?page=2"]
    api = got[0]
    assert (api.method, api.body, api.meta, api.depth, api.discovered_from) == (
        "POST",
        b'{"page":1}',
        {"role": "pager", "path": "LP"},
        1,
        "http://a.gov.cn/",
    )
    assert all(
        e.state is FrontierState.IN_PROGRESS and e.lease_owner == "h:1" and e.attempts == 1 for e in got
    )
    assert [e.url for e in repo.frontier_pop(session, run, "h:1", limit=5)] == ["http://a.gov.cn/list?page=3"]
    assert repo.frontier_pop(session, run, "h:1") == []


def test_done_failed_requeue_and_release(session: Session) -> None:
    run = started_run(session)
    repo.frontier_push(session, run, [FrontierRequest(f"http://a.gov.cn/{i}") for i in range(4)])
    session.commit()
    a, b, c, d = repo.frontier_pop(session, run, "h:1", limit=4)
    repo.frontier_done(session, a.id or 0)
    repo.frontier_done(session, b.id or 0, failed=True, error="HTTP 500 three times")
    repo.frontier_requeue(session, c.id or 0, error="429, Retry-After 60")
    session.commit()
    assert repo.frontier_counts(session, run) == {"pending": 1, "in_progress": 1, "done": 1, "failed": 1}
    assert repo.frontier_release(session, run, owner="someone-else") == 0
    assert repo.frontier_release(session, run) == 1  # d, claimed by the dead process
    session.commit()
    again = repo.frontier_pop(session, run, "h:2", limit=5)
    assert sorted(e.url for e in again) == sorted([c.url, d.url])
    assert {e.url: e.attempts for e in again} == {c.url: 2, d.url: 2}
    failed = session.get(FrontierEntry, b.id)
    assert failed is not None and failed.last_error == "HTTP 500 three times"


def _pop_all(url: str, run_id: int, owner: str, start: Any, out: multiprocessing.Queue) -> None:
    engine = db.make_engine(url)
    got: list[int] = []
    with db.session_factory(engine)() as s:
        s.connection()  # connect before the race starts
        start.wait(timeout=30)
        while batch := repo.frontier_pop(s, run_id, owner, limit=3):
            for e in batch:
                repo.frontier_done(s, e.id or 0)
                got.append(e.id or 0)
            s.commit()
            time.sleep(0.001)  # a fetch takes time; lets the other process in between claims
    engine.dispose()
    out.put(got)


@pytest.mark.slow
def test_two_processes_never_claim_the_same_request(file_engine: Engine, tmp_path: Path) -> None:
    with db.session_factory(file_engine)() as s:
        run = started_run(s)
        repo.frontier_push(s, run, [FrontierRequest(f"http://a.gov.cn/{i}") for i in range(300)])
        s.commit()
    url = file_engine.url.render_as_string(hide_password=False)
    file_engine.dispose()
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()
    start = ctx.Barrier(2)
    procs = [ctx.Process(target=_pop_all, args=(url, run, f"p{i}", start, out)) for i in range(2)]
    for p in procs:
        p.start()
    results = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    first, second = (set(r) for r in results)
    assert len(first) + len(second) == 300 == len(first | second)
    assert first and second  # both did work, so the claims really raced
    with db.session_factory(file_engine)() as s:
        assert repo.frontier_counts(s, run)["done"] == 300
