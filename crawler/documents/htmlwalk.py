"""An HTML element → paragraphs and table grids in reading order.

Word-pasted markup is read the way a person sees it: inline elements (``<span>1</span><span>2</span>``)
join without spaces, ``<p>``/``<br>`` inside a cell become one space (none between two CJK
characters), ``&nbsp;`` is a space, hidden elements and page furniture are skipped.
"""

from __future__ import annotations

from lxml.html import HtmlElement as Element

from crawler.documents.grid import SpanCell, build_grid, is_blank
from crawler.documents.model import Block
from crawler.documents.normalize import clean_lines, join_parts

#: Never part of the article text.
SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "nav",
        "header",
        "footer",
        "iframe",
        "object",
        "embed",
        "select",
        "option",
        "button",
        "textarea",
        "input",
        "svg",
        "map",
        "area",
    }
)
#: Elements that start and end a paragraph (everything else is inline).
BLOCKS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "blockquote",
        "pre",
        "center",
        "address",
        "aside",
        "main",
        "figure",
        "figcaption",
        "caption",
        "hr",
        "form",
        "fieldset",
        "legend",
        "tr",
        "td",
        "th",
        "tbody",
        "thead",
        "tfoot",
        "body",
        "html",
    }
)
_BREAK = "\x00"
"""Marks a structural line break (``<br>``, paragraph edge) inside collected cell text."""


def hidden(el: Element) -> bool:
    """True for ``style="display:none"`` and the ``hidden`` attribute."""
    style = el.get("style")
    if style and "none" in style:
        compact = style.replace(" ", "").lower()
        if "display:none" in compact or "visibility:hidden" in compact:
            return True
    return el.get("hidden") is not None


def element_blocks(root: Element) -> list[Block]:
    """Paragraphs and tables under ``root``, in document order."""
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    return walker.blocks


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buf: list[str] = []

    def flush(self) -> None:
        if self.buf:
            text = clean_lines("".join(self.buf))
            self.buf.clear()
            if text:
                self.blocks.append(Block(text=text))

    def walk(self, el: Element) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in SKIP or hidden(el):
            return
        if tag == "table":
            self.flush()
            self.table(el)
            return
        if tag == "br":
            self.flush()
            return
        block = tag in BLOCKS
        if block:
            self.flush()
        if el.text:
            self.buf.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.buf.append(child.tail)
        if block:
            self.flush()

    def table(self, table: Element) -> None:
        rows = table_rows(table)
        if all(len(cells) <= 1 for cells in rows):
            # a one-column table is a frame around content (often the real report tables):
            # its cells are read as ordinary content
            for cells in rows:
                for cell in cells:
                    self.walk(cell)
                    self.flush()
            return
        grid = build_grid([[_span_cell(cell) for cell in cells] for cells in rows])
        if grid.rows and not is_blank(grid):
            self.blocks.append(Block(table=grid))


def table_rows(table: Element) -> list[list[Element]]:
    """The ``td``/``th`` cells of each row of ``table`` itself (not of tables nested in it)."""
    rows: list[list[Element]] = []
    for child in table:
        tag = child.tag
        if tag == "tr":
            rows.append(_cells(child))
        elif tag in ("tbody", "thead", "tfoot"):
            rows.extend(_cells(tr) for tr in child if tr.tag == "tr")
    if not rows:  # rows wrapped in something unexpected (<form>, stray <div>)
        rows = [_cells(tr) for tr in table.iter("tr") if _owning_table(tr) is table]
    return rows


def _cells(tr: Element) -> list[Element]:
    return [c for c in tr if c.tag in ("td", "th") and not hidden(c)]


def _owning_table(el: Element) -> Element | None:
    for ancestor in el.iterancestors("table"):
        return ancestor
    return None


def _span_cell(cell: Element) -> SpanCell:
    return SpanCell(cell_text(cell), _span(cell.get("rowspan")), _span(cell.get("colspan")))


def _span(value: str | None) -> int:
    if not value:
        return 1
    digits = "".join(ch for ch in value.strip()[:4] if ch.isdigit())
    return int(digits) if digits else 1


def cell_text(cell: Element) -> str:
    """Text of a table cell: its lines and paragraphs joined by the CJK rule; a nested
    table's cells count as lines of this cell."""
    out: list[str] = [cell.text] if cell.text else []
    _collect(cell, out)
    return join_parts([clean_lines(part) for part in "".join(out).split(_BREAK)])


def _collect(el: Element, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag not in SKIP and not hidden(child):
            if tag == "br":
                out.append(_BREAK)
            else:
                block = tag in BLOCKS or tag == "table"
                if block:
                    out.append(_BREAK)
                if child.text:
                    out.append(child.text)
                _collect(child, out)
                if block:
                    out.append(_BREAK)
        if child.tail:
            out.append(child.tail)
