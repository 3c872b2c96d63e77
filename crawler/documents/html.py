"""HTML pages: the article body as paragraphs and table grids, plus title, meta tags and links
to attachments. Word-pasted markup (spans inside numbers, <p> in cells, &nbsp;) is flattened
the way a reader sees it; report HTML hidden in a JavaScript string is found and used."""

from __future__ import annotations

import json
import re

from lxml import etree
from lxml import html as lxml_html

from crawler.documents.encoding import decode_html
from crawler.documents.grid import clean, expand
from crawler.documents.model import Block, Document, DocumentError

_BODY_HINTS = ("trs_editor", "trs_ueditor", "zoom", "article-content", "article_content", "ivs_content", "wzy_con",
               "ucap-content", "ucapcontent", "zoomcon", "zw", "content", "main-content", "detail", "article")
_SKIP = {"script", "style", "noscript", "template", "head", "nav", "footer", "header", "select", "option", "iframe"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "blockquote", "pre",
          "center", "ul", "ol", "dl", "dt", "dd", "form", "body", "td", "th", "tbody", "thead", "table", "font"}
_ATTACH = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|zip|rar|ofd)(?:$|[?#])|downfile\.jsp|download", re.I)
_JS_STRING = re.compile(r"""(["'`])((?:\\.|(?!\1).){200,}?)\1""", re.S)


def read_html(data: bytes, name: str, content_type: str | None = None) -> Document:
    text, _ = decode_html(data, content_type)
    try:
        root = lxml_html.fromstring(text)
    except (etree.ParserError, ValueError) as e:
        raise DocumentError(name, f"unreadable HTML ({e})") from None
    meta = {m.get("name"): (m.get("content") or "").strip() for m in root.iter("meta") if m.get("name")}
    title = meta.get("ArticleTitle") or meta.get("articletitle") or _title(root)
    attachments = tuple(dict.fromkeys(a.get("href").strip() for a in root.iter("a")
                                      if a.get("href") and _ATTACH.search(a.get("href"))))
    body = _body(root)
    blocks = list(_blocks(body))
    embedded = _embedded(root)
    if embedded is not None and _weight(embedded) > _weight_blocks(blocks):
        blocks = list(_blocks(embedded))
    return Document(name=name, kind="html", blocks=tuple(blocks), title=title,
                    meta={k: v for k, v in meta.items() if isinstance(k, str)}, attachments=attachments)


def _title(root: lxml_html.HtmlElement) -> str | None:
    found = root.find(".//title")
    if found is None or not found.text_content().strip():
        return None
    t = clean(found.text_content())
    if len(t) > 40:
        t = re.split(r"\s*[_|－—-]\s*(?=[^_|－—-]*$)", t)[0]
    return t


def _body(root: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """The article body: a known container, else the element holding the tables, else <body>."""
    for hint in _BODY_HINTS:
        for el in root.iter():
            if not isinstance(el.tag, str) or el.tag in _SKIP:
                continue
            ident = f"{el.get('class', '')} {el.get('id', '')}".lower()
            named = hint in ident.split() or (len(hint) > 4 and hint in ident) or el.tag == hint
            if named and (len(el.text_content().strip()) > 200 or el.find(".//table") is not None):
                return el
    body = root.find(".//body")
    return body if body is not None else root


def _embedded(root: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """Report HTML inside a script: a JS/JSON string literal holding a table or the report text."""
    best = None
    for script in root.iter("script"):
        code = script.text or ""
        if "<table" not in code and "\\u003ctable" not in code.lower() and "政府信息公开" not in code:
            continue
        for m in _JS_STRING.finditer(code):
            raw = m.group(2)
            try:
                s = json.loads('"' + raw.replace('"', '\\"').replace("\\'", "'") + '"') if "\\" in raw else raw
            except ValueError:
                s = raw.encode("utf-8", "replace").decode("unicode_escape", "replace")
            if "<" not in s or ("<table" not in s and "政府信息公开" not in s):
                continue
            try:
                frag = lxml_html.fromstring(f"<div>{s}</div>")
            except (etree.ParserError, ValueError):
                continue
            if best is None or _weight(frag) > _weight(best):
                best = frag
    return best


def _weight(el: lxml_html.HtmlElement) -> int:
    return len(el.text_content()) + 2000 * len(el.findall(".//table"))


def _weight_blocks(blocks: list[Block]) -> int:
    return sum(len(b.text or "") for b in blocks) + 2000 * sum(1 for b in blocks if b.table)


def _blocks(el: lxml_html.HtmlElement):  # type: ignore[no-untyped-def]
    """Paragraphs and tables under ``el``, in document order."""
    buf: list[str] = []

    def flush():  # type: ignore[no-untyped-def]
        text = clean("".join(buf))
        buf.clear()
        if text:
            yield Block(text=text)

    def walk(node):  # type: ignore[no-untyped-def]
        if not isinstance(node.tag, str) or node.tag in _SKIP:
            return
        if node.tag == "table":
            yield from flush()
            inner = _layout_inner(node)
            if inner is not None:
                yield from walk(inner)
            else:
                yield Block(table=_table(node))
            return
        if node.tag == "br":
            buf.append("\n")
            return
        block = node.tag in _BLOCK
        if block:
            yield from flush()
        if node.text:
            buf.append(node.text)
        for child in node:
            yield from walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            yield from flush()

    yield from walk(el)
    yield from flush()


def _layout_inner(table: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """A one-cell table used as a frame around the real content: its content."""
    cells = [c for c in table.iter("td", "th") if c.getparent() is not None and _owner(c) is table]
    if len(cells) == 1 and cells[0].find(".//table") is not None:
        return cells[0]
    return None


def _owner(cell: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    p = cell.getparent()
    while p is not None and p.tag != "table":
        p = p.getparent()
    return p


def _table(table: lxml_html.HtmlElement):  # type: ignore[no-untyped-def]
    rows = []
    for tr in table.iter("tr"):
        if _owner_of_row(tr) is not table:
            continue
        cells = []
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            cells.append((_cell_text(cell), _int(cell.get("rowspan")), _int(cell.get("colspan"))))
        rows.append(cells)
    return expand(rows)


def _owner_of_row(tr: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    p = tr.getparent()
    while p is not None and p.tag != "table":
        p = p.getparent()
    return p


def _cell_text(cell: lxml_html.HtmlElement) -> str:
    parts: list[str] = []

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        if not isinstance(node.tag, str) or node.tag in _SKIP:
            return
        if node.tag == "br" or node.tag in ("p", "div", "li", "tr", "table"):
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if node.tag in ("p", "div", "li"):
            parts.append("\n")

    walk(cell)
    return clean("".join(parts))


def _int(value: str | None) -> int:
    try:
        return int(str(value).strip()) if value else 1
    except ValueError:
        return 1
