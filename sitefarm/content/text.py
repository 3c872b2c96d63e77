"""Text renderings, as extraction tools hand reports to the parser.

* ``txt``: a PDF text layer, one table row per line with tab-separated cells (seeds/000);
  Word-style reports get a stray page number between two rows of table 三.
* ``txt-cells``: one cell per line, each prefixed by a tab, a blank line after each row (seeds/003).
* ``txt-flat``: a crawler's flattened page text: a metadata header, then the whole body on one
  line with table cells run together (realdata/pingtan-2023.page.txt).
"""

from __future__ import annotations

import random

from .model import Layout, Para, Table, word_rows
from .spec import ReportSpec


def render_tabbed(lay: Layout, rng: random.Random) -> str:
    """Tab-separated rows; covered slots of vertical spans print as empty fields."""
    lines: list[str] = []
    page = rng.randint(2, 4)
    for block in lay.blocks:
        if isinstance(block, Para):
            lines += [block.text, ""]
            continue
        rows = word_rows(block)
        brk = rng.randint(6, len(rows) - 3) if block.name == "requests" and lay.markup == "word" else -1
        for i, row in enumerate(rows):
            if i == brk:
                lines += ["", str(page), "", ""]
            lines.append("\t".join(t.replace("\n", "") for t in row))
        lines.append("")
    return "\n".join(lines) + "\n"


def render_cells(lay: Layout) -> str:
    """One cell per line, as copied out of a Word table."""
    lines: list[str] = []
    for block in lay.blocks:
        if isinstance(block, Para):
            lines.append(block.text if block.kind != "heading" else " " + block.text)
            continue
        for row in word_rows(block):
            lines += ["\t" + t for t in row]
            lines.append("")
    return "\n".join(lines) + "\n"


def flat_table(table: Table) -> str:
    """The table's cell texts run together in reading order, as ``textContent`` gives them."""
    return "".join(c.text.replace("\n", "") for row in table.rows for c in row)


def render_flat(spec: ReportSpec, lay: Layout, rng: random.Random) -> str:
    """A crawled page's text: header fields, a separator, and the body on one line."""
    parts: list[str] = []
    for block in lay.blocks:
        if isinstance(block, Table):
            parts.append(flat_table(block))
        elif block.kind == "heading":
            parts.append(f" {block.text}" if block.text.startswith(("一", "二")) else block.text)
            if block.text.startswith("一"):
                parts.append(" ")
        elif block.kind == "body":
            parts.append(block.text)
    pub = f"{spec.year + 1}-01-{rng.randint(10, 31):02d} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"
    header = (
        f"标题: {spec.title}\n发布时间: {pub}\n文号: \n发布机构: {spec.agency}\n栏目: 政府信息公开年报\n"
        f"原文链接: https://www.example.gov.cn/zwgk/zfxxgk/zfxxgknb/{spec.year + 1}01/t{spec.year + 1}0115_1.html\n"
        "==================== 正文 ====================\n"
    )
    return header + "".join(parts) + "\n"
