"""Portal 4: a provincial 药品监督管理局 behind a 瑞数-style 412 challenge (like nmpa.gov.cn, nhc.gov.cn).

Underneath it is TRS WCM with ``.shtml`` pages (index_1.shtml…). Every path except the
challenge script answers 412 until the browser has run the script; robots.txt included.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..antibot.common import mac
from ..antibot.ruishu import RuishuGate
from ..chrome import breadcrumb, footer, nav, page, site_meta
from ..manifest import PortalInfo, ReportEntry
from ..news import articles
from ..portal import BuildContext, PortalBuild
from ..slots import make_slot
from ..timeline import report_years
from .trs_common import PAGER_JS, Item, list_pages, pager_script, trs_column_page
from .trs_reports import Column, article_page, publish_article, publish_report

NAME, DOMAIN, CODE = "西陵省药品监督管理局", "yjj.xiling.gov.cn", "6100000047"
SCRIPT = "/4QbVtADbnLVIc/c.FxJzG50F.dfe1675.js"
NB = Column(
    "/zwgk/zfxxgk/ndbg/",
    "政府信息公开年度报告",
    2101,
    (("/", "首页"), ("/zwgk/", "政务公开"), ("/zwgk/zfxxgk/", "政府信息公开"), ("", "政府信息公开年度报告")),
    ext="shtml",
)
NEWS = Column(
    "/ywdt/gzdt/", "工作动态", 2102, (("/", "首页"), ("/ywdt/", "要闻动态"), ("", "工作动态")), ext="shtml"
)
NAV = [("/", "首页"), ("/zwgk/", "政务公开"), ("/ywdt/", "要闻动态")]
META = site_meta(NAME, DOMAIN, CODE)


def _head() -> str:
    return f'<div class="header"><a href="/">{NAME}</a></div>\n' + nav(NAV)


def _foot() -> str:
    return footer(NAME, CODE, "陕ICP备05004567号")


def gate(ctx: BuildContext) -> RuishuGate:
    return RuishuGate(mac(ctx.secret, "ruishu"), "NfBCSins2Oyw", SCRIPT, ttl=600.0)


def build(ctx: BuildContext) -> PortalBuild:
    _article_page = article_page(META, _head(), _foot(), NAME)
    info = PortalInfo(
        id="ruishu",
        style="ruishu",
        name=NAME,
        domain=DOMAIN,
        home="/index.shtml",
        disclosure="/zwgk/zfxxgk/",
        report_columns=(NB.path,),
        charset="utf-8",
        challenge="ruishu",
        imitates=(
            "瑞数 (River Security) protected site (nmpa.gov.cn, nhc.gov.cn): every request answers 412 with "
            "a $_ts challenge; an external script computes the <X>T cookie from <X>S, the meta seed and "
            "navigator.userAgent, then reloads; cookies expire. Underneath: TRS WCM with .shtml pages"
        ),
    )
    pb = PortalBuild(info, ctx)
    years = report_years(pb.cfg.as_of)
    slots = [
        make_slot(
            pb,
            "yjj",
            NAME,
            y,
            government=False,
            modes=(("inline", 0.7), ("both", 0.3)),
            formats=("pdf", "docx"),
        )
        for y in years
    ]
    items = [it for s in slots if (it := publish_report(pb, NB, s, _article_page))]
    news = [
        publish_article(pb, NEWS, a, _article_page)
        for a in articles(pb.rng("news"), "西陵省药监局", date(2025, 2, 1), pb.cfg.as_of, every=8.0)
    ]
    last = max(it.day for it in items + news)
    for col, its in ((NB, items), (NEWS, news)):
        _column(pb, col, its, last)
    body = (
        f'{_head()}<div class="main"><a href="/zwgk/zfxxgk/">政府信息公开</a> '
        f'<a href="{NB.path}">政府信息公开年度报告</a> <a href="{NEWS.path}">工作动态</a></div>{_foot()}'
    )
    pb.routes.page("/index.shtml", page(NAME, META, body), last)
    pb.routes.page(
        "/zwgk/index.shtml",
        page(
            f"政务公开_{NAME}",
            META,
            _head()
            + breadcrumb(("/", "首页"), ("", "政务公开"))
            + '<a href="/zwgk/zfxxgk/">政府信息公开</a>'
            + _foot(),
        ),
        last,
    )
    pb.routes.page(
        "/ywdt/index.shtml",
        page(f"要闻动态_{NAME}", META, _head() + f'<a href="{NEWS.path}">工作动态</a>' + _foot()),
        last,
    )
    pb.routes.page(
        "/zwgk/zfxxgk/index.shtml",
        page(
            f"政府信息公开_{NAME}",
            META,
            _head()
            + breadcrumb(*NB.crumbs[:3])
            + f'<ul><li><a href="{NB.path}">政府信息公开年度报告</a></li></ul>'
            + _foot(),
        ),
        last,
    )
    pb.routes.file("/js/createPageHTML.js", PAGER_JS.encode(), "application/javascript", date(2019, 6, 1))
    pb.routes.file("/robots.txt", b"User-agent: *\nDisallow: /search/\n", "text/plain", date(2020, 1, 1))
    g = gate(ctx)
    pb.routes.file(SCRIPT, g.script().encode(), "application/javascript", date(2023, 1, 1))
    pb.server = {
        "server": "nginx",
        "gate": {
            "kind": "ruishu",
            "secret": g.secret,
            "prefix": g.prefix,
            "script_path": SCRIPT,
            "ttl": g.ttl,
        },
        "gate_exempt": [SCRIPT],
    }
    pb.needs_browser("/", "challenge-412")
    pb.trap(
        "/", "anti-bot-412", title="瑞数-style challenge on every path", cookie_prefix=g.prefix, ttl=g.ttl
    )
    pb.reports[:] = [_gated(r) for r in pb.reports]
    return pb


def _column(pb: PortalBuild, col: Column, items: list[Item], last: date) -> None:
    items = sorted(items, key=lambda it: it.day, reverse=True)

    def render(list_html: str, index: int, count: int) -> str:
        return trs_column_page(
            site_meta=META,
            header=_head(),
            footer=_foot(),
            crumbs=col.crumbs,
            column_name=col.name,
            column_kind="信息公开",
            list_html=list_html,
            pager=pager_script(index, count, "shtml"),
            title=f"{col.name}_{NAME}",
        )

    for path, html, _ in list_pages(col.path, items, 10, render, ext="shtml"):
        pb.routes.page(path, html, last)


def _gated(report: ReportEntry) -> ReportEntry:
    return replace(report, locations=tuple(replace(loc, needs_browser=True) for loc in report.locations))
