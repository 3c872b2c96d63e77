"""The web app over a real store (SQLite and PostgreSQL), through Starlette's TestClient."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re

from starlette.testclient import TestClient

from crawler.web.app import UI_CSP
from storage.warc import sha256_b32
from tests.web.conftest import Store

SUZHOU = "江苏省苏州市吴中区人民政府办公室"
NANJING = "江苏省南京市财政局"


def test_search_in_chinese_with_facets(client: TestClient, store: Store) -> None:
    page = client.get("/", params={"q": "吴中区"})
    assert page.status_code == 200
    assert re.search(r'id="total">2<', page.text)
    assert SUZHOU in page.text and NANJING not in page.text.split('class="results"')[1]
    api = client.get("/api/search", params={"q": "南京市财政局"}).json()
    assert [r["agency"] for r in api["results"]] == [NANJING]
    assert client.get("/api/search", params={"q": "没有这样的文字组合啊"}).json()["total"] == 0
    assert client.get("/api/search", params={"q": "？！"}).json()["total"] == 0
    # text that is only inside the documents (table labels), not in titles or names
    assert client.get("/api/search", params={"q": "不予公开"}).json()["total"] == 4


def test_facets_filter(client: TestClient) -> None:
    facets = client.get("/api/search").json()["facets"]
    assert {f["value"]: f["count"] for f in facets["province"]} == {"江苏省": 3, "北京市": 1}
    assert {f["value"]: f["count"] for f in facets["failed"]} == {"yes": 1, "no": 3}
    assert {f["value"] for f in facets["status"]} == {"unchanged", "changed", "gone"}
    failed = client.get("/api/search", params={"failed": "yes"}).json()
    assert [r["agency"] for r in failed["results"]] == [NANJING]
    gone = client.get("/api/search", params={"status": "gone"}).json()
    assert [(r["agency"], r["year"]) for r in gone["results"]] == [("北京市朝阳区司法局", 2022)]
    edited = client.get("/api/search", params={"edited": "yes", "province": "江苏省", "year": 2023}).json()
    assert [(r["agency"], r["versions"]) for r in edited["results"]] == [(SUZHOU, 2)]
    county = client.get("/api/search", params={"county": "吴中区"}).json()
    assert {r["agency"] for r in county["results"]} == {SUZHOU} and county["total"] == 2
    assert {f["value"] for f in county["facets"]["county"]} == {"吴中区"}
    page = client.get("/", params={"province": "北京市"})
    assert "北京市朝阳区司法局" in page.text and SUZHOU not in page.text.split('class="results"')[1]


def test_report_page_highlights_failed_checks(client: TestClient, store: Store) -> None:
    rid = store.built.reports[f"{NANJING} 2023"]
    page = client.get(f"/reports/{rid}")
    assert page.status_code == 200
    assert 'id="failed-checks"' in page.text
    assert "三、收到和处理政府信息公开申请情况" in page.text and "予以公开" in page.text
    detail = client.get(f"/api/reports/{rid}").json()
    assert detail["failed_checks"]
    failed_cells = {k for c in detail["failed_checks"] for k in c["cells"]}
    highlighted = set(re.findall(r'class="cell [^"]*cell-failed" data-key="([^"]+)"', page.text))
    assert highlighted == failed_cells
    assert "src-published" in page.text
    ok = client.get(f"/reports/{store.built.reports[f'{SUZHOU} 2022']}").text
    assert 'id="failed-checks"' not in ok and not re.search(r'class="cell [^"]*cell-failed"', ok)


def test_report_versions_and_diff(client: TestClient, store: Store) -> None:
    rid = store.built.reports[f"{SUZHOU} 2023"]
    detail = client.get(f"/api/reports/{rid}").json()
    assert detail["version"] == 2 and [v["number"] for v in detail["versions"]] == [1, 2]
    changes = detail["versions"][1]["changes"]
    assert changes and all(c["before"] != c["after"] for c in changes)
    first = client.get(f"/api/reports/{rid}", params={"version": 1}).json()
    change = changes[0]
    assert first["values"].get(change["key"]) == change["before"]
    assert detail["values"].get(change["key"]) == change["after"]
    page = client.get(f"/reports/{rid}").text
    assert f"{len(changes)} fields changed" in page and change["key"] in page
    assert client.get(f"/api/reports/{rid}", params={"version": 7}).status_code == 404


def test_provenance_and_download_match_the_warc(client: TestClient, store: Store) -> None:
    key = f"{SUZHOU} 2022"
    rid = store.built.reports[key]
    detail = client.get(f"/api/reports/{rid}").json()
    supplier = next(s for s in detail["sources"] if s["supplies_values"])
    cap = supplier["capture"]
    assert cap["capture_id"] == store.built.docx_capture[key]
    assert cap["warc_filename"].endswith(".warc.gz") and cap["warc_length"] > 0
    assert cap["discovery_path"] == "HDCRA" and cap["rendered"] is False
    assert supplier["replay"].startswith("http://127.0.0.2:18701/nianbao/")
    got = client.get(supplier["download"])
    assert got.status_code == 200
    assert got.content == store.built.docx_bytes[key]
    assert got.headers["x-content-sha256"] == hashlib.sha256(got.content).hexdigest()
    assert sha256_b32(got.content) == cap["payload_digest"] == got.headers["x-warc-payload-digest"]
    assert "attachment" in got.headers["content-disposition"]
    assert got.headers["content-security-policy"].startswith("sandbox")
    meta = client.get(f"/api/documents/{cap['capture_id']}").json()
    assert meta["sha256"] == hashlib.sha256(got.content).hexdigest() and meta["warc_digest_ok"] is True
    page = client.get(f"/reports/{rid}").text
    assert html.escape(cap["warc_record_id"]) in page and 'rel="noopener noreferrer"' in page


def test_a_document_seen_by_two_runs_is_listed_once(client: TestClient, store: Store) -> None:
    # 吴中区 2022 is the same in both runs: each run captured its page and its DOCX again
    rid = store.built.reports[f"{SUZHOU} 2022"]
    sources = client.get(f"/api/reports/{rid}").json()["sources"]
    urls = [(s["role"], s["capture"]["url"]) for s in sources]
    assert len(urls) == len(set(urls)) == 2, urls
    for s in sources:
        assert [c["run_id"] for c in s["also_captured"]] == [1] and s["capture"]["run_id"] == 2
        assert all(c["url"] == s["capture"]["url"] for c in s["also_captured"])
    page = client.get(f"/reports/{rid}").text
    earlier = sources[0]["also_captured"][0]["capture_id"]
    assert page.count('<div class="document') == 2 and f'href="/documents/{earlier}"' in page


def test_compare_agency_across_years(client: TestClient, store: Store) -> None:
    aid = store.built.agencies[SUZHOU]
    field = "requests.new_received.total"
    api = client.get(f"/api/compare/agency/{aid}", params={"field": field}).json()
    assert api["years"] == [2022, 2023] and len(api["values"][field]) == 2
    page = client.get(f"/compare/agency/{aid}", params={"field": field})
    assert "<svg" in page.text and "<polyline" in page.text
    got = client.get(f"/compare/agency/{aid}", params={"field": field, "format": "csv"})
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert rows[0] == ["year", "report_id", field] and rows[1][2].startswith("一、本年新收")
    assert [int(r[0]) for r in rows[2:]] == [2022, 2023]
    assert [int(r[2]) for r in rows[2:]] == api["values"][field]


def test_compare_year_sorts_and_exports(client: TestClient) -> None:
    field = "requests.new_received.total"
    up = client.get("/api/compare/year/2023", params={"field": field, "sort": field}).json()
    down = client.get("/api/compare/year/2023", params={"field": field, "sort": field, "order": "desc"}).json()
    values = [r["values"][field] for r in up["rows"]]
    assert len(values) == 2 and values == sorted(values)
    assert [r["report_id"] for r in down["rows"]] == [r["report_id"] for r in reversed(up["rows"])]
    page = client.get("/compare/year/2023", params={"field": field})
    assert f"sort={field}" in page.text.replace("%2E", ".")
    got = client.get("/compare/year/2023", params={"field": field, "format": "csv"})
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert len(rows) == 4 and rows[1][1] == "机关"


def test_security_headers_on_every_page(client: TestClient, store: Store) -> None:
    rid = store.built.reports[f"{SUZHOU} 2022"]
    for path in ("/", f"/reports/{rid}", "/api/search", "/api/openapi.json", "/nope"):
        r = client.get(path)
        assert r.headers["content-security-policy"] == UI_CSP, path
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert "set-cookie" not in r.headers


def test_bad_parameters_are_client_errors(client: TestClient) -> None:
    assert client.get("/api/search", params={"year": "x"}).status_code == 400
    assert client.get("/api/search", params={"failed": "maybe"}).status_code == 400
    assert client.get("/api/reports/abc").status_code == 404
    assert client.get("/api/reports/999999").status_code == 404
    assert client.get("/api/compare/year/2023", params={"field": "no.such.field"}).status_code == 400
    assert client.get("/documents/999999").status_code == 404
    assert client.get("/api/reports/999999").json()["status"] == 404
    assert client.get("/api/search", params={"city": "\x00"}).status_code == 400
    assert client.get("/api/search", params={"agency": str(2**31)}).status_code == 400
    assert client.get(f"/api/reports/{2**31}").status_code == 404


def test_openapi_document_describes_every_api_route(client: TestClient, store: Store) -> None:
    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    rid = store.built.reports[f"{SUZHOU} 2022"]
    aid = store.built.agencies[SUZHOU]
    cid = store.built.docx_capture[f"{SUZHOU} 2022"]
    values = {"report_id": rid, "agency_id": aid, "capture_id": cid, "year": 2023}
    for path, ops in doc["paths"].items():
        url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["content-type"].startswith("application/json")
        for p in ops["get"].get("parameters", []):
            assert p["in"] in ("query", "path") and "description" in p
