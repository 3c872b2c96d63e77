"""Portal "prov": a provincial department (北川省自然资源厅) whose three annual-report columns are
each paged the way a plain crawler cannot follow by reading ``<a href>``.

Reachability: home → 政府信息公开专栏 (/zwgk/zfxxgkzl/), whose menu leads to

1. 政府信息公开年报 — a TRS "动静结合" column (pingtan.gov.cn, url-patterns.md §3): ``index.html``
   is static with the first ``prepage`` items; ``SiteInfo`` (inline) names the search library and
   URL, and ``listModel({... listArgs ..., pagebar: {prepage, recordCount}})`` POSTs later pages to
   that search service, which answers JSON (raw line breaks inside strings, as WAS does).
2. 直属单位政府信息公开年报 — an empty ``<ul id="list">`` and a 加载更多 button; the external
   ``/js/column-list.js`` GETs ``/api/column/list`` pages on load and on each click (gov-sites.md §3,
   doT/$.ajax lists). Nothing in the HTML names the endpoint: this page needs a browser. The oldest
   report only shows after the second click. The report pages themselves are static.
3. 设区市自然资源主管部门政府信息公开年报 — a JSP list that exists only as the answer to a form
   POST to ``/search/list.do`` (hidden columnId/pageNo/pageSize); its pager buttons call
   ``goPage(n)``, which sets ``pageNo`` and submits the same form. A GET of the action is Tomcat's
   405 page. The answer states "共N条 共M页".

Every list also holds one notice about reports (noise). Report pages are TRS articles
(``./YYYYMM/tYYYYMMDD_<docid>.html``, bodies inline or as attachments).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..chrome import breadcrumb, column_meta, e, footer, nav, page, site_meta
from ..manifest import PortalInfo
from ..news import Article, articles
from ..portal import BuildContext, PortalBuild
from ..slots import make_slot
from ..timeline import at, report_years, visible
from .prov_js import COLUMN_LIST_JS, GOPAGE_JS, LISTMODEL_JS
from .trs_common import Item
from .trs_reports import ArticlePage, Column, article_page, publish_article, publish_report

NAME, DOMAIN, CODE = "北川省自然资源厅", "zrzyt.beichuan.gov.cn", "5100000088"
SEARCH_ID, SEARCH_URL = 200318, "/trsapp/search"
LIST_DO = "/search/list.do"
XXGK = "/zwgk/zfxxgkzl/"
_CRUMBS = (("/index.html", "首页"), ("/zwgk/", "政务公开"), (XXGK, "政府信息公开专栏"))
NB = Column(XXGK + "zfxxgknb/", "政府信息公开年报", 2201, (*_CRUMBS, ("", "政府信息公开年报")))
ZS = Column("/ztzl/zsdwnb/", "直属单位政府信息公开年报", 3105, (*_CRUMBS, ("", "直属单位政府信息公开年报")))
SQ = Column(
    "/xxgk/sqsnb/",
    "设区市自然资源主管部门政府信息公开年报",
    2306,
    (*_CRUMBS, ("", "设区市自然资源主管部门政府信息公开年报")),
)
NEWS = Column(
    "/xwzx/tzgg/", "通知公告", 2105, (("/index.html", "首页"), ("/xwzx/", "新闻中心"), ("", "通知公告"))
)
NB_PER, ZS_PER, SQ_PER = 4, 3, 3
NB_FIRST = 2016
DIRECT = (("lyj", "北川省林业局", 2022), ("chj", "北川省测绘地理信息局", 2024))
CITIES = (("jc", "江城市自然资源和规划局", 2023), ("ls", "岚山市自然资源局", 2023))
NAV = [("/index.html", "首页"), ("/zwgk/", "政务公开"), ("/xwzx/", "新闻中心"), ("/hdjy/", "互动交流")]
META = site_meta(NAME, DOMAIN, CODE)


def _head() -> str:
    return f'<div class="header"><div class="logo"><a href="/index.html">{NAME}</a></div></div>\n' + nav(NAV)


def _foot() -> str:
    return footer(NAME, CODE, "北ICP备10023456号")


def _site_info() -> str:
    return (
        '<script type="text/javascript">\nvar SiteInfo = {\n    siteId: 45,\n'
        f'    siteName: "{NAME}",\n    siteCode: "{CODE}",\n'
        f"    searchId: {SEARCH_ID}, // 检索库\n"
        f'    searchUrl: "{SEARCH_URL}",\n    webSite: "http://{DOMAIN}"\n}};\n</script>\n'
    )


def _lis(items: list[Item]) -> str:
    return "".join(
        f'<li><a href="{e(it.href)}" title="{e(it.title)}" target="_blank">{e(it.title)}</a>'
        f"<span>{it.day.isoformat()}</span></li>\n"
        for it in items
    )


def _abs(col: Column, it: Item) -> str:
    return col.path + it.href[2:]


def _simple(
    pb: PortalBuild, path: str, title: str, crumbs: tuple[tuple[str, str], ...], inner: str, day: date
) -> None:
    body = f'{_head()}{breadcrumb(*crumbs)}<div class="main">{inner}</div>\n{_foot()}'
    pb.routes.page(path, page(f"{title}_{NAME}", META + column_meta(title), body), day)


def _notice(pb: PortalBuild, col: Column, title: str, day: date, make_page: ArticlePage) -> Item | None:
    if not visible(day, pb.cfg.as_of):
        return None
    paras = (
        f"{title}。",
        "各有关单位要严格按照《中华人民共和国政府信息公开条例》和国务院办公厅政府信息公开工作年度报告格式要求，"
        "认真做好年度报告编制和发布工作。",
        "联系电话：0851-86801234。",
    )
    return publish_article(pb, col, Article(title, day, "notice", paras), make_page)


def _dongjing(pb: PortalBuild, items: list[Item], last: date) -> None:
    """The static first page of the 动静结合 column and the search library behind the rest."""
    shown = items[:NB_PER]
    model = (
        "<script>\nlistModel({\n"
        '    quickMode: "动静结合", /* 首页静态，其余走检索 */\n    maxStaticIndex: 1,\n'
        "    listArgs: {\n        channelid: SiteInfo.searchId,\n"
        f'        classsql: "chnlid={NB.channel}",\n        sortfield: "-docorderpri,-docreltime"\n    }},\n'
        f"    pagebar: {{ prepage: {NB_PER}, recordCount: '{len(items)}', pgTemp: \"pgBar_xxgk.html\" }}\n}});\n</script>\n"
    )
    body = (
        f'{_head()}{breadcrumb(*NB.crumbs)}<div class="main"><div class="lm_title">{NB.name}</div>\n'
        f'<div class="gl_list"><ul id="list">\n{_lis(shown)}</ul><div id="pagebar"></div></div>\n'
        f"{model}</div>\n{_foot()}"
    )
    scripts = _site_info() + '<script type="text/javascript" src="/images/listModel.js"></script>\n'
    pb.routes.page(
        NB.path + "index.html",
        page(f"{NB.name}_{NAME}", META + column_meta(NB.name), body, scripts=scripts),
        last,
    )
    rng = pb.rng("search-times")
    docs = [
        {
            "docid": 4_100_000 + i * 137,
            "title": it.title,
            "url": "{{farm:prov}}" + _abs(NB, it),
            "time": at(it.day, rng),
            "chnlname": NB.name,
            "abstract": f"{e(it.title)}\r\n（{it.day.year}年发布）",
        }
        for i, it in enumerate(items)
    ]
    pb.data.setdefault("prov", {})["search"] = {"searchId": SEARCH_ID, "channels": {str(NB.channel): docs}}
    pb.routes.handler(SEARCH_URL, "prov_trs_search")
    pb.trap(
        NB.path,
        "static-page-limit",
        title="动静结合: only the first page is static; the rest via the TRS search service",
        static_pages=1,
        search=SEARCH_URL,
        items_beyond=max(0, len(items) - NB_PER),
    )


def _xhr_column(pb: PortalBuild, items: list[Item], last: date) -> None:
    """The 加载更多 column: an empty list filled by the external script from the JSON API."""
    body = (
        f'{_head()}{breadcrumb(*ZS.crumbs)}<div class="main"><div class="lm_title">{ZS.name}</div>\n'
        f'<div class="list-box"><ul id="list" class="news-list" data-column="{ZS.channel}"></ul>\n'
        '<div class="more"><button type="button" id="loadMore" class="load-more">加载更多</button></div></div>\n'
        f'</div>\n{_foot()}<script type="text/javascript" src="/js/column-list.js"></script>\n'
    )
    pb.routes.page(ZS.path + "index.html", page(f"{ZS.name}_{NAME}", META + column_meta(ZS.name), body), last)
    rows = [{"title": it.title, "link": _abs(ZS, it), "date": it.day.isoformat()} for it in items]
    pb.data.setdefault("prov", {})["xhr"] = {str(ZS.channel): rows}
    pb.routes.handler("/api/column/list", "prov_column_list")
    pb.routes.file("/js/column-list.js", COLUMN_LIST_JS.encode(), "application/javascript", date(2023, 3, 1))
    pb.needs_browser(ZS.path, "xhr-load-more")
    pb.trap(
        ZS.path,
        "xhr-load-more",
        title="list filled by an external script from /api/column/list; 加载更多 loads the next page",
        page_size=ZS_PER,
        after_second_click=len(items) - 2 * ZS_PER,
    )


def _form_column(pb: PortalBuild, items: list[Item]) -> None:
    """The JSP list answering form POSTs to /search/list.do (template filled by the handler)."""
    template = page(
        f"{SQ.name}_{NAME}",
        META + column_meta(SQ.name),
        f'{_head()}{breadcrumb(*SQ.crumbs)}<div class="main"><div class="lm_title">{SQ.name}</div>\n'
        f'<div class="search-result"><!--LIST--></div></div>\n<script type="text/javascript">\n{GOPAGE_JS}</script>\n'
        f"{_foot()}",
    )
    error = page(
        f"系统提示_{NAME}",
        META,
        f'{_head()}<div class="main"><div class="error"><h2>系统提示</h2><p>栏目参数错误，请返回重新选择。</p>'
        '<p><a href="javascript:history.back();">返回</a></p></div></div>\n' + _foot(),
    )
    rows = [[it.title, _abs(SQ, it), it.day.isoformat()] for it in items]
    years = sorted({it.day.year for it in items}, reverse=True)
    pb.data.setdefault("prov", {})["listdo"] = {
        str(SQ.channel): {
            "template": template,
            "items": rows,
            "pageSize": SQ_PER,
            "years": [str(y) for y in years],
        }
    }
    pb.data["prov"]["listdo_error"] = error
    pb.routes.handler(LIST_DO, "prov_list_do")
    pb.trap(
        LIST_DO,
        "post-only-list",
        title="column exists only as the answer to a form POST; GET answers Tomcat's 405; pager is goPage(n)",
        status_get=405,
        page_size=SQ_PER,
    )


def build(ctx: BuildContext) -> PortalBuild:
    info = PortalInfo(
        id="prov",
        style="prov-mixed",
        name=NAME,
        domain=DOMAIN,
        home="/index.html",
        disclosure=XXGK,
        report_columns=(NB.path, ZS.path, LIST_DO),
        charset="utf-8",
        robots_disallow=("/protect/",),
        imitates=(
            "provincial department on TRS WCM with a 信息公开 platform: a 动静结合 column (pingtan.gov.cn: "
            "static first page, SiteInfo + listModel POSTs to the search service), a 加载更多 list fed by "
            "an external script's JSON API (doT/$.ajax lists), and a JSP list answering only form POSTs "
            "(goPage(n) pager, 405 to GET)"
        ),
    )
    pb = PortalBuild(info, ctx)
    as_of = ctx.config.as_of
    years = report_years(as_of)
    own_page = article_page(META, _head(), _foot(), f"{NAME}办公室")

    nb_slots = [
        make_slot(
            pb, "zrzyt", NAME, y, government=False, modes=(("inline", 0.7), ("both", 0.3)), formats=("pdf",)
        )
        for y in years
        if y >= NB_FIRST
    ]
    nb_items = [it for s in nb_slots if (it := publish_report(pb, NB, s, own_page))]
    notice = _notice(
        pb,
        NB,
        f"关于做好{as_of.year - 1}年度政府信息公开工作年度报告编制发布工作的通知",
        date(as_of.year - 1, 12, 10),
        own_page,
    )

    zs_items: list[Item] = []
    for slug, agency, first in DIRECT:
        make = article_page(META, _head(), _foot(), agency)
        for y in years:
            if y >= first:
                slot = make_slot(
                    pb,
                    slug,
                    agency,
                    y,
                    government=False,
                    modes=(("inline", 0.8), ("both", 0.2)),
                    formats=("docx", "pdf"),
                )
                if it := publish_report(pb, ZS, slot, make):
                    zs_items.append(it)
    zs_notice = _notice(
        pb,
        ZS,
        f"关于报送{as_of.year - 1}年度直属单位政府信息公开工作年度报告的通知",
        date(as_of.year - 1, 11, 20),
        own_page,
    )

    sq_items: list[Item] = []
    for slug, agency, first in CITIES:
        make = article_page(META, _head(), _foot(), agency)
        for y in years:
            if y >= first:
                slot = make_slot(
                    pb,
                    slug,
                    agency,
                    y,
                    government=False,
                    modes=(("inline", 0.8), ("attachment", 0.2)),
                    formats=("pdf",),
                )
                if it := publish_report(pb, SQ, slot, make):
                    sq_items.append(it)
                    pb.reports[-1] = replace(pb.reports[-1], column=LIST_DO)
    sq_notice = _notice(
        pb,
        SQ,
        f"关于{as_of.year - 2}年度政府信息公开工作年度报告审核意见的函",
        date(as_of.year - 1, 3, 28),
        own_page,
    )

    def newest(its: list[Item], extra: Item | None) -> list[Item]:
        return sorted(its + ([extra] if extra else []), key=lambda it: it.day, reverse=True)

    nb_all, zs_all, sq_all = (
        newest(nb_items, notice),
        newest(zs_items, zs_notice),
        newest(sq_items, sq_notice),
    )
    last = max(it.day for it in nb_all + zs_all + sq_all)
    _dongjing(pb, nb_all, last)
    _xhr_column(pb, zs_all, last)
    _form_column(pb, sq_all)
    _static_pages(pb, last, own_page)
    pb.server = {"server": "nginx"}
    return pb


def _static_pages(pb: PortalBuild, last: date, make_page: ArticlePage) -> None:
    news = [
        publish_article(pb, NEWS, a, make_page)
        for a in articles(pb.rng("news"), "北川省", date(2025, 6, 1), pb.cfg.as_of, every=12.0)
    ]
    news_list = f'<ul class="list">\n{_lis(news)}</ul>\n<div class="page">共{len(news)}条</div>\n'
    _simple(pb, NEWS.path + "index.html", NEWS.name, NEWS.crumbs, news_list, last)
    top = "".join(f'<li><a href="{e(_abs(NEWS, it))}">{e(it.title)}</a></li>' for it in news[:6])
    home = (
        f'<div class="tzgg"><h2><a href="{NEWS.path}">通知公告</a></h2><ul>{top}</ul></div>\n'
        f'<div class="zwgk"><h2><a href="/zwgk/">政务公开</a></h2><ul><li><a href="{XXGK}">政府信息公开专栏</a></li>'
        f'<li><a href="{XXGK}zfxxgkzn/">政府信息公开指南</a></li></ul></div>\n'
    )
    body = f'{_head()}<div class="main">{home}</div>\n{_foot()}'
    pb.routes.page("/index.html", page(NAME, META, body), last)
    _simple(
        pb,
        "/zwgk/index.html",
        "政务公开",
        (("/index.html", "首页"), ("", "政务公开")),
        f'<ul class="zwgk-menu"><li><a href="{XXGK}">政府信息公开专栏</a></li>'
        f'<li><a href="{NEWS.path}">通知公告</a></li></ul>',
        last,
    )
    _simple(
        pb,
        "/xwzx/index.html",
        "新闻中心",
        (("/index.html", "首页"), ("", "新闻中心")),
        f'<ul><li><a href="{NEWS.path}">通知公告</a></li></ul>',
        last,
    )
    _simple(
        pb,
        "/hdjy/index.html",
        "互动交流",
        (("/index.html", "首页"), ("", "互动交流")),
        "<ul><li>厅长信箱</li><li>在线访谈</li></ul><p>暂无信息。</p>",
        last,
    )
    menu = (
        '<div class="xxgk-menu"><ul>\n'
        f'<li><a href="{XXGK}zfxxgkzn/">政府信息公开指南</a></li>\n'
        f'<li><a href="{XXGK}zfxxgkzd/">政府信息公开制度</a></li>\n'
        f'<li><a href="{XXGK}fdzdgknr/">法定主动公开内容</a></li>\n'
        f'<li><a href="{NB.path}">{NB.name}</a></li>\n'
        f'<li><a href="{ZS.path}">{ZS.name}</a></li>\n'
        f'<li><form name="sqsForm" method="post" action="{LIST_DO}" target="_blank">'
        f'<input type="hidden" name="columnId" value="{SQ.channel}">'
        '<input type="hidden" name="pageNo" value="1">'
        f'<input type="hidden" name="pageSize" value="{SQ_PER}">'
        f'<button type="submit" class="link-btn">{SQ.name}</button></form></li>\n'
        "</ul></div>\n"
    )
    _simple(pb, XXGK + "index.html", "政府信息公开专栏", (*_CRUMBS[:2], ("", "政府信息公开专栏")), menu, last)
    guide = (
        f"<h1>{NAME}政府信息公开指南</h1><p>根据《中华人民共和国政府信息公开条例》，结合本机关工作实际，编制本指南。</p>"
        "<p>本机关每年1月31日前向社会公布上一年度政府信息公开工作年度报告，"
        f'详见<a href="{NB.path}">{NB.name}</a>栏目。</p>'
    )
    _simple(pb, XXGK + "zfxxgkzn/index.html", "政府信息公开指南", _CRUMBS, guide, date(2021, 4, 2))
    pb.noise_page(XXGK + "zfxxgkzn/", "guide", "政府信息公开指南")
    for slug, title in (("zfxxgkzd", "政府信息公开制度"), ("fdzdgknr", "法定主动公开内容")):
        _simple(
            pb,
            f"{XXGK}{slug}/index.html",
            title,
            _CRUMBS,
            f"<h1>{title}</h1><p>暂无信息。</p>",
            date(2021, 4, 2),
        )
    pb.routes.file("/images/listModel.js", LISTMODEL_JS.encode(), "application/javascript", date(2020, 9, 1))
    pb.routes.file("/robots.txt", b"User-agent: *\nDisallow: /protect/\n", "text/plain", date(2021, 1, 1))
