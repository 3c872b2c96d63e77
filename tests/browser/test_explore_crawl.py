"""The browser as a link finder, end to end: a county portal whose annual-report column is an
empty list filled by an external script, items that open only through click handlers bound by
that script (no URL anywhere in the markup or the JSON), a 加载更多 button, and items that
open in a new window; and a second column, a search list whose 下一页 is a script (in an external
file) that submits the search form by POST — the browser follows that pager page by page. The crawl explores the column in Chromium, finds every report, fetches
them plainly, archives each XHR answer as its own WARC record linked to the page, and logs what
the behaviours cost; `warcio check` passes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, select
from warcio.archiveiterator import ArchiveIterator

from storage.db import make_engine
from storage.models import Agency, Report

pytestmark = [pytest.mark.slow, pytest.mark.browser]

AGENCY = "清河县人民政府"
YEARS = list(range(2017, 2025))  # 8 reports, 3 a page: three answers, two clicks of 加载更多
PAGE_SIZE = 3


def _page(title: str, body: str, head: str = "") -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f"<body>{body}</body></html>").encode()


HOME = _page(AGENCY, '<a href="/zwgk/index.html">政府信息公开</a> <a href="/news/">新闻</a>')
DISCLOSURE = _page("政府信息公开_" + AGENCY, '<ul><li><a href="/zwgk/ndbg/index.html">政府信息公开年报</a></li>'
                   '<li><a href="/bmgk/nb/index.html">信息公开年报</a></li>'
                   '<li><a href="/zwgk/zcwj/">政策文件</a></li></ul>')
BUREAU = "清河县教育局"
BUREAU_YEARS = list(range(2019, 2025))  # 6 reports, 2 a page: three pages by POST


def _search_page(page: int) -> bytes:
    chosen = sorted(BUREAU_YEARS, reverse=True)[(page - 1) * 2: page * 2]
    items = "".join(f'<li><a href="/bmgk/nb/{y}/jyj{y}.html" target="_blank">{BUREAU}{y}年政府信息公开工作年度报告</a>'
                    f"<span>{y + 1}-01-20</span></li>" for y in chosen)
    pages = (len(BUREAU_YEARS) + 1) // 2
    pager = f'<span>共{len(BUREAU_YEARS)}条 第{page}/{pages}页</span>'
    if page < pages:
        pager += '<a href="javascript:;" class="next">下一页</a>'
    return _page("信息公开年报_" + AGENCY,
                 '<form id="sf" method="post" action="/search/list.do"><input type="hidden" name="columnId" value="12">'
                 f'<input type="hidden" name="pageNo" value="{page}"></form><ul class="res">{items}</ul>'
                 f'<div class="pager">{pager}</div>',
                 '<meta name="ColumnName" content="信息公开年报"><script src="/js/search.js" defer></script>')


SEARCH_SCRIPT = b"""
(function(){
  var next = document.querySelector('.pager .next');
  if (next) next.addEventListener('click', function(){
    var f = document.getElementById('sf'); f.pageNo.value = (+f.pageNo.value) + 1; f.submit();
  });
})();
"""


def _bureau_report(year: int) -> bytes:
    title = f"{BUREAU}{year}年政府信息公开工作年度报告"
    return _page(title, f"<h1>{title}</h1><p>一、总体情况</p>", '<meta name="ArticleTitle" content="' + title + '">')
COLUMN = _page(
    "政府信息公开年报_" + AGENCY,
    '<div class="crumb">首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>'
    '<ul id="list" class="list"></ul><button id="more" type="button">加载更多</button>',
    '<meta name="ColumnName" content="政府信息公开年报"><style>#list li{cursor:pointer}</style>'
    '<script src="/js/column.js" defer></script>',
)
# The endpoint and the report URLs are built inside this external script only.
SCRIPT = b"""
(function(){
  var page = 0, list = document.getElementById('list'), more = document.getElementById('more');
  function open(id, year){
    if (year % 4 === 0) { window.open('/zwgk/ndbg/' + year + '/' + id + '.html'); }
    else { location.href = '/zwgk/ndbg/' + year + '/' + id + '.html'; }
  }
  function load(){
    page += 1;
    fetch('/api/column/list?columnId=77&page=' + page).then(function(r){ return r.json(); }).then(function(d){
      d.rows.forEach(function(row){
        var li = document.createElement('li'); li.textContent = row.name;
        li.addEventListener('click', function(){ open(row.docId, row.year); });
        list.appendChild(li);
      });
      if (page * d.size >= d.count) { more.style.display = 'none'; }
    });
  }
  more.addEventListener('click', load);
  load();
})();
"""


def _report(year: int) -> bytes:
    title = f"{AGENCY}{year}年政府信息公开工作年度报告"
    return _page(title, f"<h1>{title}</h1><p>本报告根据《中华人民共和国政府信息公开条例》编制。</p>"
                 "<p>一、总体情况</p><p>二、主动公开政府信息情况</p>",
                 '<meta name="ArticleTitle" content="' + title + '">')


def _doc_id(year: int) -> str:
    return f"{7000 + year}"


class _Portal(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        type(self).requests.append(self.path)
        ctype, body = "text/html; charset=utf-8", None
        if parts.path in ("/", "/index.html"):
            body = HOME
        elif parts.path == "/robots.txt":
            ctype, body = "text/plain", b"User-agent: *\nAllow: /\n"
        elif parts.path == "/zwgk/index.html":
            body = DISCLOSURE
        elif parts.path == "/zwgk/ndbg/index.html":
            body = COLUMN
        elif parts.path == "/bmgk/nb/index.html":
            body = _search_page(1)
        elif parts.path == "/js/search.js":
            ctype, body = "application/javascript", SEARCH_SCRIPT
        elif parts.path == "/js/column.js":
            ctype, body = "application/javascript", SCRIPT
        elif parts.path == "/api/column/list" and self.path not in type(self).requests[:-1]:
            # the first ask for page 2 fails, as overloaded portals' APIs do: the page's script
            # stops there, and the crawl explores the column once more
            body = b"<html><body>502 Bad Gateway</body></html>" if "page=2" in parts.query else None
            if body is not None:
                self.send_response(502)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            page = int(parse_qs(parts.query).get("page", ["1"])[0])
            chosen = sorted(YEARS, reverse=True)[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
            rows = [{"docId": _doc_id(y), "year": y, "name": f"{AGENCY}{y}年政府信息公开工作年度报告"} for y in chosen]
            ctype = "application/json; charset=utf-8"
            body = json.dumps({"count": len(YEARS), "size": PAGE_SIZE, "rows": rows}, ensure_ascii=False).encode()
        elif parts.path == "/api/column/list":
            page = int(parse_qs(parts.query).get("page", ["1"])[0])
            chosen = sorted(YEARS, reverse=True)[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
            rows = [{"docId": _doc_id(y), "year": y, "name": f"{AGENCY}{y}年政府信息公开工作年度报告"} for y in chosen]
            ctype = "application/json; charset=utf-8"
            body = json.dumps({"count": len(YEARS), "size": PAGE_SIZE, "rows": rows}, ensure_ascii=False).encode()
        else:
            for y in YEARS:
                if parts.path == f"/zwgk/ndbg/{y}/{_doc_id(y)}.html":
                    body = _report(y)
            for y in BUREAU_YEARS:
                if parts.path == f"/bmgk/nb/{y}/jyj{y}.html":
                    body = _bureau_report(y)
        if body is None:
            self.send_response(404)
            body = b"<html><body>404</body></html>"
        else:
            self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        type(self).requests.append("POST " + self.path)
        if urlsplit(self.path).path == "/search/list.do" and form.get("columnId") == ["12"]:
            self.send_response(200)
            body = _search_page(int(form.get("pageNo", ["1"])[0]))
        else:
            self.send_response(400)
            body = b"<html><body>bad search</body></html>"
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def explored(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("explore")
    _Portal.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Portal)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        home = f"http://127.0.0.1:{server.server_address[1]}/"
        db = f"sqlite:///{tmp / 'n.sqlite'}"
        env = dict(os.environ, NIANBAO_LOG_DIR=str(tmp / "logs"), NIANBAO_RETRIES="0",
                   NIANBAO_ALLOW_INTERNAL="127.0.0.1/32")
        proc = subprocess.run(
            [sys.executable, "-m", "crawler", "crawl", home, "--db", db, "--archive", str(tmp / "warc"), "--quiet"],
            capture_output=True, text=True, timeout=600, env=env, cwd=tmp,
        )
    finally:
        server.shutdown()
    log = [json.loads(line) for f in (tmp / "logs").glob("crawl-*.jsonl") for line in f.read_text().splitlines()]
    return {"proc": proc, "db": db, "warc": tmp / "warc", "log": log, "home": home,
            "requests": list(_Portal.requests)}


def test_every_report_behind_script_clicks_is_found(explored: dict) -> None:
    proc = explored["proc"]
    assert proc.returncode in (0, 4, 5), proc.stdout + proc.stderr
    engine = make_engine(explored["db"])
    with Session(engine) as s:
        found = sorted((a.name, r.year) for r, a in s.exec(select(Report, Agency).join(Agency)).all())
    engine.dispose()
    want = sorted([(AGENCY, y) for y in YEARS] + [(BUREAU, y) for y in BUREAU_YEARS])
    assert found == want, (found, proc.stdout[-2000:])


def test_reports_are_fetched_plainly_and_the_path_says_how_they_were_found(explored: dict) -> None:
    fetched = [e for e in explored["log"] if e["event"] == "fetched" and "/zwgk/ndbg/20" in e["url"]
               and e.get("kind") != "xhr"]
    assert {urlsplit(e["url"]).path.split("/")[3] for e in fetched} == {str(y) for y in YEARS}
    assert not any(e["rendered"] for e in fetched)
    vias = {e.get("via") for e in fetched}
    assert vias <= {"browser-click", "browser-open"} and len(vias) == 2, vias
    rendered = {urlsplit(e["url"]).path for e in explored["log"] if e["event"] == "fetched" and e["rendered"]
                and e.get("kind") != "xhr"}
    assert rendered == {"/zwgk/ndbg/index.html", "/bmgk/nb/index.html"}, rendered


def test_a_script_pager_that_posts_a_form_is_followed_in_the_browser(explored: dict) -> None:
    (done,) = [e for e in explored["log"] if e["event"] == "explored" and "/bmgk/" in e["url"]]
    assert done["states"] == 3 and done["controls"] == {"more": 2}, done
    assert [r for r in explored["requests"] if r.startswith("POST")] == ["POST /search/list.do"] * 2
    bureau = {urlsplit(e["url"]).path for e in explored["log"] if e["event"] == "fetched" and "/bmgk/nb/20" in e["url"]}
    assert bureau == {f"/bmgk/nb/{y}/jyj{y}.html" for y in BUREAU_YEARS}
    columns = [e for e in explored["log"] if e["event"] == "column" and "/bmgk/" in e["url"]]
    assert columns and columns[-1]["status"] == "complete", columns  # states 6, found 6


def test_a_column_whose_xhr_answer_failed_is_explored_again(explored: dict) -> None:
    first, done = [e for e in explored["log"] if e["event"] == "explored" and "/zwgk/" in e["url"]]
    assert first["xhr"] == 2 and first["items"] == PAGE_SIZE, first  # page 1, then the 502 of page 2
    retries = [e for e in explored["log"] if e["event"] == "retry" and "explore again" in e.get("reason", "")]
    assert len(retries) == 1 and "page=2" in retries[0]["reason"], retries
    assert done["items"] == len(YEARS)


def test_behaviours_are_logged_with_their_cost(explored: dict) -> None:
    done = [e for e in explored["log"] if e["event"] == "explored" and "/zwgk/" in e["url"]][-1]
    assert done["clicks"] >= len(YEARS) + 2, done  # every item and 加载更多 until it was gone
    assert done["attempts"] == len(YEARS), done
    assert done["xhr"] == 3 and done["seconds"] > 0, done
    first = next(e for e in explored["log"] if e["event"] == "explored" and "/zwgk/" in e["url"])
    assert "fills by script" in first["reason"] or "script" in first["reason"]
    assert done["reason"].startswith("again: 1 XHR answers failed")


def test_xhr_answers_are_archived_linked_to_the_page_and_warcio_checks(explored: dict) -> None:
    files = sorted(explored["warc"].glob("*.warc.gz"))
    pages, xhr = {}, []
    for path in files:
        with path.open("rb") as fh:
            for rec in ArchiveIterator(fh):
                h = rec.rec_headers
                if h.get_header("WARC-X-Nianbao-Resource-Type") == "rendered-dom":
                    pages[h.get_header("WARC-Record-ID")] = h.get_header("WARC-Target-URI")
                elif rec.rec_type == "response" and h.get_header("WARC-X-Nianbao-Page"):
                    kind = h.get_header("WARC-X-Nianbao-Resource-Type")
                    body = rec.content_stream().read()
                    xhr.append((h.get_header("WARC-Target-URI"), h.get_header("WARC-X-Nianbao-Page"),
                                json.loads(body) if kind == "fetch" and body.startswith(b"{") else body.decode(), kind))
    api = [x for x in xhr if "/api/column/list" in x[0]]
    assert {x[3] for x in api} == {"fetch"}, xhr
    assert all(pages.get(page, "").endswith("/zwgk/ndbg/index.html") for _, page, _, _ in api)
    answered = [body for _, _, body, _ in api if isinstance(body, dict)]
    # two explorations: page 1 and the failed page 2, then pages 1–3 — the 502 archived too
    assert len(api) == 5 and len(answered) == 4, [x[0] for x in api]
    assert len({r["docId"] for body in answered for r in body["rows"]}) == len(YEARS)
    # the search pages the browser's pager went to are archived too, linked to the column page
    docs = [x for x in xhr if x[3] == "document"]
    assert [x[0].endswith("/search/list.do") for x in docs] == [True, True], docs
    assert all(pages.get(page, "").endswith("/bmgk/nb/index.html") for _, page, _, _ in docs)
    assert sorted("第2/3页" in x[2] or "第3/3页" in x[2] for x in docs) == [True, True]
    warcio = Path(sys.executable).with_name("warcio")
    check = subprocess.run([str(warcio), "check", "-v", *map(str, files)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_browser_stays_off_pages_that_do_not_need_it(explored: dict) -> None:
    renders = [e for e in explored["log"] if e["event"] == "render"]
    # (the first column twice: its second exploration after the failed answer)
    assert sorted(urlsplit(e["url"]).path for e in renders) == [
        "/bmgk/nb/index.html", "/zwgk/ndbg/index.html", "/zwgk/ndbg/index.html"]
