"""HTML report pages: the article body as paragraphs and table grids, the title, the ``<meta>``
tags (SiteName, ArticleTitle, PubDate, ContentSource…) and links to attachments."""

from __future__ import annotations

import re

from lxml import etree

from crawler.documents.encoding import decode
from crawler.documents.htmljs import embedded_html
from crawler.documents.htmlwalk import SKIP, Element, element_blocks, hidden
from crawler.documents.model import Block, Document, DocumentError
from crawler.documents.normalize import clean

#: Article containers of the common government CMSs (TRS WCM, Hanweb JCMS, UCAP, DT, …), most
#: specific first: (attribute, lower-cased value); "tag" matches the element name.
BODY_HINTS: tuple[tuple[str, str], ...] = (
    ("class", "trs_editor"),
    ("class", "trs_ueditor"),
    ("id", "zoom"),
    ("id", "zoomcon"),
    ("class", "article-content"),
    ("class", "article_content"),
    ("id", "ivs_content"),
    ("class", "wzy_con"),
    ("id", "ucap-content"),
    ("tag", "ucapcontent"),
    ("class", "zw"),
    ("id", "zw"),
    ("class", "pages_content"),
    ("class", "news_content"),
    ("class", "view"),
    ("id", "content"),
    ("class", "content"),
)
_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|wps|xlsx?|zip)(?:$|[?#])|downfile\.jsp|download", re.I)
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|(?<!\d)\s*[-－—–]+\s*(?!\d))\s*")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_MIN_BODY_TEXT = 100


def read_html(data: bytes, name: str, content_type: str | None = None) -> Document:
    """An HTML page as a Document; ``content_type`` is the HTTP header, for its charset."""
    decoded = decode(data, content_type)
    return parse_html(
        decoded.text, name, ("undecodable bytes replaced (encoding unclear)",) if decoded.lossy else ()
    )


def parse_html(text: str, name: str, warnings: tuple[str, ...] = ()) -> Document:
    """An already-decoded HTML page as a Document."""
    try:
        root = _parse(_XML_DECLARATION.sub("", text, count=1))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise DocumentError(name, f"unreadable HTML ({e})") from None
    meta = _meta(root)
    body = find_body(root)
    blocks = element_blocks(body)
    scripts = [s.text for s in root.iter("script") if s.text]
    fragment = embedded_html(scripts) if scripts else None
    if fragment:
        try:
            embedded = element_blocks(_parse(f"<div>{fragment}</div>"))
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            embedded = []
        if _weight(embedded) > _weight(blocks):
            blocks = embedded
    return Document(
        name=name,
        kind="html",
        blocks=tuple(blocks),
        title=meta.get("ArticleTitle") or _title(root),
        meta=meta,
        warnings=warnings,
        attachments=_attachments(root),
    )


def _parse(text: str) -> Element:
    """Plain lxml elements (lxml.html's element classes cost a lookup per node, ~20 % of a page)."""
    root = etree.fromstring(text or "<html></html>", etree.HTMLParser(remove_comments=True, remove_pis=True))
    if root is None:
        return etree.fromstring("<html><body></body></html>", etree.HTMLParser())
    return root


def _text(el: Element) -> str:
    return "".join(el.itertext())


def _meta(root: Element) -> dict[str, str]:
    """Every ``<meta name=… content=…>``; the first non-empty value of a name wins."""
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        key = el.get("name")
        value = clean(el.get("content") or "")
        if key and value and key.strip() not in found:
            found[key.strip()] = value
    return found


def _title(root: Element) -> str | None:
    el = root.find(".//title")
    title = clean(_text(el)) if el is not None else ""
    if not title:
        return None
    parts = [p for p in _TITLE_SPLIT.split(title) if p]
    # "报告标题_栏目_站点": drop the site suffix only when what remains is long enough to be a title
    if len(parts) > 1 and len(parts[0]) >= 8:
        return parts[0]
    return title


def _attachments(root: Element) -> tuple[str, ...]:
    links: list[str] = []
    for el in root.iter("a", "iframe", "embed"):
        href = (el.get("href") if el.tag == "a" else el.get("src")) or ""
        href = href.strip()
        if href and not href.lower().startswith(("javascript:", "mailto:", "#")) and _ATTACHMENT.search(href):
            links.append(href)
    return tuple(dict.fromkeys(links))


def find_body(root: Element) -> Element:
    """The article body: a known CMS container holding text or tables, else the element whose
    paragraphs and tables hold the most text, else ``<body>``."""
    by_hint: dict[tuple[str, str], list[Element]] = {}
    wanted = set(BODY_HINTS)
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if ("tag", tag) in wanted:
            by_hint.setdefault(("tag", tag), []).append(el)
        ident = el.get("id")
        if ident and ("id", ident.lower()) in wanted:
            by_hint.setdefault(("id", ident.lower()), []).append(el)
        classes = el.get("class")
        if classes:
            for token in classes.lower().split():
                if ("class", token) in wanted:
                    by_hint.setdefault(("class", token), []).append(el)
    for hint in BODY_HINTS:
        best = max(
            (el for el in by_hint.get(hint, ()) if not hidden(el)),
            key=_substance,
            default=None,
        )
        if best is not None and _substance(best) >= _MIN_BODY_TEXT:
            return best
    return _densest(root)


def _substance(el: Element) -> int:
    return len(_text(el).strip()) + 1000 * (el.find(".//table") is not None)


def _densest(root: Element) -> Element:
    scores: dict[Element, int] = {}
    for el in root.iter("p", "table"):
        if el.tag == "p" and any(True for _ in el.iterancestors("table")):
            continue
        if any(a.tag in SKIP for a in el.iterancestors()):
            continue
        parent = el.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + len(_text(el).strip()) + 500 * (el.tag == "table")
    body = root.find(".//body")
    fallback = body if body is not None else root
    if not scores:
        return fallback
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= _MIN_BODY_TEXT else fallback


def _weight(blocks: list[Block]) -> int:
    return sum(len(b.text or "") for b in blocks) + sum(
        2000 + sum(len(c or "") for row in b.table.rows for c in row) for b in blocks if b.table
    )
