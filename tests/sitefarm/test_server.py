"""The served farm behaves as its manifest says: validators, faults, redirects, charsets, attachments."""

from __future__ import annotations

import http.client
import json
import socket
import time
from urllib.parse import unquote, urlsplit

import pytest

from sitefarm.serve import RunningFarm

from .walker import decode, fetch


def _raw(
    farm: RunningFarm,
    portal: str,
    path: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> http.client.HTTPResponse:
    parts = urlsplit(farm.base_urls[portal])
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    return conn.getresponse()


def _trap(farm: RunningFarm, kind: str, portal: str | None = None):  # type: ignore[no-untyped-def]
    found = [t for t in farm.manifest.traps if t.kind == kind and (portal is None or t.portal == portal)]
    assert found, f"no {kind} trap in manifest"
    return found[0]


def test_etag_and_last_modified_answer_304(sitefarm: RunningFarm) -> None:
    report = sitefarm.manifest.reports_of("trs")[0]
    path = report.locations[0].path
    first = _raw(sitefarm, "trs", path)
    first.read()
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.status == 200 and etag and modified
    again = _raw(sitefarm, "trs", path, headers={"If-None-Match": etag})
    assert again.status == 304 and again.read() == b""
    assert _raw(sitefarm, "trs", path, headers={"If-Modified-Since": modified}).status == 304
    stale = _raw(sitefarm, "trs", path, headers={"If-None-Match": '"0-0"'})
    assert stale.status == 200 and len(stale.read()) > 1000
    tomcat = _raw(sitefarm, "hanweb", sitefarm.manifest.reports_of("hanweb")[0].locations[0].path)
    assert tomcat.headers["ETag"].startswith('W/"')


def test_keep_alive_and_head(sitefarm: RunningFarm) -> None:
    parts = urlsplit(sitefarm.base_urls["city"])
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    for _ in range(3):
        conn.request("HEAD", "/index.html")
        resp = conn.getresponse()
        assert resp.status == 200 and resp.read() == b"" and int(resp.headers["Content-Length"]) > 1000
    conn.request("GET", "/robots.txt")
    assert b"Disallow: /bak/" in conn.getresponse().read()


def test_robots_rules_match_manifest(sitefarm: RunningFarm) -> None:
    for p in sitefarm.manifest.portals:
        if p.challenge:
            continue
        text = fetch(sitefarm.url(p.id, "/robots.txt")).body.decode()
        for rule in p.robots_disallow:
            assert f"Disallow: {rule}" in text, (p.id, rule)


def test_not_found_and_soft_404(sitefarm: RunningFarm) -> None:
    hard = fetch(sitefarm.url("city", "/no/such/page.html"))
    soft = fetch(sitefarm.url("gkmlpt", "/gkmlpt/policy"))
    assert hard.status == 404
    assert soft.status == 200 and "页面不存在" in decode(soft)
    assert sitefarm.manifest.portal("gkmlpt").soft_404


def test_429_then_ok_with_retry_after(sitefarm: RunningFarm) -> None:
    sitefarm.reset()
    trap = _trap(sitefarm, "rate-limit-429")
    first = _raw(sitefarm, trap.portal, trap.path)
    assert first.status == 429 and first.headers["Retry-After"] == "2"
    assert _raw(sitefarm, trap.portal, trap.path).status == 200


def test_intermittent_5xx_fails_exactly_count_times(sitefarm: RunningFarm) -> None:
    sitefarm.reset()
    for trap in sitefarm.manifest.traps_of("intermittent-5xx"):
        statuses = [
            _raw(sitefarm, trap.portal, trap.path, "POST" if "dataproxy" in trap.path else "GET").status
            for _ in range(trap.detail["n"] + 1)
        ]
        assert statuses == [trap.detail["s"]] * trap.detail["n"] + [200], trap.path


def test_connection_reset_once(sitefarm: RunningFarm) -> None:
    sitefarm.reset()
    for trap in sitefarm.manifest.traps_of("connection-reset"):
        with pytest.raises((ConnectionError, http.client.RemoteDisconnected, socket.error)):
            _raw(sitefarm, trap.portal, trap.path).read()
        assert _raw(sitefarm, trap.portal, trap.path).status == 200


@pytest.mark.slow
def test_slow_response(sitefarm: RunningFarm) -> None:
    trap = max(sitefarm.manifest.traps_of("slow-response"), key=lambda t: t.detail["d"])
    started = time.monotonic()
    assert fetch(sitefarm.url(trap.portal, trap.path)).status == 200
    assert time.monotonic() - started >= trap.detail["d"] - 0.05


def test_redirect_chain_and_loop(sitefarm: RunningFarm) -> None:
    chain = _trap(sitefarm, "redirect-chain")
    got = fetch(sitefarm.url(chain.portal, chain.path))
    assert got.status == 200 and urlsplit(got.url).path == chain.detail["chain"][-1]
    assert [urlsplit(u).path for u in got.redirects] == chain.detail["chain"][:-1]
    assert [_raw(sitefarm, chain.portal, p).status for p in chain.detail["chain"][:2]] == [301, 302]
    loop = _trap(sitefarm, "redirect-loop")
    assert fetch(sitefarm.url(loop.portal, loop.path)).error == "redirect loop"


def test_calendar_and_search_never_end(sitefarm: RunningFarm) -> None:
    cal = _trap(sitefarm, "calendar", "city")
    page = decode(fetch(sitefarm.url("city", cal.path + "?date=2099-12-31")))
    assert "?date=2100-01-01" in page and "?date=2099-12-30" in page
    search = _trap(sitefarm, "robots-disallowed-search", "city")
    body = decode(fetch(sitefarm.url("city", search.path + "?searchWord=x&page=41")))
    assert "page=42" in body


def test_huge_file_is_announced_and_streamed(sitefarm: RunningFarm) -> None:
    trap = _trap(sitefarm, "huge-file")
    resp = _raw(sitefarm, trap.portal, trap.path)
    assert (
        resp.status == 200 and int(resp.headers["Content-Length"]) == trap.detail["size"] >= 300 * 1024 * 1024
    )
    chunk = resp.read(1024 * 1024)
    assert len(chunk) == 1024 * 1024 and chunk[:4] == bytes(range(4))
    resp.close()
    assert fetch(sitefarm.url(trap.portal, trap.path)).error.startswith("refused")


def test_broken_pdf_and_wrong_content_types(sitefarm: RunningFarm) -> None:
    broken = _trap(sitefarm, "broken-pdf")
    body = fetch(sitefarm.url(broken.portal, broken.path)).body
    assert body.startswith(b"%PDF-") and b"%%EOF" not in body
    wrong = sitefarm.manifest.traps_of("wrong-content-type")
    assert {t.detail["served"] for t in wrong} == {"application/octet-stream", "text/html"}
    for t in wrong:
        got = fetch(sitefarm.url(t.portal, t.path))
        assert got.content_type == t.detail["served"]
        magic = {"pdf": b"%PDF-", "docx": b"PK\x03\x04"}[t.detail["true_format"]]
        assert got.body.startswith(magic)


def test_gbk_pages_decode_only_as_gbk(sitefarm: RunningFarm) -> None:
    page = fetch(sitefarm.url("hanweb", "/col/col29547/index.html"))
    assert page.content_type == "text/html; charset=GBK"
    assert b'charset=gb2312"' in page.body[:300]
    text = page.body.decode("gb18030")
    assert "政府信息公开年报" in text and "王镕" in text
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("gb2312")
    trap = _trap(sitefarm, "charset-mismatch")
    lying = fetch(sitefarm.url("hanweb", trap.path))
    assert lying.content_type == "text/html; charset=UTF-8"
    with pytest.raises(UnicodeDecodeError):
        lying.body.decode("utf-8")
    assert "政府信息公开" in lying.body.decode("gb18030")


def test_hanweb_downfile_redirects_and_names_decode(sitefarm: RunningFarm) -> None:
    located = [(r, loc) for r in sitefarm.manifest.reports_of("hanweb") for loc in r.locations if loc.via]
    assert located
    both = gbk_only = 0
    for report, loc in located:
        resp = _raw(sitefarm, "hanweb", loc.via[0])
        assert resp.status == 302 and resp.headers["Location"] == loc.path
        got = _raw(sitefarm, "hanweb", loc.path)
        got.read()
        disposition = got.headers["Content-Disposition"]
        raw_name = disposition.split('filename="', 1)[1].split('"', 1)[0]
        assert raw_name.encode("latin-1").decode("gb18030") == f"{report.title}.{loc.path.rsplit('.', 1)[1]}"
        if "filename*=UTF-8''" in disposition:
            both += 1
            assert unquote(disposition.split("filename*=UTF-8''", 1)[1]).startswith(report.title)
        else:
            gbk_only += 1
    assert both and gbk_only


def test_dataproxy_groups_overlap_and_page_style(sitefarm: RunningFarm) -> None:
    form = (
        b"col=1&appid=1&webid=1&path=%2F&columnid=29547&sourceContentType=1&unitid=212860"
        b"&webname=x&permissiontype=0"
    )
    sitefarm.reset()
    path = "/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15"
    assert _raw(sitefarm, "hanweb", path, "POST", body=form).status == 503
    resp = _raw(
        sitefarm,
        "hanweb",
        path,
        "POST",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
    )
    xml = resp.read().decode()
    total = len(sitefarm.manifest.reports_of("hanweb"))
    assert resp.status == 200 and f"<totalrecord>{total}</totalrecord>" in xml
    assert xml.count("<record>") == min(total, 90) - 45 + 1
    first = fetch(
        sitefarm.url("hanweb", "/module/web/jpage/dataproxy.jsp?page=1&columnid=29547&unitid=212860")
    )
    assert first.body.decode().count("<record>") == 15
    wrong = fetch(sitefarm.url("hanweb", "/module/web/jpage/dataproxy.jsp?page=1&columnid=1"))
    assert b"<totalrecord>0</totalrecord>" in wrong.body


def test_gkmlpt_api_pages_and_sid(sitefarm: RunningFarm) -> None:
    total = len(sitefarm.manifest.reports_of("gkmlpt"))
    page1 = json.loads(fetch(sitefarm.url("gkmlpt", "/gkmlpt/api/all/2629?page=1&sid=755031")).body)
    page2 = json.loads(fetch(sitefarm.url("gkmlpt", "/gkmlpt/api/all/2629?page=2&sid=755031")).body)
    assert (
        page1["total"] == total > 100
        and len(page1["articles"]) == 100
        and len(page2["articles"]) == total - 100
    )
    assert page1["articles"][0]["url"].startswith(sitefarm.base_urls["gkmlpt"] + "/gkmlpt/content/")
    assert json.loads(fetch(sitefarm.url("gkmlpt", "/gkmlpt/api/all/2629?page=1&sid=1")).body)["total"] == 0


def test_trs_static_limit_and_was5(sitefarm: RunningFarm) -> None:
    trap = _trap(sitefarm, "static-page-limit")
    last_static = fetch(sitefarm.url("trs", f"{trap.path}index_{trap.detail['static_pages'] - 1}.html"))
    assert last_static.status == 200 and "var maxStaticPage = 5" in decode(last_static)
    assert fetch(sitefarm.url("trs", f"{trap.path}index_{trap.detail['static_pages']}.html")).status == 404
    frag = fetch(sitefarm.url("trs", f"{trap.detail['was5']}&page={trap.detail['static_pages'] + 1}"))
    assert frag.status == 200 and decode(frag).lstrip().startswith("<li>")


def test_control_log_records_requests(sitefarm: RunningFarm) -> None:
    sitefarm.reset()
    fetch(sitefarm.url("jiasule", "/index.shtml"), headers={"Referer": "http://x/"})
    entries = sitefarm.requests("jiasule")
    assert [(e["method"], e["target"], e["status"], e["referer"]) for e in entries] == [
        ("GET", "/index.shtml", 521, "http://x/")
    ]
