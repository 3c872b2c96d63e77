"""Portal 1: a city government on TRS WCM static publishing (UTF-8, like pingtan.gov.cn, mee.gov.cn).

Reachability: home → 政务公开 → 政府信息公开 → 政府信息公开年报 (city) and 区县政府信息公开年报.
The news column stops publishing static pages after five; older pages exist only as TRS WAS5
search fragments, which the createPageHTML script links to.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..chrome import breadcrumb, e, footer, nav, page, site_meta
from ..manifest import PortalInfo
from ..news import Article, articles, noise_report
from ..portal import BuildContext, PortalBuild
from ..routes import Fault
from ..slots import known_slot, make_slot
from ..timeline import MOVE_DATE, report_years
from .trs_common import PAGER_JS, Item, list_pages, pager_script, trs_column_page
from .trs_reports import Column, article_page, publish_article, publish_report

NAME, DOMAIN, CODE = "东屿市人民政府", "www.dongyu.gov.cn", "3502000021"
CITY = "东屿市"
DISTRICTS = (("gsq", "东屿市鼓山区人民政府"), ("ybq", "东屿市屿北区人民政府"), ("qhx", "青湖县人民政府"))
NB = Column(
    "/zwgk/zfxxgk/zfxxgknb/",
    "政府信息公开年报",
    1813,
    (("/", "首页"), ("/zwgk/", "政务公开"), ("/zwgk/zfxxgk/", "政府信息公开"), ("", "政府信息公开年报")),
)
QX = Column(
    "/zwgk/zfxxgk/qxnb/",
    "区县政府信息公开年报",
    1814,
    (("/", "首页"), ("/zwgk/", "政务公开"), ("/zwgk/zfxxgk/", "政府信息公开"), ("", "区县政府信息公开年报")),
)
NEWS = Column("/xwzx/zwyw/", "政务要闻", 1805, (("/", "首页"), ("/xwzx/", "新闻中心"), ("", "政务要闻")))
WORK = Column(
    "/zwgk/zfgzbg/", "政府工作报告", 1820, (("/", "首页"), ("/zwgk/", "政务公开"), ("", "政府工作报告"))
)
WAS5 = "/was5/web/search?channelid=254874&chnlid=1805&prepage=20"
NEWS_STATIC = 5

NAV = [
    ("/", "首页"),
    ("/zwgk/", "政务公开"),
    ("/xwzx/", "新闻中心"),
    ("http://zwfw.dongyu.gov.cn/", "政务服务"),
    ("/hdjl/", "互动交流"),
]


WITHDRAWN = 2
"""Reports the district column's counter still counts after they were withdrawn (the farm's one
column whose stated size exceeds what can be found: the crawl must flag it)."""


def _header() -> str:
    return (
        f'<div class="header"><div class="logo"><a href="/">{NAME}</a></div>'
        '<div class="search"><form action="/search/" method="get"><input name="searchWord" type="text">'
        '<button type="submit">搜索</button></form>'
        '<a href="/search/?searchWord=%E5%B9%B4%E6%8A%A5">高级搜索</a></div></div>\n' + nav(NAV)
    )


def _footer() -> str:
    return footer(NAME, CODE, "闽ICP备05012345号", (("hanweb", "江淮省人民政府"),))


META = site_meta(NAME, DOMAIN, CODE)


def _write_column(
    pb: PortalBuild,
    col: Column,
    items: list[Item],
    modified: date,
    *,
    per_page: int = 15,
    max_static: int | None = None,
    withdrawn: int = 0,
) -> None:
    """``withdrawn``: records the list's counter still counts though their pages were taken
    down (a stale 共N条, as real columns show after reports are withdrawn)."""
    items = sorted(items, key=lambda it: it.day, reverse=True)
    stated = len(items) + withdrawn

    def render(list_html: str, index: int, count: int) -> str:
        pager = pager_script(index, count, max_static=max_static or 0, was5=WAS5 if max_static else "")
        pager = f'<div class="page-total">共 {stated} 条记录</div>\n' + pager
        return trs_column_page(
            site_meta=META,
            header=_header(),
            footer=_footer(),
            crumbs=col.crumbs,
            column_name=col.name,
            column_kind="信息公开",
            list_html=list_html,
            pager=pager,
            title=f"{col.name}_{NAME}",
        )

    for path, html, _ in list_pages(col.path, items, per_page, render, max_static=max_static):
        pb.routes.page(path, html, modified)
    if max_static is not None and len(items) > max_static * per_page:
        rest = items[max_static * per_page :]
        lis = [
            f'<li><a href="{col.path}{it.href[2:]}" target="_blank">{e(it.title)}</a><span>{it.day}</span></li>'
            for it in items
        ]
        pb.data.setdefault("was5", {})[str(col.channel)] = lis
        pb.trap(
            col.path,
            "static-page-limit",
            title="pages past the fifth only via /was5/web/search",
            static_pages=max_static,
            was5=WAS5,
            items_beyond=len(rest),
        )


def _simple(
    pb: PortalBuild, path: str, title: str, crumbs: tuple[tuple[str, str], ...], inner: str, modified: date
) -> None:
    body = f'{_header()}{breadcrumb(*crumbs)}<div class="main">{inner}</div>\n{_footer()}'
    pb.routes.page(path, page(title, META, body), modified)


def build(ctx: BuildContext) -> PortalBuild:
    _article_page = article_page(META, _header(), _footer(), f"{NAME}办公室")
    info = PortalInfo(
        id="trs",
        style="trs-wcm",
        name=NAME,
        domain=DOMAIN,
        home="/index.html",
        disclosure="/zwgk/zfxxgk/",
        report_columns=(NB.path, QX.path),
        charset="utf-8",
        robots_disallow=("/search/", "/protect/"),
        imitates=(
            "TRS WCM static site (pingtan.gov.cn, mee.gov.cn): index_N.html lists paged only by "
            "createPageHTML(), ./YYYYMM/tYYYYMMDD_<docid>.html articles in div.TRS_Editor, ./P0….pdf "
            "attachments with dead OLDSRC, static pages capped at 5 with WAS5 search beyond"
        ),
    )
    pb = PortalBuild(info, ctx)
    as_of = ctx.config.as_of
    years = report_years(as_of)

    gov = [
        make_slot(pb, "gov", NAME, y, government=True, scale="city", modes=(("inline", 0.75), ("both", 0.25)))
        for y in years
    ]
    nb_items = [
        it
        for s in gov
        if (it := publish_report(pb, NB, s, _article_page, moved_to=MOVE_DATE if s.year == 2024 else None))
    ]
    qx_slots = [
        make_slot(pb, slug, name, y, government=True, formats=("pdf", "docx"))
        for slug, name in DISTRICTS
        for y in years
        if y >= 2019
    ]
    qx_slots += [known_slot(pb, n, s, government=True) for n, s in ctx.take_known("平潭")]
    qx_items = [it for s in qx_slots if (it := publish_report(pb, QX, s, _article_page))]

    news = articles(pb.rng("news"), CITY, date(2024, 1, 3), as_of, every=4.0)
    news_items = [publish_article(pb, NEWS, a, _article_page) for a in news]
    work_items = []
    for y in range(2022, as_of.year + 1):
        day = date(y, 1, 20)
        if day < as_of:
            title, paras = noise_report("government-work-report", CITY, y)
            work_items.append(
                publish_article(pb, WORK, Article(title, day, "government-work-report", paras), _article_page)
            )

    last = max([it.day for it in nb_items + qx_items + news_items] + [date(2024, 1, 3)])
    _write_column(pb, NB, nb_items, last, per_page=10)
    _write_column(pb, QX, qx_items, last, per_page=15, withdrawn=WITHDRAWN)
    pb.trap(QX.path, "short-column", title="the list's counter states more records than it lists",
            stated=len(qx_items) + WITHDRAWN, listed=len(qx_items))
    _write_column(pb, NEWS, news_items, last, per_page=20, max_static=NEWS_STATIC)
    _write_column(pb, WORK, work_items, last)
    _static_pages(pb, news_items, last)
    _faults(pb, news_items)
    pb.server = {"server": "nginx"}
    return pb


def _static_pages(pb: PortalBuild, news: list[Item], last: date) -> None:
    top = "".join(
        f'<li><a href="{NEWS.path}{it.href[2:]}">{e(it.title)}</a><span>{it.day}</span></li>'
        for it in news[:8]
    )
    home = (
        f'<div class="ywdt"><h2><a href="{NEWS.path}">政务要闻</a></h2><ul>{top}</ul></div>\n'
        '<div class="zwgk"><h2><a href="/zwgk/">政务公开</a></h2><ul>'
        '<li><a href="/zwgk/zfxxgk/zfxxgkzn/">政府信息公开指南</a></li>'
        '<li><a href="/zwgk/zfxxgk/">政府信息公开</a></li><li><a href="/zwgk/zfgzbg/">政府工作报告</a></li>'
        '<li><a href="/hdjl/hdrl/">政务活动日历</a></li></ul></div>\n'
    )
    _simple(pb, "/index.html", NAME, (("", "首页"),), home, last)
    _simple(
        pb,
        "/zwgk/index.html",
        f"政务公开_{NAME}",
        (("/", "首页"), ("", "政务公开")),
        '<ul class="zwgk-menu"><li><a href="/zwgk/zfxxgk/">政府信息公开</a></li>'
        '<li><a href="/zwgk/zfgzbg/">政府工作报告</a></li><li><a href="/xwzx/zwyw/">政务要闻</a></li></ul>',
        last,
    )
    _simple(
        pb,
        "/xwzx/index.html",
        f"新闻中心_{NAME}",
        (("/", "首页"), ("", "新闻中心")),
        f'<ul><li><a href="{NEWS.path}">政务要闻</a></li></ul>',
        last,
    )
    _simple(
        pb,
        "/hdjl/index.html",
        f"互动交流_{NAME}",
        (("/", "首页"), ("", "互动交流")),
        '<ul><li><a href="/hdjl/hdrl/">政务活动日历</a></li></ul>',
        last,
    )
    _simple(
        pb,
        "/zwgk/zfxxgk/index.html",
        f"政府信息公开_{NAME}",
        (("/", "首页"), ("/zwgk/", "政务公开"), ("", "政府信息公开")),
        '<div class="xxgk-menu"><ul><li><a href="/zwgk/zfxxgk/zfxxgkzn/">政府信息公开指南</a></li>'
        '<li><a href="/zwgk/zfxxgk/zfxxgkzd/">政府信息公开制度</a></li>'
        '<li><a href="/zwgk/zfxxgk/fdzdgknr/">法定主动公开内容</a></li>'
        f'<li><a href="{NB.path}">政府信息公开年报</a></li><li><a href="{QX.path}">区县政府信息公开年报</a></li>'
        '<li><a href="/zwgk/zfxxgk/ysqgk/">依申请公开</a></li></ul></div>',
        last,
    )
    guide = (
        "<h1>东屿市人民政府政府信息公开指南</h1><p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》"
        "编制本指南。</p><p>五、政府信息公开工作年度报告：本机关每年1月31日前向社会公布上一年度政府信息公开工作年度报告，"
        f'详见<a href="{NB.path}">政府信息公开年报</a>栏目。</p>'
    )
    _simple(
        pb,
        "/zwgk/zfxxgk/zfxxgkzn/index.html",
        f"政府信息公开指南_{NAME}",
        NB.crumbs[:3],
        guide,
        date(2020, 3, 2),
    )
    pb.noise_page("/zwgk/zfxxgk/zfxxgkzn/", "guide", "政府信息公开指南")
    for slug, title in (
        ("zfxxgkzd", "政府信息公开制度"),
        ("fdzdgknr", "法定主动公开内容"),
        ("ysqgk", "依申请公开"),
    ):
        _simple(
            pb,
            f"/zwgk/zfxxgk/{slug}/index.html",
            f"{title}_{NAME}",
            NB.crumbs[:3],
            f"<h1>{title}</h1><p>暂无信息。</p>",
            date(2021, 5, 6),
        )
    pb.routes.file("/js/createPageHTML.js", PAGER_JS.encode(), "application/javascript", date(2019, 6, 1))
    pb.routes.file(
        "/robots.txt",
        b"User-agent: *\nDisallow: /search/\nDisallow: /protect/\n",
        "text/plain",
        date(2020, 1, 1),
    )
    pb.routes.handler("/was5/web/search", "was5")
    pb.routes.handler("/search/", "search")
    pb.trap(
        "/search/",
        "robots-disallowed-search",
        title="site search, infinite result pages; robots.txt forbids it",
    )
    pb.routes.handler("/hdjl/hdrl/", "calendar", today=pb.cfg.as_of.isoformat())
    pb.trap("/hdjl/hdrl/", "calendar", title="前一天/后一天 links without end (?date=)")


def _faults(pb: PortalBuild, news: list[Item]) -> None:
    if len(news) > 12:
        path = NEWS.path + news[10].href[2:]
        pb.fault(path, Fault("slow", delay=2.0), "slow-response")


__all__: list[Any] = ["build"]
