"""DOCX: paragraphs and tables in body order, merged cells (gridSpan, vMerge) expanded.

Reads ``word/document.xml`` with lxml directly (python-docx builds the whole package object
model, several times slower, and repeats merged cells instead of marking them). The archive
is checked for damage and zip bombs first.
"""

from __future__ import annotations

import re

from lxml import etree

from crawler.documents.grid import pad_rows
from crawler.documents.limits import open_zip, read_member
from crawler.documents.model import Block, Cell, Document, DocumentError
from crawler.documents.normalize import clean, clean_lines, join_parts

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_P, _TBL, _TR, _TC, _T = _W + "p", _W + "tbl", _W + "tr", _W + "tc", _W + "t"
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag", _W + "ins"}
_SKIP = {_MC_FALLBACK, _W + "del", _W + "instrText", _W + "delText", _W + "rPr", _W + "pPr"}
_BREAK = "\x00"
_REPORT_TITLE = re.compile(r"[\u4e00-\u9fff].*(?:报告|年报|公开)")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)


def read_docx(data: bytes, name: str) -> Document:
    """A DOCX file as paragraphs and tables."""
    with open_zip(data, name, "DOCX") as archive:
        xml = read_member(archive, "word/document.xml", name, "DOCX")
        has_core = "docProps/core.xml" in archive.namelist()
        core = read_member(archive, "docProps/core.xml", name, "DOCX") if has_core else b""
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as e:
        raise DocumentError(name, f"damaged DOCX: word/document.xml is not well-formed ({e})") from None
    body = root.find(_W + "body")
    blocks: list[Block] = []
    if body is not None:
        _container(body, blocks)
    return Document(name=name, kind="docx", blocks=tuple(blocks), title=_title(core))


def _title(core: bytes) -> str | None:
    if not core:
        return None
    try:
        found = etree.fromstring(core, _PARSER).find(_DC_TITLE)
    except etree.XMLSyntaxError:
        return None
    title = clean(found.text or "") if found is not None else ""
    # templates leave titles such as "1", "Microsoft Word - x.doc" or a previous year's
    return title if 6 <= len(title) <= 120 and _REPORT_TITLE.search(title) else None


def _container(el: etree._Element, blocks: list[Block]) -> None:
    """Blocks of a body, cell or content control, in order."""
    for child in el:
        tag = child.tag
        if tag == _P:
            for line in _paragraph_text(child).split(_BREAK):
                text = clean_lines(line)
                if text:
                    blocks.append(Block(text=text))
        elif tag == _TBL:
            _table(child, blocks)
        elif tag in _WRAPPERS:
            _container(child, blocks)


def _paragraph_text(p: etree._Element) -> str:
    """Runs joined; manual line breaks as :data:`_BREAK`."""
    out: list[str] = []
    _runs(p, out)
    return "".join(out)


def _runs(el: etree._Element, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if tag == _T:
            if child.text:
                out.append(child.text)
        elif tag == _W + "tab":
            out.append(" ")
        elif tag in (_W + "br", _W + "cr"):
            out.append(_BREAK)
        elif tag == _P:  # a paragraph inside a text box
            out.append(_BREAK)
            _runs(child, out)
            out.append(_BREAK)
        elif isinstance(tag, str) and tag not in _SKIP:
            _runs(child, out)


def _rows(tbl: etree._Element) -> list[etree._Element]:
    rows: list[etree._Element] = []
    for child in tbl:
        if child.tag == _TR:
            rows.append(child)
        elif child.tag in _WRAPPERS:
            rows.extend(_rows(child))
    return rows


def _cells(tr: etree._Element) -> list[etree._Element]:
    cells: list[etree._Element] = []
    for child in tr:
        if child.tag == _TC:
            cells.append(child)
        elif child.tag in _WRAPPERS:
            cells.extend(_cells(child))
    return cells


def _table(tbl: etree._Element, blocks: list[Block]) -> None:
    rows = [(tr, _cells(tr)) for tr in _rows(tbl)]
    if all(len(cells) <= 1 for _, cells in rows):
        # a one-column table frames content (often the real tables): read it as content
        for _, cells in rows:
            for cell in cells:
                _container(cell, blocks)
        return
    grid: list[list[Cell]] = []
    for tr, cells in rows:
        slots: list[Cell] = [""] * _int_prop(tr, "trPr", "gridBefore", 0)
        for tc in cells:
            span = max(1, min(_int_prop(tc, "tcPr", "gridSpan", 1), 200))
            merge = _vmerge(tc)
            if merge == "continue" and grid:
                slots.extend([None] * span)
            else:
                slots.append(_cell_text(tc))
                slots.extend([None] * (span - 1))
        grid.append(slots)
    table = pad_rows(grid)
    if table.rows and any(cell for row in table.rows for cell in row):
        blocks.append(Block(table=table))


def _int_prop(el: etree._Element, props: str, name: str, default: int) -> int:
    holder = el.find(_W + props)
    found = holder.find(_W + name) if holder is not None else None
    if found is None:
        return default
    value = found.get(_W + "val", "")
    return int(value) if value.isdigit() else default


def _vmerge(tc: etree._Element) -> str | None:
    props = tc.find(_W + "tcPr")
    merge = props.find(_W + "vMerge") if props is not None else None
    if merge is None:
        return None
    return merge.get(_W + "val") or "continue"


def _cell_text(tc: etree._Element) -> str:
    """A cell's paragraphs (and nested tables' paragraphs) joined by the CJK rule."""
    parts: list[str] = []
    for p in tc.iter(_P):
        parts.extend(clean_lines(line) for line in _paragraph_text(p).split(_BREAK))
    return join_parts(parts)
