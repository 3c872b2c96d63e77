"""Runs whose crawl process died are marked interrupted when a scheduler starts; live ones are not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from crawler.schedule.recovery import dead_runs, interrupt_dead_runs, pid_alive, resumable_runs
from crawler.schedule.runner import SchedulerOptions, run_scheduler
from storage import repo
from storage.coltypes import utcnow
from storage.db import create_all, make_engine
from storage.models import CrawlRun, Outcome, Trigger


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def make_runs(db_url: str) -> dict[str, int]:
    """Runs in every state a scheduler can find at start; name → run id."""
    engine = make_engine(db_url)
    create_all(engine)
    now, old = utcnow(), utcnow() - timedelta(hours=1)
    gone = dead_pid()
    ids = {}
    with Session(engine) as s:
        site = repo.get_or_create_site(s, "farm-trs", "TRS", "http://127.0.0.1:18701/")

        def run(
            name: str,
            started: object,
            pid: int | None,
            host: str | None = None,
            trigger: Trigger = Trigger.SCHEDULE,
        ) -> CrawlRun:
            r = repo.start_run(s, [site], trigger=trigger, started_at=started)  # type: ignore[arg-type]
            r.pid = pid
            if host is not None:
                r.hostname = host
            s.add(r)
            s.flush()
            assert r.id is not None
            ids[name] = r.id
            return r

        run("dead", old, gone)
        run("alive-but-silent", old, os.getpid())
        run("fresh-heartbeat", now, gone)
        run("elsewhere", old, os.getpid(), host="another-host")
        run("manual-dead", old, gone, trigger=Trigger.MANUAL)
        repo.finish_run(s, run("finished", old, None), Outcome.OK)
        s.commit()
    engine.dispose()
    return ids


def outcomes(db_url: str) -> dict[int, str]:
    engine = make_engine(db_url)
    with Session(engine) as s:
        out = {r.id: r.outcome.value for r in s.exec(select(CrawlRun)).all() if r.id is not None}
    engine.dispose()
    return out


def test_pid_alive() -> None:
    assert pid_alive(os.getpid())
    assert not pid_alive(dead_pid())


def test_dead_runs_are_stale_and_without_a_live_local_process(db_url: str) -> None:
    ids = make_runs(db_url)
    engine = make_engine(db_url)
    with Session(engine) as s:
        assert [r.id for r in dead_runs(s)] == [ids["dead"], ids["elsewhere"], ids["manual-dead"]]
        marked = interrupt_dead_runs(s)
        s.commit()
        assert marked == [ids["dead"], ids["elsewhere"], ids["manual-dead"]]
        # Only the scheduler's own interrupted runs are offered for resuming.
        assert resumable_runs(s) == [ids["dead"], ids["elsewhere"]]
        assert dead_runs(s) == []
    engine.dispose()
    got = outcomes(db_url)
    assert got[ids["alive-but-silent"]] == "running"
    assert got[ids["fresh-heartbeat"]] == "running"
    assert got[ids["finished"]] == "ok"
    assert got[ids["dead"]] == got[ids["elsewhere"]] == "interrupted"


def test_scheduler_start_resumes_its_interrupted_runs_once(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = make_runs(db_url)
    out = tmp_path / "launched.jsonl"
    monkeypatch.setenv("FAKE_CRAWL_OUT", str(out))
    fake = (sys.executable, str(Path(__file__).with_name("fake_crawl.py")))
    results: list[object] = []
    for holder in ("scheduler-a", "scheduler-b"):  # a second scheduler must not resume them again
        opts = SchedulerOptions(db_url, tmp_path / "warc", tmp_path / "logs", once=True, poll_s=0.2,
                                crawl_argv=fake, holder=holder)
        t = threading.Thread(target=lambda o=opts: results.append(run_scheduler(o, threading.Event())))
        t.start()
        t.join(60)
    first, second = results
    assert first.interrupted_runs == (ids["dead"], ids["elsewhere"], ids["manual-dead"])  # type: ignore[attr-defined]
    # Only the scheduler's own runs are resumed (a manual crawl is its operator's to resume).
    assert first.resumed_runs == (ids["dead"], ids["elsewhere"])  # type: ignore[attr-defined]
    assert second.resumed_runs == ()  # type: ignore[attr-defined]
    launched = [json.loads(line) for line in out.read_text().splitlines() if '"started"' in line]
    assert sorted(tuple(e["argv"]) for e in launched) == sorted(
        ("--resume", str(ids[name]), "--quiet") for name in ("dead", "elsewhere")
    )
