"""SIGKILL a crawl loop at random moments, resume each time: nothing lost, nothing archived twice."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from warcio.archiveiterator import ArchiveIterator

from storage import cdxj, db, repo
from storage.frontier import FrontierRequest
from storage.models import Capture, CrawlRun, Outcome
from storage.recovery import prepare_resume
from storage.warc import series_files
from storage.warcread import read_record
from tests.storage.crawl_sim import PAGES, body_of, crawl

REPO = Path(__file__).resolve().parents[2]


def _start(url: str, archive: Path, run_id: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.storage.crawl_sim", url, str(archive), str(run_id)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.mark.slow
def test_kill_and_resume_loses_and_duplicates_nothing(file_engine: Engine, tmp_path: Path) -> None:
    rng = random.Random(20260201)
    archive = tmp_path / "warc"
    url = file_engine.url.render_as_string(hide_password=False)
    sessions = db.session_factory(file_engine)
    with sessions() as s:
        site = repo.get_or_create_site(s, "farm", "Farm", "http://farm.test/0")
        run = repo.start_run(s, [site])
        repo.frontier_push(s, run.id or 0, [FrontierRequest("http://farm.test/0")])
        s.commit()
        run_id = run.id or 0

    kills = 0
    for _ in range(4):
        proc = _start(url, archive, run_id)
        assert proc.stdout is not None
        wanted = rng.randint(1, 8)
        lines = [proc.stdout.readline() for _ in range(wanted)]
        if not all(lines):  # finished before we could kill it
            proc.wait()
            break
        time.sleep(rng.random() * 0.004)  # land anywhere in the next fetch–write–commit cycle
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        with sessions() as s:
            prepare_resume(s, run_id, archive)
            s.commit()
    assert kills >= 3

    crawl(url, str(archive), run_id)  # finish in-process
    with sessions() as s:
        repo.finish_run(s, s.get(CrawlRun, run_id), Outcome.OK)  # type: ignore[arg-type]
        s.commit()
        captures = s.exec(select(Capture).where(Capture.run_id == run_id)).all()
        assert sorted(c.url for c in captures) == sorted(f"http://farm.test/{i}" for i in range(PAGES))
        assert repo.frontier_counts(s, run_id)["done"] == PAGES
        assert s.get(CrawlRun, run_id).resume_count == kills  # type: ignore[union-attr]
        for c in captures:
            rec = read_record(archive / c.warc_filename, c.warc_offset, c.warc_length)
            assert rec.record_id == c.warc_record_id and rec.url == c.url
            assert rec.payload == body_of(c.url) and rec.digest_ok is True

    files = series_files(archive, "nianbao", run_id)
    responses = 0
    for path in files:
        with path.open("rb") as fh:
            responses += sum(r.rec_type == "response" for r in ArchiveIterator(fh))
        check = subprocess.run(
            [str(Path(sys.executable).with_name("warcio")), "check", str(path)], capture_output=True
        )
        assert check.returncode == 0, path.name
    assert responses == PAGES  # no orphan copy of a page whose capture row was lost
    assert sum(len(cdxj.read(cdxj.index_path(p))) for p in files) == PAGES
