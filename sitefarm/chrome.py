"""Page furniture every government portal carries: standard meta tags, headers, footers, offsite links.

Meta tags follow 《政府网站发展指引》 (gov-sites.md §5): SiteName/SiteDomain/SiteIDCode on every
page, Column* on lists, Article*/PubDate/ContentSource on articles. Footers link to sites the
crawler must not follow (www.gov.cn, the ICP registry, a sibling farm portal).
"""

from __future__ import annotations

from html import escape

OFFSITE = (
    ("http://www.gov.cn/", "中国政府网"),
    ("https://beian.miit.gov.cn/", "ICP备案"),
    ("https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={code}", "政府网站找错"),
    ("http://www.12377.cn/", "网上有害信息举报"),
)


def e(text: object) -> str:
    return escape(str(text), quote=True)


def site_meta(name: str, domain: str, code: str) -> str:
    return (
        f'<meta name="SiteName" content="{e(name)}">\n<meta name="SiteDomain" content="{e(domain)}">\n'
        f'<meta name="SiteIDCode" content="{e(code)}">\n'
    )


def column_meta(name: str, kind: str = "信息公开", keywords: str = "") -> str:
    return (
        f'<meta name="ColumnName" content="{e(name)}">\n<meta name="ColumnDescription" content="{e(name)}">\n'
        f'<meta name="ColumnKeywords" content="{e(keywords or name)}">\n<meta name="ColumnType" content="{e(kind)}">\n'
    )


def article_meta(title: str, pubdate: str, source: str, column: str = "", url: str = "") -> str:
    out = (
        f'<meta name="ArticleTitle" content="{e(title)}">\n<meta name="PubDate" content="{e(pubdate)}">\n'
        f'<meta name="ContentSource" content="{e(source)}">\n<meta name="Keywords" content="">\n'
        f'<meta name="Author" content="{e(source)}">\n<meta name="Description" content="{e(title)}">\n'
        '<meta name="Image" content="">\n'
    )
    if column:
        out += f'<meta name="ColumnName" content="{e(column)}">\n'
    if url:
        out += f'<meta name="Url" content="{e(url)}">\n'
    return out


def footer(name: str, code: str, icp: str, siblings: tuple[tuple[str, str], ...] = ()) -> str:
    """Footer with offsite links; ``siblings`` are (farm portal id, title) of other farm portals."""
    links = [f'<a href="{u.format(code=code)}" target="_blank">{t}</a>' for u, t in OFFSITE]
    links += [f'<a href="{{{{farm:{pid}}}}}/" target="_blank">{e(t)}</a>' for pid, t in siblings]
    return (
        '<div class="footer">\n<div class="links">友情链接：' + " | ".join(links) + "</div>\n"
        f"<p>主办单位：{e(name)}办公室　网站标识码：{e(code)}　"
        f'<a href="https://beian.miit.gov.cn/" target="_blank">{e(icp)}</a></p>\n'
        '<p><a href="http://www.beian.gov.cn/portal/registerSystemInfo" target="_blank">公网安备 35010202000123号</a>'
        "　建议使用1366×768以上分辨率浏览</p>\n</div>\n"
    )


def breadcrumb(*crumbs: tuple[str, str]) -> str:
    parts = [f'<a href="{e(href)}">{e(text)}</a>' if href else e(text) for href, text in crumbs]
    return '<div class="position">当前位置：' + " &gt; ".join(parts) + "</div>\n"


def nav(items: list[tuple[str, str]]) -> str:
    return (
        '<div class="nav"><ul>'
        + "".join(f'<li><a href="{e(h)}">{e(t)}</a></li>' for h, t in items)
        + "</ul></div>\n"
    )


def page(
    title: str,
    head_meta: str,
    body: str,
    *,
    charset: str = "utf-8",
    http_equiv: bool = False,
    scripts: str = "",
) -> str:
    """A whole HTML page; ``http_equiv`` uses the old ``<meta http-equiv>`` charset form."""
    cs = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        if http_equiv
        else f'<meta charset="{charset}">'
    )
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n{cs}\n'
        '<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
        f"<title>{e(title)}</title>\n{head_meta}{scripts}</head>\n<body>\n{body}</body>\n</html>\n"
    )
