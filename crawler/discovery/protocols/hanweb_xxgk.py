"""Hanweb 信息公开目录 lists: the column page posts a form to ``/module/xxgk/search.jsp``
(or ``search_custom.jsp``) with ``infotypeId``, ``jdid``, ``area``, ``divid``, ``sortfield`` …
and ``currpage=N`` in the query; the answer is an HTML fragment of rows and ``共N页``.

The fields come from the page: the query of the search URL as written, the inputs of the form
whose action it is, and the object literal a script posts with it (``$.post(url, {…})``,
``.load(url, {…})``, ``data: {…}``); they travel both in the query (as Hanweb's own script
sends them) and in the form body, so an answer's URL alone says how to ask for its other
pages. Page 1 is planned (kind ``xxgk-fragment``), or every page
when the column page already states the count; the first answer's ``共N页`` implies pages
2..N (capped at MAX_PAGES).
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html

from crawler.discovery.pagination import PageRequest
from crawler.discovery.protocols.base import (
    FORM_HEADERS,
    ListAnswer,
    ListPlan,
    balanced,
    cap_pages,
    fragment_items,
    js_pairs,
    query_int,
    with_query,
)
from crawler.discovery.protocols.stated import stated_size

FAMILY = "hanweb-xxgk-search"
_SEARCH = re.compile(r"""["']([^"'\s]*/module/xxgk/search(?:_custom)?\.jsp[^"'\s]*)["']""")


def plan(url: str, text: str) -> ListPlan | None:
    # a plain link to the search page (a nav entry) is not this list posting to it
    found = [m for m in _SEARCH.finditer(text) if not re.search(r"href\s*=\s*$", text[max(0, m.start() - 12) : m.start()], re.I)][:8]
    if not found:
        return None
    endpoint = urljoin(url, unescape(found[0].group(1)).split("+")[0].rstrip("&?"))
    fields: dict[str, str] = {}
    for m in found:  # the form's action, then each script call that posts it
        raw = unescape(m.group(1)).split("+")[0]
        fields.update((k, v) for k, v in parse_qsl(urlsplit(raw).query, keep_blank_values=True) if k != "currpage")
        fields.update(_form_fields(text, raw))
        after = text[m.end() : m.end() + 400]
        obj = re.match(r"\s*,\s*\{", after) or re.search(r"\bdata\s*:\s*\{", after)
        if obj:
            literal = balanced(after, obj.start())
            fields.update((k, v) for k, v in js_pairs(literal or "{}").items() if not v.startswith(("$", "function")))
    endpoint = with_query(urlunsplit(urlsplit(endpoint)._replace(query="")), **fields)
    body = urlencode(fields)
    stated = stated_size(text)
    last = stated.pages if stated and stated.pages else 1
    headers = {**FORM_HEADERS, "Referer": url, "Accept": "text/html, */*; q=0.01"}
    requests = [PageRequest(with_query(endpoint, currpage=n), "POST", body, headers, "xxgk-fragment")
                for n in range(1, cap_pages(last) + 1)]
    return ListPlan(FAMILY, requests, stated)


def _form_fields(text: str, action: str) -> dict[str, str]:
    """Name → value of the inputs/selects of the form posting to ``action``."""
    path = urlsplit(action).path
    try:
        root = lxml_html.fromstring(text)
    except (ValueError, lxml_html.etree.ParserError):
        return {}
    out: dict[str, str] = {}
    for form in root.iter("form"):
        if path and path in (form.get("action") or ""):
            for el in form.iter("input", "select", "textarea"):
                name = el.get("name")
                if not name or (el.get("type") or "").lower() in ("submit", "button", "image", "reset"):
                    continue
                if el.tag == "select":
                    chosen = el.xpath(".//option[@selected]") or el.xpath(".//option")
                    out[name] = (chosen[0].get("value") or "") if chosen else ""
                else:
                    out[name] = el.get("value") or (el.text or "")
    return out


def read_fragment(url: str, text: str) -> ListAnswer:
    """Rows of one search.jsp answer; the answer for currpage=1 implies the POSTs for pages 2..共N页."""
    stated = stated_size(text)
    nxt: list[PageRequest] = []
    if (query_int(url, "currpage") or 1) == 1 and stated and stated.pages:
        body = urlencode([(k, v) for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True) if k != "currpage"])
        nxt = [PageRequest(with_query(url, currpage=n), "POST", body, dict(FORM_HEADERS), "xxgk-fragment")
               for n in range(2, stated.pages + 1)]
    return ListAnswer(fragment_items(text, url), nxt, stated)


READERS = {"xxgk-fragment": read_fragment}
