"""How list pages page through their items, one function per CMS style.

Each function reads a list page (URL and decoded text) and returns the further requests a
browser would make: TRS ``createPageHTML`` static pages, Hanweb JCMS ``<datastore>`` records
and ``dataproxy.jsp`` POSTs, gkmlpt JSON API pages, generic ``?page=N`` JSON APIs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urlencode, urljoin, urlsplit

from lxml import etree


@dataclass(frozen=True)
class PageRequest:
    """A request that fetches more items of a list."""

    url: str
    method: str = "GET"
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    kind: str = "list"
    """``list`` (an HTML list page), ``datastore`` (JCMS XML), ``json`` (an API page), or one of the
    kinds of ``crawler.discovery.protocols``: ``search-json`` (a TRS search answer),
    ``xxgk-fragment`` (a Hanweb search.jsp fragment), ``fragment`` (a TRS WAS5 ``<li>`` fragment)."""


# --- TRS WCM: createPageHTML(countPage, currentPage, "index", "html") --------------------------
_CREATE_PAGE = re.compile(
    r"createPageHTML\s*\(\s*['\"]?(\w+)['\"]?\s*,\s*['\"]?(\w+)['\"]?\s*,\s*['\"]([\w-]+)['\"]\s*,"
    r"\s*['\"](\w+)['\"]"
)
_COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*['\"]?(\d+)")
_PAGER = re.compile(r"Pager\s*\(\s*\{([^}]*)\}")


def trs_pages(url: str, text: str) -> list[PageRequest]:
    """The other static pages of a TRS list: index.html, index_1.html … index_{n-1}.html."""
    m = _CREATE_PAGE.search(text)
    if m and _js_int(m.group(1), text) is not None:
        count, prefix, ext = _js_int(m.group(1), text) or 1, m.group(3), m.group(4)
    else:
        pager = _PAGER.search(text)
        cp = _COUNT_PAGE.search(text)
        if pager:
            args = dict(re.findall(r"(\w+)\s*:\s*['\"]?([\w.-]+)", pager.group(1)))
            count = int(
                args.get("size") or args.get("count") or args.get("countPage") or (cp.group(1) if cp else 1)
            )
            prefix, ext = args.get("prefix", "index"), args.get("suffix", "html")
        elif cp:
            count, prefix, ext = int(cp.group(1)), "index", _ext_of(url)
        else:
            return []
    count = min(count, 1000)  # a list of more than 1000 static pages is a trap, not a column
    names = [f"{prefix}.{ext}"] + [f"{prefix}_{i}.{ext}" for i in range(1, count)]
    return [PageRequest(urljoin(url, name)) for name in names]


def _js_int(arg: str, text: str) -> int | None:
    """A createPageHTML argument: a number, or a variable assigned a number in the page."""
    if arg.isdigit():
        return int(arg)
    m = re.search(rf"\b{re.escape(arg)}\s*=\s*['\"]?(\d+)", text)
    return int(m.group(1)) if m else None


def _ext_of(url: str) -> str:
    path = urlsplit(url).path
    return path.rsplit(".", 1)[1] if "." in path.rsplit("/", 1)[-1] else "html"


# --- Hanweb JCMS: <script type="text/xml"><datastore> and dataproxy.jsp -------------------------
_DATASTORE = re.compile(r"<datastore>.*?</datastore>", re.S | re.I)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_PARAM = re.compile(r"var\s+(?:param_\w+|ajaxParam\w*)\s*=\s*\{([^}]*)\}", re.S)
_JPAGE = re.compile(r"jpage\s*\(\s*\{([^}]*)\}", re.S)


def datastore_records(text: str) -> list[str]:
    """The record HTML fragments of every <datastore> block in a page or a dataproxy answer."""
    return [
        unescape(r) if "&lt;" in r and "<" not in r else r
        for block in _DATASTORE.findall(text)
        for r in _RECORD.findall(block)
    ]


def datastore_total(text: str) -> int | None:
    """<totalrecord> of a dataproxy answer."""
    m = re.search(r"<totalrecord>\s*(\d+)\s*</totalrecord>", text, re.I)
    return int(m.group(1)) if m else None


def jcms_requests(url: str, text: str) -> list[PageRequest]:
    """dataproxy.jsp POSTs for the records a JCMS column page does not embed."""
    pm = _PARAM.search(text)
    jp = _JPAGE.search(text)
    if not pm or not jp:
        return []
    params = dict(re.findall(r"(\w+)\s*:\s*'?([^,'}]*)'?", pm.group(1)))
    opts = dict(re.findall(r"(\w+)\s*:\s*'?([^,'}]*)'?", jp.group(1)))
    try:
        total = int(opts.get("totalRecord", "0"))
        per_page = int(opts.get("perPage", "15"))
        group = int(opts.get("groupSize", "3"))
    except ValueError:
        return []
    proxy = urljoin(url, opts.get("proxyUrl", "/module/web/jpage/dataproxy.jsp").strip())
    embedded = len(datastore_records(text))
    step = per_page * group
    body = urlencode({k: v.strip() for k, v in params.items()})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
        "X-Requested-With": "XMLHttpRequest",
        "Referer": url,
        "Accept": "application/xml, text/xml, */*; q=0.01",
    }
    out = []
    start = embedded + 1 if embedded else 1
    while start <= min(total, 20_000):
        end = min(start + step - 1, total)
        query = urlencode({"startrecord": start, "endrecord": end, "perpage": per_page})
        out.append(PageRequest(f"{proxy}?{query}", "POST", body, headers, "datastore"))
        start = end + 1
    return out


# --- gkmlpt and generic JSON list APIs -----------------------------------------------------------
_GKMLPT = re.compile(r"/gkmlpt/(?:annualreport|index)#(\d+)")


def gkmlpt_requests(url: str, text: str = "") -> list[PageRequest]:
    """The JSON API page 1 behind a gkmlpt column (the column id is in the URL's #fragment)."""
    m = _GKMLPT.search(url)
    if not m:
        return []
    root = url.split("/gkmlpt/")[0]
    sid = re.search(r"SID\s*[:=]\s*['\"]?(\w+)", text)
    query = f"?page=1&sid={sid.group(1)}" if sid else "?page=1"
    return [PageRequest(f"{root}/gkmlpt/api/all/{m.group(1)}{query}", kind="json")]


@dataclass(frozen=True)
class JsonPage:
    """Items of one JSON list page and the request for the next page, if any."""

    items: list[tuple[str, str]]
    """(url, title) of each listed article."""
    next: PageRequest | None


def json_list(url: str, text: str, seen_before: int = 0) -> JsonPage:
    """Read a JSON list answer ({total, articles:[{url,title}]} and similar shapes);
    ``seen_before`` is how many items the earlier pages held."""
    try:
        data = json.loads(text)
    except ValueError:
        return JsonPage([], None)
    rows = _find_list(data)
    items = []
    for row in rows:
        link = row.get("url") or row.get("post_url") or row.get("link") or row.get("href") or row.get("aU")
        title = row.get("title") or row.get("titleO") or row.get("name") or row.get("aT") or ""
        if isinstance(link, str) and link:
            items.append((urljoin(url, link), str(title)))
    total = data.get("total") if isinstance(data, dict) else None
    nxt = None
    page = re.search(r"([?&]page=)(\d+)", url)
    if page and items and isinstance(total, int):
        n = int(page.group(2))
        if seen_before + len(items) < total:
            nxt = PageRequest(url[: page.start(2)] + str(n + 1) + url[page.end(2) :], kind="json")
    return JsonPage(items, nxt)


def _find_list(data: object) -> list[dict]:
    if isinstance(data, list):
        return [d for d in data if isinstance(d, dict)]
    if isinstance(data, dict):
        for key in ("articles", "list", "data", "rows", "items", "records", "resultDocs", "result"):
            val = data.get(key)
            found = _find_list(val) if val is not None else []
            if found:
                return found
    return []


def record_links(fragment: str, base: str) -> list[tuple[str, str]]:
    """(url, title) of each <a> in an HTML fragment, preferring @title over truncated text."""
    try:
        root = etree.HTML(f"<div>{fragment}</div>")
    except (etree.ParserError, ValueError):
        return []
    if root is None:
        return []
    out = []
    for a in root.iter("a"):
        href = a.get("href")
        if href and not href.startswith(("javascript:", "#")):
            out.append((urljoin(base, href.strip()), (a.get("title") or "".join(a.itertext())).strip()))
    return out
