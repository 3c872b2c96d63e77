"""TRS "动静结合" lists: the first ``maxStaticIndex`` pages are static HTML, the rest only come
from the site's search API, as a browser running ``listModel({...})`` would ask for them.

The page says everything: ``listModel({quickMode: "动静结合", maxStaticIndex: 1, listArgs:
{channelid: SiteInfo.searchId, classsql: "chnlid=1813", sortfield: "-docorderpri,-docreltime"},
pagebar: {prepage: 10, recordCount: '20'}})`` with ``SiteInfo = {searchId: 200210, searchUrl:
"/fjdzapp/search"}`` in an inline script. Each later page is a form POST to the search URL with
the ``listArgs`` (names resolved through ``SiteInfo``) plus ``page`` and ``prepage`` (kind
``search-json``). The search URL is ``listModel``'s own ``url``/``searchUrl``, else
``SiteInfo.searchUrl``; only when the page gives neither is TRS's stock search service
``/was5/web/search`` assumed (it takes the same channelid/classsql/sortfield/prepage/page).
When a ``listArgs`` value names an object the page does not define (``SiteInfo`` in an
external script), no POST is planned: one with the bare name in it would list nothing.
Pages are capped at MAX_PAGES, records at MAX_RECORDS.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode, urljoin

from crawler.discovery.pagination import PageRequest
from crawler.discovery.protocols.base import (
    FORM_HEADERS,
    MAX_RECORDS,
    ListAnswer,
    ListPlan,
    Stated,
    balanced,
    cap_items,
    fragment_items,
    js_object,
    js_pairs,
    pages_for,
    to_int,
)
from crawler.discovery.protocols.stated import stated_size

FAMILY = "trs-dongjing"
DEFAULT_SEARCH = "/was5/web/search"
"""Assumed only when neither listModel nor SiteInfo names a search URL."""
_URL_KEYS = ("docpuburl", "url", "chnldocurl", "docurl", "puburl", "link", "href", "docpubhtmlurl")
_TITLE_KEYS = ("doctitle", "title", "docsubtitle", "name", "linktitle", "titleo")
_LIST_KEYS = ("docs", "datas", "data", "list", "rows", "records", "result", "results", "items", "articles",
              "resultdocs", "doclist", "content")
_TOTAL_KEYS = ("total", "recordcount", "totalrecord", "totalcount", "count", "totalnum")


def plan(url: str, text: str) -> ListPlan | None:
    m = re.search(r"\blistModel\s*\(", text)
    if not m:
        return None
    model_text = balanced(text, m.end())
    if model_text is None:
        return None
    model = js_pairs(model_text)
    site = js_pairs(js_object(text, r"\bSiteInfo\s*=\s*") or "{}")
    args_text = js_object(model_text, r"\blistArgs\s*:\s*")
    bar_text = js_object(model_text, r"\bpagebar\s*:\s*")
    args = {k: _resolve(v, site, text) for k, v in js_pairs(args_text or "{}").items()}
    bar = js_pairs(bar_text or "{}")
    per_page = to_int(bar.get("prepage") or model.get("prepage")) or 10
    records = to_int(bar.get("recordCount") or model.get("recordCount"))
    static = to_int(model.get("maxStaticIndex"))
    static = 1 if static is None else max(static, 1)
    if records is not None:
        stated: Stated | None = Stated(cap_items(records), pages_for(records, per_page), f"recordCount: '{records}'")
    else:
        stated = stated_size(text)
    pages = stated.pages if stated and stated.pages else 0
    endpoint = model.get("url") or model.get("searchUrl") or site.get("searchUrl") or DEFAULT_SEARCH
    endpoint = urljoin(url, _resolve(endpoint, site, text))
    requests = [PageRequest(urljoin(url, f"index_{i}.html")) for i in range(1, min(static, pages))]
    if any(re.fullmatch(r"[A-Za-z_$][\w$]*\.\w+", v) for v in args.values()):
        return ListPlan(FAMILY, requests, stated)  # e.g. SiteInfo in an external script: no usable POST
    headers = {**FORM_HEADERS, "Referer": url, "Accept": "application/json, text/javascript, */*; q=0.01"}
    for page in range(static + 1, pages + 1):
        body = urlencode({**args, "page": page, "prepage": per_page})
        requests.append(PageRequest(endpoint, "POST", body, headers, "search-json"))
    if not requests and pages == 0:
        # size unknown: ask for the first page past the static ones; its answer states the rest
        body = urlencode({**args, "page": static + 1, "prepage": per_page})
        requests.append(PageRequest(endpoint, "POST", body, headers, "search-json"))
    return ListPlan(FAMILY, requests, stated)


def _resolve(value: str, site: dict[str, str], text: str) -> str:
    """``SiteInfo.searchId`` → SiteInfo's value; another ``obj.key``/bare name → its value in the page."""
    m = re.fullmatch(r"SiteInfo\.(\w+)", value)
    if m:
        return site.get(m.group(1), value)
    m = re.fullmatch(r"([A-Za-z_$][\w$]*)(?:\.(\w+))?", value)
    if m and value not in ("true", "false", "null"):
        if m.group(2):
            obj = js_object(text, rf"\b{re.escape(m.group(1))}\s*=\s*")
            return js_pairs(obj or "{}").get(m.group(2), value)
        var = re.search(rf"\bvar\s+{re.escape(value)}\s*=\s*['\"]?([^'\";\n]+)", text)
        return var.group(1).strip() if var else value
    return value


def read_search_json(url: str, text: str) -> ListAnswer:
    """Docs of a search answer: JSON (control characters tolerated) holding a list of docs under
    any usual key, each with its URL and title under any usual key; an HTML answer is read as a
    fragment of links. At most MAX_RECORDS items."""
    try:
        data = json.loads(re.sub(r"[\r\n\t]+", " ", text.strip()))
    except ValueError:
        return ListAnswer(fragment_items(text, url), [], stated_size(text))
    rows = _rows(data)
    items = []
    for row in rows:
        low = {str(k).lower(): v for k, v in row.items()}
        link = next((low[k] for k in _URL_KEYS if isinstance(low.get(k), str) and low[k].strip()), None)
        if link is None:
            continue
        title = next((str(low[k]) for k in _TITLE_KEYS if low.get(k)), "")
        items.append((urljoin(url, link.strip()), re.sub(r"<[^>]+>", "", title).strip()))
    return ListAnswer(items[:MAX_RECORDS], [], _json_total(data) or stated_size(text[:2000]))


def _rows(data: object, depth: int = 0) -> list[dict]:
    if depth > 4:
        return []
    if isinstance(data, list):
        dicts = [d for d in data if isinstance(d, dict)]
        if dicts:
            return dicts
    if isinstance(data, dict):
        low = {str(k).lower(): v for k, v in data.items()}
        for key in _LIST_KEYS:
            found = _rows(low.get(key), depth + 1) if key in low else []
            if found:
                return found
        for val in data.values():
            found = _rows(val, depth + 1) if isinstance(val, dict) else []
            if found:
                return found
    return []


def _json_total(data: object) -> Stated | None:
    if not isinstance(data, dict):
        return None
    for scope in (data, *(v for v in data.values() if isinstance(v, dict))):
        for key, val in scope.items():
            if str(key).lower() in _TOTAL_KEYS:
                n = to_int(str(val))
                if n is not None:
                    return Stated(cap_items(n), None, f'"{key}": {val}'[:60])
    return None


READERS = {"search-json": read_search_json}
