"""Which run ``nianbao crawl --resume`` carries on, and the settings it carries on with."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session

from crawler.config import CrawlConfig
from crawler.context import Target
from crawler.resume import ResumeError, recorded_targets, resumable, resumed_config, targets_of
from storage import repo
from storage.models import Outcome


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _runs(session: Session) -> dict[str, int]:
    site = repo.get_or_create_site(session, "a", "A", "http://a.gov.cn/")
    ids = {}
    for name, outcome, pid in [("ok", Outcome.OK, None), ("interrupted", Outcome.INTERRUPTED, None),
                               ("live", Outcome.RUNNING, os.getpid()), ("killed", Outcome.RUNNING, _dead_pid())]:
        run = repo.start_run(session, [site], settings={"targets": [], "years": [2023], "archive_dir": "/x/warc"})
        run.outcome, run.pid = outcome, pid
        session.add(run)
        session.flush()
        assert run.id is not None
        ids[name] = run.id
    session.commit()
    return ids


def test_default_is_the_newest_dead_or_interrupted_run(session: Session) -> None:
    ids = _runs(session)
    assert resumable(session, None).id == ids["killed"]
    assert resumable(session, ids["interrupted"]).id == ids["interrupted"]


@pytest.mark.parametrize(("name", "message"), [("ok", "already ended"), ("live", "still running")])
def test_a_run_that_is_not_interrupted_is_refused(session: Session, name: str, message: str) -> None:
    ids = _runs(session)
    with pytest.raises(ResumeError, match=message):
        resumable(session, ids[name])
    with pytest.raises(ResumeError, match="does not exist"):
        resumable(session, 999)


def test_settings_and_portals_come_from_the_run(session: Session) -> None:
    site = repo.get_or_create_site(session, "a", "A", "http://a.gov.cn/")
    targets = [Target("farm-x", "X", ("http://a.gov.cn/",), frozenset({"a.gov.cn", "b.gov.cn"}), ("http://a.gov.cn/nb/",))]
    run = repo.start_run(session, [site], settings={
        "targets": recorded_targets(targets), "years": [2023, 2024], "archive_dir": "/data/run-warc",
        "max_pages": 50, "concurrency": 99, "obey_robots": False})
    config = resumed_config(CrawlConfig(concurrency=4), run)
    assert config.years == frozenset({2023, 2024}) and config.archive_dir == Path("/data/run-warc")
    assert config.max_pages == 50 and config.obey_robots is False
    assert config.concurrency == 4  # how hard to crawl is the operator's choice now, not the run's
    assert targets_of(run) == targets
