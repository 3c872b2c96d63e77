"""Every way a page leads on, read without running it: links, frames, image maps, forms,
``data-*`` URLs, navigation ``<option>``s, click handlers and ``javascript:`` links whose target
the page's own inline scripts spell out, ``location``/``window.open`` in scripts, PDF viewers
that carry the real document in a parameter, and JSON lists in script variables or JSONP.

Real portals hide the way to their reports in all of these (research/gov-sites.md §3,
url-patterns.md §4: a county column whose items are ``<li onclick="openDoc('…')">``, a TRS
全真版 tab that is an ``<iframe>`` of ``/generic2/web/viewer.html?file=…原件.pdf``, the
``var itemObj = [{"aT": …, "aU": "{\\"common\\": …}"}]`` list of 国家疾控局). Precision matters as
much as recall: only URLs a browser would navigate to are taken (no scripts, styles, images),
script text is scanned only up to a bound, and a handler whose target depends on anything the
page does not spell out as literals is left to the browser.

Pure: (page URL, parsed tree, page text) in, :class:`Harvested` items out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from urllib.parse import urlencode, urlsplit

from lxml import etree
from lxml import html as lxml_html

from crawler.discovery.formnav import FormFunc, form_functions, submitted_fields
from crawler.discovery.links import resolve, site_origin
from crawler.discovery.scriptnav import (
    _CALL,
    _args,
    handler_targets,
    script_functions,
    script_lists,
    script_navigations,
)
from crawler.discovery.targets import is_link, is_page, viewer_documents


@dataclass(frozen=True)
class Harvested:
    """One place a page leads on."""

    url: str
    """Absolute URL (for a form: its action, with the fields as query when it is a GET)."""
    text: str | None
    """The label a reader sees: link text, option text, button text, or the enclosing item's text."""
    title: str | None
    """The ``title`` attribute, if any."""
    via: str
    """How it was found: ``a``, ``frame``, ``iframe``, ``area``, ``form-get``, ``form-post``,
    ``data-attr``, ``option``, ``onclick``, ``js-href``, ``window-open``, ``location``, ``viewer``,
    ``script-list`` or ``jsonp``."""
    method: str = "GET"
    body: str | None = None
    """The urlencoded fields of a POST form."""


MAX_ITEMS = 5000
"""Items taken from one page; a page with more is a sitemap or a trap, and the rest is dropped."""
MAX_SCRIPT_CHARS = 400_000
"""Inline script text scanned per page (portals inline whole libraries on some pages)."""
_SKIP_HREF = ("javascript:", "mailto:", "#")
_NO_DATA_ON = frozenset({"img", "source", "video", "audio", "picture", "script", "link", "style", "embed"})
_FREE_TEXT = frozenset({"", "text", "search"})
_CONTAINERS = frozenset({"li", "tr", "td", "dd", "dt", "div", "p", "section", "article", "ul", "table", "tbody"})
_TAGS = ("a", "area", "frame", "iframe", "form", "select", "option", "script")
_DATA_URLS = etree.XPath("//@*[starts-with(name(), 'data-')][contains(., '/') or contains(., '.')]")
"""``data-*`` attribute values that could be URLs (with their elements as ``getparent()``)."""
_ONCLICK = etree.XPath("//*[@onclick]")
_ITEMS = frozenset({"li", "tr", "dd", "dt"})
_SCRIPT_TYPES = frozenset({"", "text/javascript", "application/javascript", "module", "text/ecmascript"})
_SP = re.compile(r"\s+")
_JSONP_PAGE = re.compile(r"^\s*(?:/\*\*/\s*)?[A-Za-z_$][\w$.]*\s*\(\s*[\[{]")


def harvest(url: str, root: lxml_html.HtmlElement, text: str) -> list[Harvested]:
    """Every URL the page at ``url`` leads to, each with its label and how it was found:
    elements (links, frames, areas, forms, options) in document order, then ``data-*`` URLs,
    click handlers and ``javascript:`` links, script navigations and script lists. Deduplicated
    by (URL, method, body) — the first label wins unless it was empty — and at most
    :data:`MAX_ITEMS`. ``root`` is the parsed ``text``."""
    origin = site_origin(url)
    out: dict[tuple[str, str, str | None], Harvested] = {}

    def add(item: Harvested | None) -> None:
        if item is None or len(out) >= MAX_ITEMS:
            return
        key = (item.url, item.method, item.body)
        old = out.get(key)
        if old is None:
            out[key] = item
        elif not (old.text or "").strip() and (item.text or "").strip():
            out[key] = replace(old, text=item.text, title=old.title or item.title)
        for doc in viewer_documents(item.url) if "?" in item.url else ():
            if (doc, "GET", None) not in out and len(out) < MAX_ITEMS:
                out[(doc, "GET", None)] = Harvested(doc, item.text, item.title, "viewer")

    handlers: list[tuple[lxml_html.HtmlElement, str, str, str | None]] = []
    scripts: list[str] = []
    budget = MAX_SCRIPT_CHARS
    for el in root.iter(_TAGS):
        tag = el.tag
        if tag == "a":
            href = (el.get("href") or "").strip()
            if href and not href.startswith(_SKIP_HREF):
                add(Harvested(resolve(url, origin, href), el.text_content(), el.get("title"), "a"))
            elif href[:11].lower() == "javascript:":
                handlers.append((el, href[11:], "js-href", None))
        elif tag == "area":
            href = (el.get("href") or "").strip()
            if href and not href.startswith(_SKIP_HREF):
                add(Harvested(resolve(url, origin, href), el.get("alt"), el.get("title"), "area"))
        elif tag in ("frame", "iframe"):
            src = (el.get("src") or "").strip()
            if is_page(src, strict=False):
                add(Harvested(resolve(url, origin, src), None, el.get("title") or el.get("name"), tag))
        elif tag == "form":
            add(form_request(url, el))
        elif tag == "select":
            change = el.get("onchange")
            if change:
                for opt in el.iter("option"):
                    raw = opt.get("value")
                    value = (raw if raw is not None else opt.text_content()).strip()
                    if value:
                        handlers.append((opt, change, "option", value))
        elif tag == "option":
            value = (el.get("value") or "").strip()
            if is_link(value):
                add(Harvested(resolve(url, origin, value), _clean(el.text_content()), el.get("title"), "option"))
        elif (tag == "script" and budget > 0 and not el.get("src")
              and (el.get("type") or "").strip().lower() in _SCRIPT_TYPES):
            code = (el.text or "")[:budget]
            budget -= len(code)
            scripts.append(code)
    # Attribute searches run in libxml2 (data-* only on pages whose text has some): a Python
    # loop over every element of a page would cost more than the rest of harvest together.
    if "data-" in text:
        for value in _DATA_URLS(root):
            el = value.getparent()
            if el.tag not in _NO_DATA_ON and len(value) < 1000 and is_link(value := value.strip()):
                add(Harvested(resolve(url, origin, value), _label(el), el.get("title"), "data-attr"))
    handlers.extend((el, el.get("onclick"), "onclick", None) for el in _ONCLICK(root))
    code = "\n".join(scripts)
    funcs = script_functions(code) if handlers else {}
    submits = form_functions(code) if handlers and "submit" in code else {}
    for el, handler, via, value in handlers:
        for target in handler_targets(handler, funcs, value):
            if is_link(target):
                add(Harvested(resolve(url, origin, target), _label(el), el.get("title"), via))
        if submits:
            for item in _form_submits(url, root, handler, submits, value):
                add(replace(item, text=_label(el), title=el.get("title")))
    for target, via in script_navigations(code):
        add(Harvested(resolve(url, origin, target), None, None, via))
    for target, label, via in script_lists(code):
        add(Harvested(resolve(url, origin, target), label, label, via))
    if _JSONP_PAGE.match(text[:200]):
        for target, label, _ in script_lists(text[:MAX_SCRIPT_CHARS]):
            add(Harvested(resolve(url, origin, target), label, label, "jsonp"))
    return list(out.values())


# --- forms ----------------------------------------------------------------------------------------


def _form_submits(page_url: str, root: lxml_html.HtmlElement, handler: str, submits: dict[str, FormFunc],
                  value: str | None) -> list[Harvested]:
    """The requests a handler sends by calling a function that sets fields of a form and submits
    it (a ``goPage(2)`` pager): that form as it stands, with those fields changed."""
    out = []
    for call in _CALL.finditer(handler):
        func = submits.get(call.group(1))
        args = _args(call.group(2), value) if func is not None else None
        values = submitted_fields(func, args) if func is not None and args is not None else None
        if func is None or values is None:
            continue
        forms = root.xpath("//form[@id=$n or @name=$n]", n=func.form) if func.form else root.xpath("//form")
        if len(forms) != 1 and not func.form:
            continue  # which of several forms is meant is not said
        for form in forms[:1]:
            names = {}
            for key in values:
                el = next(iter(form.xpath(".//*[@name=$k or @id=$k]", k=key)), None)
                names[key] = el.get("name") if el is not None and el.get("name") else key
            item = form_request(page_url, form, {names[k]: v for k, v in values.items()})
            if item is not None:
                out.append(replace(item, via="form-script"))
    return out


def form_request(page_url: str, form: lxml_html.HtmlElement,
                 overrides: dict[str, str] | None = None) -> Harvested | None:
    """The request a form sends when submitted as it stands (GET: fields as the query, POST:
    fields as an urlencoded body), or None for a form not worth sending; ``overrides`` are field
    values a script sets before submitting it.

    Not worth sending: a login form (a password field), a file upload, a ``javascript:``
    action, and a bare search box — a form whose only fields are empty free-text fields, which
    a browser sends only after a person types a query (its answer to nothing is an empty or
    arbitrary result page). A form that also carries hidden or preset fields (column ids, a
    year, a unit code) is sent with its text fields empty: that is how list filters and
    信息公开目录 search modules ask for everything in a column."""
    action = (form.get("action") or "").strip()
    if action.lower().startswith("javascript:"):
        return None
    method = (form.get("method") or "GET").strip().upper()
    fields: list[tuple[str, str]] = []
    free_text = preset = 0
    label = None
    for el in form.iter("input", "select", "textarea", "button"):
        tag, name, kind = el.tag, el.get("name"), (el.get("type") or "").strip().lower()
        if tag == "input" and kind in ("password", "file"):
            return None
        if tag == "button" or kind in ("submit", "image", "button"):
            label = label or _clean(el.get("value") or el.text_content()) or None
            continue
        if not name or "disabled" in el.attrib or kind == "reset":
            continue
        if tag == "select":
            options = el.findall(".//option")
            chosen = [o for o in options if "selected" in o.attrib] or options[:1]
            for o in chosen:
                fields.append((name, (o.get("value") if o.get("value") is not None else o.text_content()).strip()))
                preset += 1
        elif tag == "textarea":
            value = el.text or ""
            fields.append((name, value))
            free_text += 1
            preset += bool(value)
        elif kind in ("checkbox", "radio"):
            if "checked" in el.attrib:
                fields.append((name, el.get("value", "on")))
                preset += 1
        else:
            value = el.get("value") or ""
            fields.append((name, value))
            if kind in _FREE_TEXT:
                free_text += 1
                preset += bool(value)
            else:
                preset += 1
    if overrides:
        fields = [(name, overrides.get(name, value)) for name, value in fields]
        fields += [(name, value) for name, value in overrides.items() if all(name != f for f, _ in fields)]
        preset += len(overrides)
    if free_text and not preset:
        return None
    base = page_url if not action else resolve(page_url, site_origin(page_url), action)
    title = form.get("title") or form.get("aria-label") or form.get("name")
    if method == "POST":
        return Harvested(base.split("#", 1)[0], label, title, "form-post", "POST", urlencode(fields))
    parts = urlsplit(base)
    query = urlencode(fields)
    target = parts._replace(query=query, fragment="").geturl() if query or parts.query else base.split("#", 1)[0]
    return Harvested(target, label, title, "form-get")


# --- helpers --------------------------------------------------------------------------------------


def _clean(text: str | None) -> str:
    return _SP.sub(" ", text or "").strip()


def _label(el: lxml_html.HtmlElement) -> str | None:
    """What a reader sees as the label of a clickable element: its own text (for an item
    container such as ``<li>`` or a table row, its longest piece of text: the title beside a
    date) or title, else that of the enclosing list item or row."""
    node: lxml_html.HtmlElement | None = el
    for _ in range(4):
        if node is None:
            return None
        text = _longest(node.itertext()) if node.tag in _CONTAINERS else _clean(node.text_content())
        if len(text) >= 2:
            return text
        title = node.get("title")
        if title:
            return title.strip()
        node = node.getparent()
        while node is not None and node.tag not in _ITEMS:
            if node.tag in ("body", "html", "form", "table", "ul", "ol"):
                return None
            node = node.getparent()
    return None


def _longest(pieces: Iterable[str]) -> str:
    best = ""
    for piece in pieces:
        piece = _clean(piece)
        if len(piece) > len(best):
            best = piece
    return best
