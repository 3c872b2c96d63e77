"""DOCX: paragraphs and tables in body order, merged cells (gridSpan, vMerge) expanded.
Refuses damaged archives and zip bombs before opening."""

from __future__ import annotations

import io
import zipfile

from crawler.documents.grid import clean
from crawler.documents.model import Block, Cell, Document, DocumentError, Table

MAX_UNPACKED = 200 * 2**20
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_zip(data: bytes, name: str, kind: str) -> None:
    """Refuse a damaged archive or one that would unpack to far more than it weighs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocumentError(name, f"damaged {kind}: not a complete zip archive") from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED or any(i.file_size > 10 * 2**20 and i.file_size > 200 * max(i.compress_size, 1)
                                   for i in infos):
        raise DocumentError(name, f"{kind} expands to {total / 2**30:.1f} GB: refusing a possible zip bomb")


def read_docx(data: bytes, name: str) -> Document:
    check_zip(data, name, "DOCX")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise DocumentError(name, f"damaged DOCX ({type(e).__name__})") from None
    except Exception as e:  # malformed XML inside a valid zip
        raise DocumentError(name, f"damaged DOCX ({type(e).__name__}: {str(e)[:60]})") from None
    blocks: list[Block] = []
    for el in document.element.body.iterchildren():
        if el.tag == _W + "p":
            text = clean(_text(el))
            if text:
                blocks.append(Block(text=text))
        elif el.tag == _W + "tbl":
            blocks.append(Block(table=_table(el)))
    title = (document.core_properties.title or "").strip() or None
    return Document(name=name, kind="docx", blocks=tuple(blocks), title=title)


def _text(el) -> str:  # type: ignore[no-untyped-def]
    """Text of a paragraph or cell: runs joined, breaks and paragraphs as newlines."""
    parts: list[str] = []
    for node in el.iter():
        if node.tag == _W + "t" and node.text:
            parts.append(node.text)
        elif node.tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif node.tag == _W + "tab":
            parts.append(" ")
        elif node.tag == _W + "p" and parts:
            parts.append("\n")
    return "".join(parts)


def _table(tbl) -> Table:  # type: ignore[no-untyped-def]
    rows: list[list[Cell]] = []
    for tr in tbl.iterchildren(_W + "tr"):
        row: list[Cell] = []
        for tc in tr.iterchildren(_W + "tc"):
            props = tc.find(_W + "tcPr")
            span, vmerge = 1, None
            if props is not None:
                gs = props.find(_W + "gridSpan")
                if gs is not None:
                    span = int(gs.get(_W + "val", "1") or 1)
                vm = props.find(_W + "vMerge")
                if vm is not None:
                    vmerge = vm.get(_W + "val", "continue")
            if vmerge == "continue":
                row.extend([None] * span)
            else:
                row.append(clean(_text(tc)))
                row.extend([None] * (span - 1))
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return Table(tuple(tuple(r) + ("",) * (width - len(r)) for r in rows))
