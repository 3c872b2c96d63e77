"""Completeness evidence: column verdicts, portal reasons, the flags a run closes with."""

from __future__ import annotations

from crawler.completeness import ColumnTally, Completeness, PortalTally

COL = "http://127.0.0.1:8001/zwgk/zfxxgk/zfxxgknb/"


def _items(n: int, start: int = 0) -> list[str]:
    return [f"{COL}202401/t20240110_{i}.html" for i in range(start, start + n)]


def test_a_column_that_lists_what_it_states_is_complete() -> None:
    c = Completeness()
    c.list_page(COL, "trs", _items(10)).state(19, None, "recordCount: '19'")
    c.list_page(COL, "trs", _items(10, start=9))  # page 2 repeats one record: counted once
    assert c.columns[COL].found == 19
    assert c.columns[COL].verdict() == ("complete", None)
    assert c.flags({"trs": 19}) == []


def test_a_column_stating_more_than_found_is_short_and_flagged() -> None:
    c = Completeness()
    c.list_page(COL, "trs", _items(10)).state(19, 2, "recordCount: '19'")
    status, reason = c.columns[COL].verdict()
    assert status == "short" and reason == "states 19 items, found 10"
    assert c.flags({"trs": 10}) == [f"trs: column {COL} may be short: states 19 items, found 10"]


def test_stated_pages_count_when_items_are_not_stated() -> None:
    t = ColumnTally(COL, "trs")
    t.state(None, 3, "createPageHTML(3, 0, ...)")
    t.pages_fetched = 2
    assert t.verdict() == ("short", "states 3 pages, fetched 2")
    t.pages_fetched = 3
    assert t.verdict() == ("complete", None)


def test_failed_list_pages_and_bounds_make_a_column_short_even_without_a_statement() -> None:
    c = Completeness()
    c.list_page(COL, "trs", _items(5))
    assert c.columns[COL].verdict() == ("unstated", None)
    c.list_failed(COL, "trs", COL + "index_1.html")
    c.bound_hit(COL, "trs", "query-string variants of one path capped")
    status, reason = c.columns[COL].verdict()
    assert status == "short"
    assert reason == "1 list page(s) failed; bound hit: query-string variants of one path capped"


def test_the_largest_statement_counts() -> None:
    t = ColumnTally(COL, "trs")
    t.state(10, None, "共10条")
    t.state(12, None, "共12条")
    t.state(11, None, "共11条")
    assert (t.stated_items, t.evidence) == (12, "共12条")


def test_row_round_trip_keeps_the_tally() -> None:
    t = ColumnTally(COL, "trs", "trs-static", 12, 2, "共12条", set(_items(3)), 2, [COL + "index_1.html"], ["cap"])
    row = t.as_row()
    assert row["status"] == "short" and row["found_items"] == 3 and row["pages_failed"] == 1
    back = ColumnTally.from_row("trs", row)
    assert back.verdict() == t.verdict() and back.items == t.items and back.family == "trs-static"


def test_portal_reasons_in_the_order_a_crawl_gets_stuck() -> None:
    assert PortalTally("a", home_failed="DNSLookupError: no such host").reason(0, 0) == (
        "unreachable: DNSLookupError: no such host")
    assert PortalTally("a", home_fetched=True, home_failed="x").reason(0, 0) == (
        "no disclosure section (政府信息公开) found from the home page")
    assert PortalTally("a", home_blocked=True).reason(0, 0).startswith("blocked")
    assert PortalTally("a", home_fetched=True, disclosure=3).reason(0, 0).startswith("no annual-report column")
    assert "nothing listed" in (PortalTally("a", home_fetched=True, disclosure=1, columns=1).reason(0, 0) or "")
    assert "no report among them" in (PortalTally("a", home_fetched=True, columns=1).reason(0, 4) or "")
    assert PortalTally("a").reason(3, 0) is None


def test_flags_name_every_portal_without_reports() -> None:
    c = Completeness()
    c.portal("good").home_fetched = True
    c.portal("dead").home_failed = "DNSLookupError: dead.example.gov.cn"
    assert c.flags({"good": 4}) == ["dead: no reports: unreachable: DNSLookupError: dead.example.gov.cn"]


def test_every_page_of_a_column_names_the_same_column() -> None:
    from crawler.completeness import column_key

    base = "http://127.0.0.1:8001/zwgk/zfxxgk/zfxxgknb/"
    for url in (base, base + "index.html", base + "index_2.html", base + "index_12.shtml"):
        assert column_key(url) == base, url
    assert column_key("http://h/xxgk/xxgknb/list_2.shtml") == "http://h/xxgk/xxgknb/"
    assert column_key("http://h/gkmlpt/annualreport#2629") == "http://h/gkmlpt/annualreport#2629"
    assert column_key("http://h/col/col123/index.html?uid=5&pageNum=2") == "http://h/col/col123/index.html?uid=5&pageNum=2"
    assert column_key("http://h/nb/2023.html") == "http://h/nb/2023.html"
