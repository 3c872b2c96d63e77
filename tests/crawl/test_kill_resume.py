"""Crash-safe resume: a whole-farm crawl SIGKILLed at random points (and once while a resume
is starting up), resumed each time with ``nianbao crawl --resume``, ends with exactly the
captures and reports of the same crawl run without interruption, and WARC files that read.

The kill points come from a seeded generator (``NIANBAO_KILL_SEED`` to try others); they are
chosen by progress (captures committed so far), not by time, so they land mid-crawl on a
fast machine and a slow one alike.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session, select
from warcio.archiveiterator import ArchiveIterator

from sitefarm.serve import RunningFarm
from storage.db import make_engine
from storage.models import (
    Agency,
    Capture,
    CrawlRun,
    FrontierEntry,
    FrontierState,
    HeldDocument,
    Report,
    ReportVersion,
)
from storage.warcread import read_record
from tests.crawl.conftest import FarmCrawl, run_crawl_process

pytestmark = [pytest.mark.slow, pytest.mark.browser]

TRANSIENT = {429, 500, 502, 503, 504}
"""Statuses the farm serves only to the first request(s) of a URL: whether a second process
sees them depends on which of its captures were committed before the kill, so they are left
out of the comparison (every other capture must match one for one)."""


@dataclass
class Killed:
    db_url: str
    archive: Path
    kills: list[str]
    """What each kill interrupted, for failure messages."""
    final_exit: int
    final_output: str


def _captures_so_far(db_path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM captures").fetchone()[0])
    except sqlite3.Error:  # not created yet
        return 0


def _launch(folder: Path, args: list[str]) -> subprocess.Popen[bytes]:
    """A crawl process in its own process group (its parser workers and browser join it)."""
    env = dict(os.environ, NIANBAO_LOG_DIR=str(folder / "logs"), NIANBAO_OPERATOR="pytest",
               NIANBAO_ALLOW_INTERNAL="127.0.0.1/32")
    with (folder / "output.txt").open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "crawler", "crawl", *args, "--quiet"], cwd=folder,
                                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _group_gone(pgid: int, within: float = 15.0) -> bool:
    """True once no process of the group is left (a killed crawl's helpers must die with it)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    os.killpg(pgid, signal.SIGKILL)
    return False


def _kill_when(proc: subprocess.Popen[bytes], done: object, timeout: float = 600) -> str | None:
    """SIGKILL the crawl process (only it, as the OOM killer would) once ``done()`` is true;
    None if it ended first, else "" or what it left behind."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return None
        if done():  # type: ignore[operator]
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return "" if _group_gone(proc.pid) else "; left processes behind"
        time.sleep(0.05)
    proc.kill()
    raise AssertionError("crawl did not reach its kill point in time")


class _After:
    """True once ``seconds`` have passed since the first call."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.start: float | None = None

    def __call__(self) -> bool:
        self.start = self.start or time.monotonic()
        return time.monotonic() - self.start > self.seconds


@pytest.fixture(scope="module")
def whole_and_killed(sitefarm: RunningFarm, tmp_path_factory: pytest.TempPathFactory) -> tuple[FarmCrawl, Killed]:
    seed = int(os.environ.get("NIANBAO_KILL_SEED", "20261121"))
    rng = random.Random(seed)
    whole_dir = tmp_path_factory.mktemp("whole")
    sitefarm.reset()
    whole = run_crawl_process(sitefarm, f"sqlite:///{whole_dir / 'nianbao.sqlite'}", whole_dir)
    total = _captures_so_far(whole_dir / "nianbao.sqlite")

    folder = tmp_path_factory.mktemp("killed")
    db_path = folder / "nianbao.sqlite"
    db = ["--db", f"sqlite:///{db_path}"]
    sitefarm.reset()
    urls = [sitefarm.manifest.home_url(p.id) for p in sitefarm.manifest.portals]
    first, second, third = sorted(rng.uniform(0.1, 0.9) * total for _ in range(3))
    kills = []
    # 1. mid-crawl, 2. while the first resume is starting up (recovering the WARC, replaying),
    # 3. and 4. mid-crawl again.
    plan: list[tuple[list[str], str, object]] = [
        ([*urls, *db, "--archive", str(folder / "warc")], f"after {first:.0f} captures",
         lambda: _captures_so_far(db_path) >= first),
    ]
    startup = rng.uniform(0.5, 2.5)
    plan.append((["--resume", *db], f"{startup:.1f} s into a resume", _After(startup)))
    plan.append((["--resume", *db], f"after {second:.0f} captures", lambda: _captures_so_far(db_path) >= second))
    plan.append((["--resume", "1", *db], f"after {third:.0f} captures", lambda: _captures_so_far(db_path) >= third))
    for args, what, when in plan:
        proc = _launch(folder, args)
        left = _kill_when(proc, when)
        kills.append(what + left if left is not None else f"{what}: ended first (exit {proc.returncode})")
    proc = _launch(folder, ["--resume", *db])
    proc.wait(timeout=900)
    out = (folder / "output.txt").read_text(errors="replace")
    killed = Killed(f"sqlite:///{db_path}", folder / "warc", kills, proc.returncode, out)
    print(f"kill seed {seed}: {kills}")
    return whole, killed


def _capture_counts(db_url: str) -> Counter[tuple[str, str, int | None, str]]:
    engine = make_engine(db_url)
    with Session(engine) as s:
        rows = s.exec(select(Capture.method, Capture.url, Capture.status, Capture.record_type)).all()
    engine.dispose()
    return Counter((m, u, st, str(rt)) for m, u, st, rt in rows if st not in TRANSIENT)


def _reports(db_url: str) -> set[tuple[str, int, int, str]]:
    engine = make_engine(db_url)
    with Session(engine) as s:
        rows = s.exec(select(Agency.name, Report.year, ReportVersion.number, ReportVersion.values_digest)
                      .join(Report, Report.agency_id == Agency.id)
                      .join(ReportVersion, ReportVersion.report_id == Report.id)).all()
    engine.dispose()
    return set(rows)


def test_each_kill_hit_a_running_crawl_and_left_nothing_running(whole_and_killed: tuple[FarmCrawl, Killed]) -> None:
    _, killed = whole_and_killed
    assert all("ended first" not in k and "left" not in k for k in killed.kills), killed.kills


def test_resumed_crawl_finishes_as_one_run(whole_and_killed: tuple[FarmCrawl, Killed]) -> None:
    whole, killed = whole_and_killed
    assert whole.exit_code in (0, 4, 5), whole.output[-2000:]
    assert killed.final_exit in (0, 4, 5), killed.final_output[-3000:]
    engine = make_engine(killed.db_url)
    with Session(engine) as s:
        runs = s.exec(select(CrawlRun)).all()
        left = s.exec(select(FrontierEntry).where(FrontierEntry.state == FrontierState.PENDING)).all()
        held = s.exec(select(HeldDocument)).all()
    engine.dispose()
    assert [(r.id, r.outcome.value) for r in runs] == [(1, "ok")]
    # Every resume that got past start-up counts (the one killed during start-up may not have).
    assert runs[0].resume_count in (3, 4), runs[0].resume_count
    assert not left, f"{len(left)} requests still pending, e.g. {left[0].url}"
    assert not held, f"{len(held)} report documents still held, e.g. {held[0].url}"


def test_same_captures_as_an_uninterrupted_crawl(whole_and_killed: tuple[FarmCrawl, Killed]) -> None:
    whole, killed = whole_and_killed
    expected = _capture_counts(whole.db_url)
    got = _capture_counts(killed.db_url)
    missing = expected - got
    extra = got - expected
    assert not missing and not extra, (
        f"kills: {killed.kills}\nmissing {sum(missing.values())}: {list(missing)[:5]}\n"
        f"extra (fetched twice or more) {sum(extra.values())}: {list(extra)[:5]}"
    )


def test_same_reports_as_an_uninterrupted_crawl(whole_and_killed: tuple[FarmCrawl, Killed]) -> None:
    whole, killed = whole_and_killed
    expected = _reports(whole.db_url)
    got = _reports(killed.db_url)
    assert len(expected) > 400
    assert got == expected, f"missing {sorted(expected - got)[:5]}, extra {sorted(got - expected)[:5]}"


def test_run_figures_add_up_across_the_killed_processes(whole_and_killed: tuple[FarmCrawl, Killed]) -> None:
    whole, killed = whole_and_killed
    figures = {}
    for name, url in (("whole", whole.db_url), ("killed", killed.db_url)):
        engine = make_engine(url)
        with Session(engine) as s:
            run = s.exec(select(CrawlRun)).one()
            figures[name] = (run.counts, len(s.exec(select(Capture.id)).all()))
        engine.dispose()
    (whole_counts, whole_rows), (counts, rows) = figures["whole"], figures["killed"]
    # Saved with every commit, so they match the rows committed with them.
    assert counts["captures"] == rows and whole_counts["captures"] == whole_rows
    assert counts["reports"] == whole_counts["reports"], (counts, whole_counts)
    # Pages the spider handled, counted with each request's finish: each exactly once in the run.
    assert counts["pages"] == whole_counts["pages"] > 500, (counts, whole_counts)


def test_warc_files_read_back_after_kills(whole_and_killed: tuple[FarmCrawl, Killed]) -> None:
    _, killed = whole_and_killed
    engine = make_engine(killed.db_url)
    with Session(engine) as s:
        captures = s.exec(select(Capture)).all()
    engine.dispose()
    for cap in captures:
        rec = read_record(killed.archive / cap.warc_filename, cap.warc_offset, cap.warc_length)
        assert rec.record_id == cap.warc_record_id
        assert rec.digest_ok is not False, f"capture {cap.id} {cap.url}: digest mismatch"
    files = sorted(killed.archive.glob("*.warc.gz"))
    assert len(files) >= 2, "each process writes its own file of the run's series"
    warcio = Path(sys.executable).with_name("warcio")
    for f in files:
        run = subprocess.run([str(warcio), "check", str(f)], capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr
    for f in files:  # every record in every file belongs to a capture the store knows: nothing orphaned
        with f.open("rb") as fh:
            records = [(r.rec_type, r.rec_headers.get_header("WARC-Record-ID"),
                        r.rec_headers.get_header("WARC-Concurrent-To")) for r in ArchiveIterator(fh)]
        known = {c.warc_record_id for c in captures if c.warc_filename == f.name}
        captured = [rid for kind, rid, _ in records if kind in ("response", "revisit", "resource")]
        assert sorted(captured) == sorted(known), f"{f.name}: records without a capture row"
        requests = [to for kind, _, to in records if kind == "request"]
        assert set(requests) <= known, f"{f.name}: request records of no capture"
