"""When an annual-report column needs the browser to find its way on (pure).

Static reading (harvest, list protocols) sees most lists. It cannot see a list whose items are
clickable elements with no readable target (a handler bound by an external script), a list the
page fills by script (an empty container and a 加载更多 button), or a pager, year tab or year
selector that is only a script. Those columns are explored in the browser
(:mod:`crawler.browser.behaviours`); every other page stays plain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin

from lxml import html as lxml_html

from crawler.discovery.classify import is_report_title
from crawler.discovery.pagination import json_list, record_links
from crawler.discovery.protocols import Stated
from crawler.discovery.protocols.stated import stated_size
from crawler.discovery.scriptnav import script_lists

_MORE = re.compile(r"^(?:点击|查看)?(?:加载|显示|查看)更多|^更多$|^(?:下一页|下页|后页|next|›|»|>>?)$", re.I)
_YEAR = re.compile(r"^(?:19|20)\d\d\s*(?:年|年度)?$")
_SCRIPTED_HREF = re.compile(r"^\s*(?:$|#|javascript:)", re.I)
_SP = re.compile(r"\s+")
_ITEM_KINDS = frozenset({"report", "maybe_report", "attachment"})
_LIST_KINDS = frozenset({"column", "list", "datastore", "json"})
_MAX_ANSWER = 4_000_000


def explore_reason(root: lxml_html.HtmlElement, follows: Iterable[tuple[str, str | None]]) -> str | None:
    """Why a column page must be explored in the browser, or None.

    ``follows`` are (hop kind, link label) of what static reading already follows from the page.
    A page whose list static reading can already go on with (a pager or list API request) is
    never explored. (A list that states more items than it shows, with nothing scripted on it,
    is not explored either: the shortfall is flagged by the completeness evidence instead.)
    """
    follows = list(follows)
    if any(kind in _LIST_KINDS for kind, _ in follows):
        return None
    labels = {_norm(label) for kind, label in follows if kind in _ITEM_KINDS and label}
    items = sum(1 for kind, _ in follows if kind in _ITEM_KINDS)
    hidden = [t for t in _script_items(root) if not any(t in lab or lab in t for lab in labels if lab)]
    if hidden:
        return f"{len(hidden)} report-like items with no readable target (e.g. {hidden[0][:30]})"
    controls = _script_controls(root)
    if controls:
        return "list controls that are scripts: " + ", ".join(sorted(set(controls))[:3])
    if items == 0 and root.xpath("//script"):
        return "no list items in the page; its list fills by script"
    return None


def _norm(text: str | None) -> str:
    return _SP.sub("", text or "")


def _scripted(el: lxml_html.HtmlElement) -> bool:
    """Clicking it runs a script rather than following a readable link."""
    if el.get("onclick"):
        return True
    if el.tag == "a":
        return bool(_SCRIPTED_HREF.match(el.get("href") or ""))
    return el.tag == "button" or (el.tag == "input" and (el.get("type") or "").lower() in ("button", "submit"))


def _readable_link(el: lxml_html.HtmlElement) -> bool:
    return any(not _SCRIPTED_HREF.match(a.get("href") or "") for a in el.iter("a"))


def _script_items(root: lxml_html.HtmlElement) -> list[str]:
    """Texts of report-like elements that only a script can open."""
    out: list[str] = []
    for el in root.iter("a", "li", "span", "div", "td", "p", "tr"):
        if not _scripted(el):
            continue
        text = _norm(el.text_content())
        if text and len(text) <= 80 and is_report_title(text) and not _readable_link(el) and text not in out:
            out.append(text)
    return out


def _script_controls(root: lxml_html.HtmlElement) -> list[str]:
    """Names of pager, load-more and year controls that are scripts."""
    out: list[str] = []
    for el in root.iter("a", "button", "input", "span", "li", "div"):
        if not _scripted(el) or (el.tag == "a" and not _SCRIPTED_HREF.match(el.get("href") or "")):
            continue
        text = _norm(el.text_content() if el.tag != "input" else el.get("value"))
        if text and len(text) <= 12 and _MORE.search(text):
            out.append(text)
        elif text and _YEAR.match(text) and el.get("onclick"):
            out.append("year tab " + text)
    for select in root.iter("select"):
        options = [_norm(o.text_content()) for o in select.iter("option")]
        if select.get("onchange") and sum(1 for o in options if _YEAR.match(o)) >= 2:
            out.append("year selector")
    return out


def answer_links(url: str, content_type: str | None, text: str) -> tuple[list[tuple[str, str]], Stated | None]:
    """(url, title) of the records in an answer a rendered page received by XHR/fetch (JSON,
    JSONP or an HTML fragment), and what it says about the list's size."""
    body = text.lstrip()
    ctype = (content_type or "").lower()
    items: list[tuple[str, str]] = []
    if body.startswith(("{", "[")):
        items = json_list(url, body).items or [
            (urljoin(url, u), t or "") for u, t, _ in script_lists("x=" + body[:_MAX_ANSWER])]
    elif body.startswith("<") or "html" in ctype or "xml" in ctype:
        items = record_links(body[:_MAX_ANSWER], url)
    else:
        items = [(urljoin(url, u), t or "") for u, t, _ in script_lists(body[:_MAX_ANSWER])]
    return items, stated_size(body[:_MAX_ANSWER])
