"""What one commit of a crawl writes to the frontier: queued and finished requests, held and
released report documents — in an order that survives every interleaving the crawl produces."""

from __future__ import annotations

from sqlmodel import Session, select

from crawler.frontier.ledger import FrontierLedger
from crawler.items import ReportDocument
from storage.frontier import FrontierRequest, frontier_entries, frontier_urls
from storage.held import held_documents
from storage.models import FrontierEntry, FrontierState
from tests.storage.conftest import started_run


def _doc(report_url: str, url: str, role: str = "attachment") -> dict[str, object]:
    return ReportDocument(report_url, url, role, b"", None, "<urn:uuid:1>", "a").held()


def test_a_request_queued_and_finished_in_one_commit_is_done(session: Session) -> None:
    run = started_run(session)
    ledger = FrontierLedger(run)
    ledger.push(FrontierRequest("http://a.gov.cn/1", fingerprint="f1"))
    ledger.push(FrontierRequest("http://a.gov.cn/2", fingerprint="f2"))
    ledger.finish("f1")
    ledger.flush(session)
    session.commit()
    states = dict(session.exec(select(FrontierEntry.fingerprint, FrontierEntry.state)).all())
    assert states == {"f1": FrontierState.DONE, "f2": FrontierState.PENDING}
    assert len(ledger) == 0


def test_failure_reason_wins_and_is_stored(session: Session) -> None:
    run = started_run(session)
    ledger = FrontierLedger(run)
    ledger.push(FrontierRequest("http://a.gov.cn/x", fingerprint="fx"))
    ledger.flush(session)
    ledger.finish("fx", "IgnoreRequest: Forbidden by robots.txt")
    ledger.finish("fx")  # a later plain finish must not hide the failure
    ledger.flush(session)
    session.commit()
    entry = session.exec(select(FrontierEntry)).one()
    assert entry.state is FrontierState.FAILED and entry.last_error == "IgnoreRequest: Forbidden by robots.txt"


def test_resume_sees_continuations_and_unfinished_requests_in_queue_order(session: Session) -> None:
    run = started_run(session)
    ledger = FrontierLedger(run)
    ledger.push(FrontierRequest("http://a.gov.cn/low", priority=1, fingerprint="low"))
    ledger.push(FrontierRequest("http://a.gov.cn/high", priority=9, fingerprint="high"))
    ledger.push(FrontierRequest("http://a.gov.cn/done", fingerprint="done"))
    ledger.push(FrontierRequest("http://a.gov.cn/moved", fingerprint="moved", meta={"continues": "done"},
                                state=FrontierState.DONE))
    ledger.finish("done")
    ledger.flush(session)
    session.commit()
    seen, todo = frontier_entries(session, run)
    assert seen == {"low": None, "high": None, "done": None, "moved": "done"}
    assert [e.fingerprint for e in todo] == ["high", "low"]
    assert frontier_urls(session, run) == ["http://a.gov.cn/low", "http://a.gov.cn/high", "http://a.gov.cn/done"]


def test_held_documents_are_released_with_their_report(session: Session) -> None:
    run = started_run(session)
    ledger = FrontierLedger(run)
    ledger.hold(_doc("http://a.gov.cn/r1", "http://a.gov.cn/r1", "html_body"))
    ledger.hold(_doc("http://a.gov.cn/r2", "http://a.gov.cn/r2", "html_body"))
    ledger.flush(session)
    session.commit()
    # r1's attachment arrives, r1 is stored and released, all before the next commit
    ledger.hold(_doc("http://a.gov.cn/r1", "http://a.gov.cn/r1.pdf"))
    ledger.release("http://a.gov.cn/r1")
    ledger.flush(session)
    session.commit()
    assert [d["url"] for d in held_documents(session, run)] == ["http://a.gov.cn/r2"]


def test_a_report_held_again_after_its_release_stays_held(session: Session) -> None:
    run = started_run(session)
    ledger = FrontierLedger(run)
    ledger.hold(_doc("http://a.gov.cn/r", "http://a.gov.cn/r", "html_body"))
    ledger.flush(session)
    ledger.release("http://a.gov.cn/r")
    ledger.hold(_doc("http://a.gov.cn/r", "http://a.gov.cn/r.pdf"))  # reposted: a new group
    ledger.flush(session)
    session.commit()
    assert [d["url"] for d in held_documents(session, run)] == ["http://a.gov.cn/r.pdf"]
    back = ReportDocument.from_held(held_documents(session, run)[0], b"%PDF")
    assert back.role == "attachment" and back.body == b"%PDF" and back.attachments == ()
