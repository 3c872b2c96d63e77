"""Yearly re-crawl with time travel: the farm as of 2026-02-01, then as of 2027-02-01 on the
same addresses. The second run stores new bytes only for what changed (revisits for the rest)
and the store shows new reports, the edited report's two versions with the right field diff,
the removed report gone and the moved report kept as the same report."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlmodel import Session, select

from sitefarm.build import ensure_build
from sitefarm.config import FarmConfig
from sitefarm.serve import serve_in_process
from storage.changes import changes_since
from storage.db import make_engine
from storage.models import Agency, Capture, RecordType, Report, ReportStatus, ReportVersion
from storage.repo import normalize_agency_name
from tests.crawl.conftest import run_crawl_process

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _free_base(count: int) -> int:
    for base in range(20000, 60000, 97):
        try:
            socks = []
            for i in range(count):
                s = socket.socket()
                s.bind(("127.0.0.1", base + i))
                socks.append(s)
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free port range")


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("time-travel")
    db_url = f"sqlite:///{folder / 'nianbao.sqlite'}"
    builds = [ensure_build(FarmConfig.parse(as_of=day)) for day in ("2026-02-01", "2027-02-01")]
    base = _free_base(8)
    runs = []
    farms = []
    for build in builds:
        farm = serve_in_process(build, port_base=base)
        try:
            runs.append(run_crawl_process(farm, db_url, folder))
        finally:
            farm.stop()
        farms.append(farm)
    return farms, runs, db_url, folder


def _report(session: Session, farm, report_id: str) -> Report:  # type: ignore[no-untyped-def]
    entry = farm.manifest.report(report_id)
    for agency in session.exec(select(Agency)).all():
        if normalize_agency_name(agency.name) == normalize_agency_name(entry.agency):
            found = session.exec(select(Report).where(Report.agency_id == agency.id, Report.year == entry.year)).first()
            if found is not None:
                return found
    raise AssertionError(f"{report_id} not stored")


def test_both_runs_finish(two_years) -> None:  # type: ignore[no-untyped-def]
    _, runs, _, _ = two_years
    assert [r.exit_code in (0, 4, 5) for r in runs] == [True, True], runs[-1].output[-2000:]


def test_second_run_stores_revisits_for_unchanged_pages(two_years) -> None:  # type: ignore[no-untyped-def]
    _, _, db_url, _ = two_years
    engine = make_engine(db_url)
    with Session(engine) as s:
        second = s.exec(select(Capture).where(Capture.run_id == 2)).all()
    engine.dispose()
    revisits = [c for c in second if c.record_type is RecordType.REVISIT]
    fresh = [c for c in second if c.record_type is RecordType.RESPONSE and c.status == 200]
    assert len(revisits) > len(fresh), f"{len(revisits)} revisits, {len(fresh)} new responses"
    assert all(c.refers_to_capture_id for c in revisits)


def test_changes_are_classified(two_years) -> None:  # type: ignore[no-untyped-def]
    farms, _, db_url, _ = two_years
    new_farm = farms[1]
    window = [c for c in new_farm.manifest.changes if "2026-02-01" < c.date <= "2027-02-01"]
    kinds = {c.kind: c for c in window}
    assert {"edited", "removed", "moved"} <= set(kinds), window
    engine = make_engine(db_url)
    with Session(engine) as s:
        edited = _report(s, new_farm, kinds["edited"].report)
        versions = s.exec(select(ReportVersion).where(ReportVersion.report_id == edited.id)
                          .order_by(ReportVersion.number)).all()
        assert len(versions) == 2 and edited.status is ReportStatus.CHANGED
        changed_keys = {k for k in versions[1].values if versions[0].values.get(k) != versions[1].values.get(k)}
        entry = new_farm.manifest.report(kinds["edited"].report)
        assert changed_keys, "an edit with no field difference"
        assert all(versions[1].values[k] == entry.values[k] for k in changed_keys)

        removed = _report(s, farms[0], kinds["removed"].report)  # no longer in the 2027 manifest
        assert removed.status is ReportStatus.GONE
        moved = _report(s, new_farm, kinds["moved"].report)
        assert moved.status is not ReportStatus.GONE and moved.latest_version == 1

        new_ones = [r for r in new_farm.manifest.reports if "2026-02-01" < r.published <= "2027-02-01"]
        assert new_ones
        for r in new_ones[:20]:
            assert _report(s, new_farm, r.id).status is ReportStatus.NEW

        events = changes_since(s, run_id=2)
    engine.dispose()
    by_kind = {e.kind for e in events}
    assert {"new", "changed", "gone"} <= by_kind
    diff = next(e for e in events if e.kind == "changed").diff
    assert diff and all(d.before != d.after for d in diff)


def test_archive_is_readable_across_runs(two_years) -> None:  # type: ignore[no-untyped-def]
    _, _, _, folder = two_years
    files = sorted(Path(folder / "warc").glob("*.warc.gz"))
    assert {f.name.split("-")[1] for f in files} == {"1", "2"}
