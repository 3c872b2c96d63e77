"""Page templates of the city portal (Guangzhou/Shenzhen 集约化 style: ``content/post_<id>.html``)."""

from __future__ import annotations

import hashlib
from datetime import date

from ..chrome import article_meta, breadcrumb, column_meta, e, footer, nav, page, site_meta

NAME, DOMAIN, CODE = "示范市人民政府", "www.shifan.gov.cn", "4401000099"
CITY = "示范市"
NAV = [
    ("/index.html", "首页"),
    ("/zwgk/index.html", "政务公开"),
    ("/xwzx/index.html", "新闻中心"),
    ("/hdjl/index.html", "互动交流"),
]
META = site_meta(NAME, DOMAIN, CODE)
Crumbs = tuple[tuple[str, str], ...]


def head() -> str:
    return (
        f'<div class="header"><div class="logo"><a href="/index.html">{NAME}</a></div>'
        '<div class="search"><a href="/search/?searchWord=%E5%B9%B4%E6%8A%A5">站内搜索</a></div></div>\n'
        + nav(NAV)
    )


def foot() -> str:
    return footer(NAME, CODE, "粤ICP备05099999号", (("gkmlpt", "南湾区人民政府"), ("trs", "东屿市人民政府")))


def post_id(key: str) -> int:
    return 4_000_000 + int(hashlib.sha1(key.encode()).hexdigest()[:7], 16) % 5_000_000


def post_path(column: str, key: str) -> str:
    return f"{column}content/post_{post_id(key)}.html"


def article(
    title: str, stamp: str, source: str, crumbs: Crumbs, body: str, files: list[tuple[str, str]]
) -> str:
    """A detail page; ``files`` are (href, shown name)."""
    links = "".join(f'<li><a href="{e(h)}" target="_blank">{e(n)}</a></li>' for h, n in files)
    attach = f'<div class="attachment"><p>附件：</p><ul>{links}</ul></div>\n' if links else ""
    content = (
        f'{head()}{breadcrumb(*crumbs)}<div class="article"><h1>{e(title)}</h1>\n'
        f'<div class="properties"><span>发布日期：{e(stamp[:10])}</span><span>来源：{e(source)}</span></div>\n'
        f'<div class="article-content">\n{body}\n</div>\n{attach}</div>\n{foot()}'
    )
    return page(title, META + article_meta(title, stamp, source), content)


def column(
    title: str,
    crumbs: Crumbs,
    items: list[tuple[str, str, date]],
    index: int,
    count: int,
    kind: str = "信息公开",
) -> str:
    """A list page with an ordinary <a> pager: index.html, index_2.html, … (1-based, like Guangzhou)."""
    lis = "".join(
        f'<li><a href="{e(h)}" title="{e(t)}" target="_blank">{e(t)}</a><span>{d}</span></li>\n'
        for h, t, d in items
    )

    def name(i: int) -> str:
        return "index.html" if i == 0 else f"index_{i + 1}.html"

    pager = [f'<a href="{name(0)}">首页</a>']
    if index > 0:
        pager.append(f'<a href="{name(index - 1)}">上一页</a>')
    if index + 1 < count:
        pager.append(f'<a href="{name(index + 1)}">下一页</a>')
    pager.append(f'<a href="{name(count - 1)}">尾页</a> <span>共{count}页</span>')
    body = (
        f'{head()}{breadcrumb(*crumbs)}<div class="list-box"><h2>{e(title)}</h2>\n<ul class="news_list">\n'
        f'{lis}</ul>\n<div class="pagination">{" ".join(pager)}</div></div>\n{foot()}'
    )
    return page(f"{title}-{NAME}", META + column_meta(title, kind), body)


def menu(title: str, crumbs: Crumbs, links: list[tuple[str, str]], intro: str = "") -> str:
    lis = "".join(f'<li><a href="{e(h)}">{e(t)}</a></li>' for h, t in links)
    body = f'{head()}{breadcrumb(*crumbs)}<div class="menu"><h2>{e(title)}</h2>{intro}<ul>{lis}</ul></div>\n{foot()}'
    return page(f"{title}-{NAME}", META + column_meta(title), body)
