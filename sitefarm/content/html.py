"""HTML renderings: the article body as Word pastes it (or as a clean editor writes it), and a
standalone page around it in UTF-8 or GBK."""

from __future__ import annotations

import random
from html import escape

from .model import Cell, Layout, Para, Table
from .spec import ReportSpec

_PT_PER_CM = 28.35


def _spans(text: str, rng: random.Random, font: str) -> str:
    """Word splits runs anywhere: digits and labels end up spread over several ``<span>``s."""
    if len(text) < 2 or rng.random() < 0.4:
        return f'<span style="font-size:10.5pt;font-family:{font}">{escape(text)}</span>'
    cut = rng.randint(1, len(text) - 1)
    lang = ' lang="EN-US"' if text[:cut].isascii() else ""
    return (
        f'<span{lang} style="font-size:10.5pt;font-family:{font}">{escape(text[:cut])}</span>'
        f'<span style="font-size:10.5pt;font-family:{font}">{escape(text[cut:])}</span>'
    )


def _word_cell(cell: Cell, width_cm: float, rng: random.Random) -> str:
    attrs = "".join(f' {n}="{v}"' for n, v in (("colspan", cell.colspan), ("rowspan", cell.rowspan)) if v > 1)
    style = f"width:{width_cm * _PT_PER_CM:.1f}pt;border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt"
    if not cell.text:
        inner = '<span lang="EN-US"><o:p>&nbsp;</o:p></span>'
    else:
        font = "宋体" if not cell.text.isascii() else "Times New Roman"
        inner = "<br />".join(_spans(line, rng, font) for line in cell.text.split("\n"))
        if rng.random() < 0.1:
            inner = "&nbsp;" + inner
    align = (
        ' align="center" style="text-align:center"' if cell.key or cell.header or rng.random() < 0.5 else ""
    )
    return (
        f'<td nowrap{attrs} valign="center" style="{style}">'
        f'<p class="MsoNormal"{align}>{inner}<span lang="EN-US"><o:p></o:p></span></p></td>'
    )


def _clean_cell(cell: Cell) -> str:
    attrs = "".join(f' {n}="{v}"' for n, v in (("colspan", cell.colspan), ("rowspan", cell.rowspan)) if v > 1)
    tag = "th" if cell.header else "td"
    return f"<{tag}{attrs}>{escape(cell.text).replace(chr(10), '<br />')}</{tag}>"


def _table(table: Table, markup: str, rng: random.Random) -> str:
    if markup == "clean":
        rows = "".join("<tr>" + "".join(_clean_cell(c) for c in row) + "</tr>\n" for row in table.rows)
        return f'<table border="1" cellspacing="0" cellpadding="4">\n<tbody>\n{rows}</tbody></table>\n'
    per_col = sum(table.widths) / len(table.widths)
    rows = "".join(
        '<tr style="height:20.0pt">'
        + "".join(_word_cell(c, per_col * c.colspan, rng) for c in row)
        + "</tr>\n"
        for row in table.rows
    )
    return (
        '<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
        'style="border-collapse:collapse;border:none">\n<tbody>\n' + rows + "</tbody></table>\n"
    )


def _para(p: Para, markup: str) -> str:
    text = escape(p.text)
    if markup == "clean":
        if p.kind == "title":
            return f'<p style="text-align:center"><strong>{text}</strong></p>\n'
        return f"<p><strong>{text}</strong></p>\n" if p.kind == "heading" else f"<p>{text}</p>\n"
    if p.kind == "title":
        return (
            '<p class="MsoNormal" align="center" style="text-align:center;line-height:28.0pt">'
            f'<span style="font-size:22.0pt;font-family:方正小标宋简体">{text}</span></p>\n'
        )
    font = "黑体" if p.kind == "heading" else "仿宋_GB2312"
    return (
        '<p class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt">'
        f'<span style="font-size:16.0pt;font-family:{font}">{text}</span></p>\n'
    )


def render_body(lay: Layout, rng: random.Random) -> str:
    """The article body: paragraphs and tables as the CMS stores them."""
    return "".join(
        _para(b, lay.markup) if isinstance(b, Para) else _table(b, lay.markup, rng) for b in lay.blocks
    )


def render_page(spec: ReportSpec, lay: Layout, rng: random.Random, charset: str = "utf-8") -> str:
    """A standalone article page (TRS-like meta tags, ``div.TRS_Editor`` body)."""
    meta = (
        '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'
        if charset == "gbk"
        else '<meta charset="utf-8">'
    )
    pub = f"{spec.year + 1}-01-{rng.randint(10, 31):02d}"
    title = escape(spec.title)
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n{meta}\n<title>{title}</title>\n'
        f'<meta name="ArticleTitle" content="{title}">\n<meta name="PubDate" content="{pub} 09:30">\n'
        f'<meta name="ContentSource" content="{escape(spec.agency)}">\n</head>\n<body>\n'
        f'<div class="article">\n<h1 class="article-title">{title}</h1>\n'
        f'<div class="article-info">发布时间：{pub}　来源：{escape(spec.agency)}</div>\n'
        f'<div class="TRS_Editor" id="zoom">\n{render_body(lay, rng)}</div>\n</div>\n</body>\n</html>\n'
    )
