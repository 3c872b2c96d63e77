"""TRS WCM static publishing, shared by the portals built on it (plain, 瑞数-gated).

List pages ``index.html``, ``index_1.html``… carry their pager only as a
``createPageHTML(countPage, currentPage, "index", "html")`` call (gov-sites.md §1); articles
live in ``./YYYYMM/tYYYYMMDD_<docid>.html`` with ``div.TRS_Editor`` and TRS meta tags;
attachments ``./P0YYYYMMDD<digits>.pdf`` sit beside the article with an ``OLDSRC`` under
``/protect/`` that 404s.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..chrome import article_meta, breadcrumb, column_meta, e, page

PAGER_JS = """\
// TRS WCM 分页
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  var maxStatic = window.maxStaticPage || _nPageCount;
  function href(i){
    if(i >= maxStatic && window.was5Url){ return window.was5Url + "&page=" + (i + 1); }
    return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt;
  }
  var out = [];
  if(nCurrIndex == 0){ out.push("<span>首页</span>", "<span>上一页</span>"); }
  else { out.push("<a href=\\"" + href(0) + "\\">首页</a>", "<a href=\\"" + href(nCurrIndex - 1) + "\\">上一页</a>"); }
  if(nCurrIndex == _nPageCount - 1){ out.push("<span>下一页</span>", "<span>尾页</span>"); }
  else { out.push("<a href=\\"" + href(nCurrIndex + 1) + "\\">下一页</a>", "<a href=\\"" + href(_nPageCount - 1) + "\\">尾页</a>"); }
  out.push("<span>共" + _nPageCount + "页</span>");
  document.write(out.join("&nbsp;"));
}
"""


@dataclass(frozen=True)
class Item:
    """One list entry: title, date shown, href relative to the column directory."""

    title: str
    day: date
    href: str


def docid(day: date, rng: random.Random) -> int:
    """TRS document ids grow with time; neighbours differ by a few hundred."""
    return 1_200_000 + (day - date(2012, 1, 1)).days * 311 + rng.randint(0, 300)


def article_path(column: str, day: date, doc: int, ext: str = "html") -> str:
    return f"{column}{day:%Y%m}/t{day:%Y%m%d}_{doc}.{ext}"


def attachment_name(day: date, doc: int, ext: str) -> str:
    return f"P0{day:%Y%m%d}{doc:09d}{doc % 997:06d}.{ext}"


def list_pages(
    column: str,
    items: list[Item],
    per_page: int,
    render: Callable[[str, int, int], str],
    *,
    ext: str = "html",
    max_static: int | None = None,
) -> list[tuple[str, str, list[Item]]]:
    """Split ``items`` into (path, html, items) static pages; ``render(list_html, index, count)``."""
    count = max(1, -(-len(items) // per_page))
    static = count if max_static is None else min(count, max_static)
    out = []
    for i in range(static):
        chunk = items[i * per_page : (i + 1) * per_page]
        lis = "".join(
            f'<li trs-attr="chip"><a href="{e(it.href)}" title="{e(it.title)}" target="_blank">{e(_short(it.title))}</a>'
            f"<span>{it.day.isoformat()}</span></li>\n"
            for it in chunk
        )
        name = "index" if i == 0 else f"index_{i}"
        out.append((f"{column}{name}.{ext}", render(f'<ul class="list">\n{lis}</ul>\n', i, count), chunk))
    return out


def pager_script(index: int, count: int, ext: str = "html", *, max_static: int = 0, was5: str = "") -> str:
    extra = f'var maxStaticPage = {max_static};\nvar was5Url = "{was5}";\n' if max_static else ""
    return (
        f'<div class="page">\n<script type="text/javascript">\n{extra}var currentPage = {index};//所在页从0开始\n'
        f'var countPage = {count}//共多少页\ncreatePageHTML(countPage, currentPage, "index", "{ext}");\n'
        "</script>\n</div>\n"
    )


def _short(title: str, limit: int = 30) -> str:
    return title if len(title) <= limit else title[: limit - 3] + "..."


def trs_article(
    *,
    site_meta: str,
    header: str,
    footer: str,
    crumbs: tuple[tuple[str, str], ...],
    title: str,
    pubdate: str,
    source: str,
    doc: int,
    channel: int,
    column_name: str,
    body: str,
    attachments: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
) -> str:
    """A TRS detail page; ``attachments`` are (href, OLDSRC, shown name)."""
    meta = (
        site_meta
        + article_meta(title, pubdate, source, column_name)
        + (
            f'<meta name="contentid" content="{doc}">\n<meta name="publishdate" content="{pubdate[:10]}">\n'
            f'<meta name="catalogs" content="{channel}">\n<meta name="filetype" content="0">\n'
            '<meta name="publishedtype" content="1">\n<meta name="pagetype" content="1">\n'
        )
    )
    files = "".join(
        f'<p class="insertfileTag"><a appendix="true" data-appendix="true" needdownload="true" href="{e(h)}" '
        f'title="{e(n)}" download="{e(n)}" OLDSRC="{e(o)}">{e(n)}</a></p>\n'
        for h, o, n in attachments
    )
    if files:
        files = '<div class="fj"><p>附件：</p>\n' + files + "</div>\n"
    content = (
        f'{header}{breadcrumb(*crumbs)}<div class="article">\n<h1 class="title">{e(title)}</h1>\n'
        f'<div class="info"><span>发布时间：{e(pubdate[:16])}</span><span>来源：{e(source)}</span>'
        '<span>字号：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a></span></div>\n'
        f'<div class="view TRS_UEDITOR trs_paper_default trs_web"><div class="TRS_Editor">\n{body}\n</div></div>\n'
        f"{files}</div>\n{footer}"
    )
    return page(title, meta, content)


def trs_column_page(
    *,
    site_meta: str,
    header: str,
    footer: str,
    crumbs: tuple[tuple[str, str], ...],
    column_name: str,
    column_kind: str,
    list_html: str,
    pager: str,
    title: str,
) -> str:
    meta = site_meta + column_meta(column_name, column_kind)
    body = (
        f'{header}{breadcrumb(*crumbs)}<div class="main"><div class="lm_title">{e(column_name)}</div>\n'
        f"{list_html}{pager}</div>\n{footer}"
    )
    return page(
        title, meta, body, scripts='<script type="text/javascript" src="/js/createPageHTML.js"></script>\n'
    )
