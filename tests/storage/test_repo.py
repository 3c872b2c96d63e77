"""Sites, agencies, runs, captures and conditional-request validators."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from storage import repo
from storage.models import Capture, CrawlRunSite, FrontierState, Outcome, RecordType, Trigger
from storage.warc import WrittenRecord
from storage.warcread import read_record
from tests.storage.conftest import at
from tests.storage.warc_helpers import GBK_HTML, fixed_writer, write_html


def _record(
    name: str = "a.warc.gz", offset: int = 0, rid: str = "<urn:uuid:1>", day: str = "2026-02-01"
) -> WrittenRecord:
    return WrittenRecord(name, offset, 100, rid, at(day), "response", "sha256:AAAA", 10)


def test_sites_and_agencies_are_created_once(session: Session) -> None:
    site = repo.get_or_create_site(session, "bj-chaoyang", "北京市朝阳区人民政府", "http://www.bjchy.gov.cn/")
    again = repo.get_or_create_site(session, "bj-chaoyang", "other", "http://other/")
    assert again.id == site.id and again.name == "北京市朝阳区人民政府"
    a1 = repo.get_or_create_agency(session, site, "北京市 朝阳区人民政府（办公室）")
    a2 = repo.get_or_create_agency(session, site, "北京市朝阳区人民政府(办公室)")
    a3 = repo.get_or_create_agency(session, site, "北京市朝阳区教育委员会")
    assert a1.id == a2.id != a3.id
    assert a1.normalized_name == "北京市朝阳区人民政府(办公室)"
    assert a1.name == "北京市 朝阳区人民政府（办公室）"


def test_agency_name_of_only_punctuation_is_refused() -> None:
    with pytest.raises(ValueError, match="agency name '《 》' is empty"):
        repo.normalize_agency_name("《 》")


def test_run_lifecycle(session: Session) -> None:
    s1 = repo.get_or_create_site(session, "a", "A", "http://a.gov.cn/")
    s2 = repo.get_or_create_site(session, "b", "B", "http://b.gov.cn/")
    run = repo.start_run(
        session,
        [s1, s2],
        trigger=Trigger.SCHEDULE,
        settings={"max_pages": 5},
        operator="scheduler:job-1",
        as_of=at("2026-02-01"),
    )
    assert run.outcome is Outcome.RUNNING and run.pid == os.getpid()
    assert run.software_version  # the package version
    sites = session.exec(select(CrawlRunSite.site_id).where(CrawlRunSite.run_id == run.id)).all()
    assert sorted(sites) == sorted([s1.id, s2.id])
    repo.finish_run(session, run, Outcome.OK, counts={"captures": 12}, ended_at=at("2026-02-01", 5))
    session.commit()
    assert (run.outcome, run.counts, run.pid) == (Outcome.OK, {"captures": 12}, None)
    with pytest.raises(ValueError, match="needs a final outcome"):
        repo.finish_run(session, run, Outcome.RUNNING)
    with pytest.raises(ValueError, match=r"already ended \(ok\)"):
        repo.resume_run(session, run.id or 0)


def test_stale_runs_are_marked_interrupted_and_resume(session: Session) -> None:
    site = repo.get_or_create_site(session, "a", "A", "http://a.gov.cn/")
    dead = repo.start_run(session, [site], started_at=at("2026-02-01", 1))
    alive = repo.start_run(session, [site], started_at=at("2026-02-01", 1))
    repo.heartbeat(session, alive, at("2026-02-01", 4))
    repo.frontier_push(
        session,
        dead.id or 0,
        [repo.FrontierRequest("http://a.gov.cn/1"), repo.FrontierRequest("http://a.gov.cn/2")],
    )
    session.commit()
    claimed = repo.frontier_pop(session, dead.id or 0, "host:1", limit=1)
    assert len(claimed) == 1
    stale = repo.mark_interrupted(session, stale_before=at("2026-02-01", 3))
    assert [r.id for r in stale] == [dead.id]
    assert alive.outcome is Outcome.RUNNING
    resumed = repo.resume_run(session, dead.id or 0)
    session.commit()
    assert resumed.outcome is Outcome.RUNNING and resumed.resume_count == 1
    assert repo.frontier_counts(session, dead.id or 0)[FrontierState.PENDING] == 2


def test_record_capture_is_idempotent_on_record_id(session: Session) -> None:
    site = repo.get_or_create_site(session, "a", "A", "http://a.gov.cn/")
    run = repo.start_run(session, [site])
    c1 = repo.record_capture(
        session, run.id or 0, "http://a.gov.cn/x", _record(), status=200, content_type="text/html"
    )
    c2 = repo.record_capture(session, run.id or 0, "http://a.gov.cn/x", _record(), status=200)
    assert c1 == c2
    assert len(session.exec(select(Capture)).all()) == 1
    c1 = session.get(Capture, c1)
    assert c1 is not None
    assert c1.fetched_at == at("2026-02-01") and c1.payload_digest == "sha256:AAAA" and c1.size == 10


def test_capture_rows_resolve_to_their_warc_records(session: Session, tmp_path: Path) -> None:
    site = repo.get_or_create_site(session, "a", "A", "http://a.gov.cn/")
    run = repo.start_run(session, [site])
    with fixed_writer(tmp_path, run_id=run.id or 0) as w:
        written = write_html(w)
        dom = w.write_rendered("http://www.bjchy.gov.cn/zwgk/ndbg/2025.html", "<p>dom</p>", written.record_id)
    resp = repo.record_capture(
        session,
        run.id or 0,
        "http://www.bjchy.gov.cn/zwgk/ndbg/2025.html",
        written,
        status=200,
        etag='"5f1-abc"',
        discovery_path="LL",
    )
    res = repo.record_capture(
        session,
        run.id or 0,
        "http://www.bjchy.gov.cn/zwgk/ndbg/2025.html",
        dom,
        record_type=RecordType.RESOURCE,
        rendered=True,
        refers_to_capture_id=resp,
    )
    session.commit()
    for cap_id, payload in ((resp, GBK_HTML), (res, b"<p>dom</p>")):
        cap = session.get(Capture, cap_id)
        assert cap is not None
        rec = read_record(tmp_path / cap.warc_filename, cap.warc_offset, cap.warc_length)
        assert rec.record_id == cap.warc_record_id
        assert rec.payload == payload
        assert rec.digest_ok is True and rec.header("WARC-Payload-Digest") == cap.payload_digest
    assert repo.committed_warc_ends(session, run.id or 0) == {written.filename: dom.offset + dom.length}


def test_last_validators_follow_revisits_to_the_payload(session: Session) -> None:
    site = repo.get_or_create_site(session, "a", "A", "http://a.gov.cn/")
    run1 = repo.start_run(session, [site])
    url = "http://a.gov.cn/report.pdf"
    assert repo.last_validators(session, url) is None
    orig = repo.record_capture(
        session,
        run1.id or 0,
        url,
        _record(rid="<urn:uuid:1>"),
        status=200,
        etag='"v1"',
        last_modified="Sat, 01 Feb 2026 00:00:00 GMT",
    )
    repo.record_capture(
        session, run1.id or 0, url, _record(offset=500, rid="<urn:uuid:x>", day="2026-03-01"), status=404
    )
    run2 = repo.start_run(session, [site])
    rev = WrittenRecord("b.warc.gz", 0, 50, "<urn:uuid:2>", at("2027-02-01"), "revisit", "sha256:AAAA", None)
    repo.record_capture(
        session,
        run2.id or 0,
        url,
        rev,
        record_type=RecordType.REVISIT,
        status=304,
        etag='"v2"',
        refers_to_capture_id=orig,
    )
    v = repo.last_validators(session, url)
    assert v is not None
    assert (v.etag, v.last_modified, v.digest) == ('"v2"', "Sat, 01 Feb 2026 00:00:00 GMT", "sha256:AAAA")
    assert v.capture.id == orig
    assert repo.last_validators(session, url, method="POST") is None


def test_times_must_be_aware(session: Session) -> None:
    site = repo.get_or_create_site(session, "a", "A", "http://a.gov.cn/")
    session.commit()
    with pytest.raises(Exception, match="naive datetime"):
        repo.start_run(session, [site], started_at=datetime(2026, 2, 1))
    session.rollback()
    assert repo.start_run(session, [site], started_at=datetime(2026, 2, 1, tzinfo=UTC)).id is not None
