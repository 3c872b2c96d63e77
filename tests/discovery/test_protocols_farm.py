"""List protocols against the site farm on loopback: the plan's requests, sent as planned, bring
back every record of the list (crawler.discovery.protocols with real HTTP answers)."""

from __future__ import annotations

from crawler.discovery.pagination import datastore_records, record_links
from crawler.discovery.protocols import PageRequest, plan_list, read_answer
from sitefarm.serve import RunningFarm
from tests.sitefarm.walker import decode, fetch


def _walk(url: str) -> tuple[str | None, list[str], list[tuple[str, str]]]:
    """Plan the list at ``url`` and fetch every planned and implied request (at most 100):
    the family, the kinds fetched, the records the answers listed."""
    plan = plan_list(url, decode(fetch(url)))
    queue: list[PageRequest] = list(plan.requests)
    kinds: list[str] = []
    items: list[tuple[str, str]] = []
    done: set[tuple[str, str | None]] = set()
    while queue and len(done) < 100:
        req = queue.pop(0)
        if (req.url, req.body) in done:
            continue
        done.add((req.url, req.body))
        got = fetch(req.url, method=req.method, data=req.body.encode() if req.body else None, headers=req.headers)
        assert got.status == 200, (req, got.status)
        kinds.append(req.kind)
        answer = read_answer(req.kind, req.url, decode(got))
        items += answer.items
        queue += answer.next
    return plan.family, kinds, items


def test_trs_was5_pages_past_the_static_ones(sitefarm: RunningFarm) -> None:
    trap = next(t for t in sitefarm.manifest.traps if t.kind == "static-page-limit")
    family, kinds, items = _walk(sitefarm.url("trs", trap.path + "index.html"))
    assert family == "trs-was5"
    assert kinds.count("list") == trap.detail["static_pages"]
    assert len(set(items)) == trap.detail["items_beyond"]


def test_gkmlpt_api_pages(sitefarm: RunningFarm) -> None:
    reports = sitefarm.manifest.reports_of("gkmlpt")
    family, kinds, items = _walk(sitefarm.url("gkmlpt", reports[0].column))
    assert family == "gkmlpt" and set(kinds) == {"json"} and len(kinds) >= 2
    assert len({u for u, _ in items}) == len(reports)


def test_hanweb_jpage_embedded_plus_dataproxy(sitefarm: RunningFarm) -> None:
    reports = sitefarm.manifest.reports_of("hanweb")
    url = sitefarm.url("hanweb", reports[0].column)
    embedded = {u for r in datastore_records(decode(fetch(url))) for u, _ in record_links(r, url)}
    family, kinds, items = _walk(url)
    assert family == "hanweb-jpage" and set(kinds) == {"datastore"}
    assert len(embedded | {u for u, _ in items}) == len({r.id for r in reports if r.column == reports[0].column})
