"""Portal 7: a county government on an old in-house CMS, in GB2312 (frames, script menus, click handlers).

Reachability: home (a ``<frameset>``) → main frame (/main.html) → 政府信息公开 (/xxgk/index.html),
whose menu exists only as an inline ``navData`` array written out by a loop → two columns:

- 政府信息公开年报 (/xxgk/nb/): the county government's reports since 2017, each item an
  ``<a href="javascript:void(0)" onclick="openArticle('2024','3301')">`` that only the page's
  ``openArticle`` function turns into /xxgk/nb/2024/3301.html; one report is only a PDF linked
  through /pdfjs/web/viewer.html?file=…; a createPageHTML pager; "共 N 条".
- 部门年报 (/xxgk/bmnb/): the older column that mixes the county government's 2014–2016 reports
  with those of its 税务局, 教育局, 卫生健康局 and a town, side by side, each title naming its
  agency, plus notices and a 函 about reports (noise); items are ``showInfo('bmnb','1205')`` and
  ``openPdf('/upload/….pdf')`` handlers; plain 下一页 links; "共 N 条".

Attachments of articles that are PDFs are linked through the viewer too; Word files directly.
No page needs a browser: every target is spelt out in the page's own markup and inline scripts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from ..chrome import e
from ..formats import NAME as FORMAT_NAME
from ..formats import content_type, ext
from ..manifest import Location, PortalInfo
from ..news import articles
from ..portal import BuildContext, PortalBuild
from ..slots import Slot, make_slot
from ..timeline import at, report_years, visible
from . import county_pages as cp

NB = "/xxgk/nb/"
BMNB = "/xxgk/bmnb/"
NB_TITLE, BMNB_TITLE = "政府信息公开年报", "部门年报"
HOME_CRUMB = ("/main.html", "首页")
XXGK_CRUMB = ("/xxgk/index.html", "政府信息公开")
NB_PER_PAGE, BMNB_PER_PAGE = 6, 10
NEW_COLUMN_FROM = 2017
"""The 政府信息公开年报 column, opened when the site was rebuilt in 2018, starts with the 2017 report;
the county's older reports stayed in 部门年报 beside its bureaus'."""
DEPARTMENTS = (
    ("sw", "国家税务总局清溪县税务局", 2021),
    ("jy", "清溪县教育局", 2023),
    ("wj", "清溪县卫生健康局", 2024),
    ("qsz", "清溪县青石镇人民政府", 2024),
)
NEWS_FROM = date(2025, 6, 2)
NOTICES_FROM = 2024
"""Notices about reports are listed from this report year on, and one 函 about the year before."""
VIEWER_ONLY = {"gov:2018", "jy:2023"}
"""Reports published only as a PDF, linked from the list through the pdf.js viewer."""
MENU = (
    ("政府信息公开指南", "/xxgk/zn/index.html"),
    ("政府信息公开制度", "/xxgk/zd/index.html"),
    ("法定主动公开内容", "/xxgk/fdzdgknr/index.html"),
    (NB_TITLE, NB + "index.html"),
    (BMNB_TITLE, BMNB + "index.html"),
    ("依申请公开", "/xxgk/ysqgk/index.html"),
)


@dataclass(frozen=True)
class Entry:
    """One list item: its link attributes, title and date."""

    attrs: str
    title: str
    day: date


def build(ctx: BuildContext) -> PortalBuild:
    info = PortalInfo(
        id="county",
        style="county-frames",
        name=cp.NAME,
        domain=cp.DOMAIN,
        home="/index.html",
        disclosure="/xxgk/index.html",
        report_columns=(NB + "index.html", BMNB + "index.html"),
        charset="gb2312",
        imitates=(
            "county portals on old in-house CMSs: a <frameset> home page, a 信息公开 menu written by script "
            "from an inline navData array, list items that are javascript:void(0) links with onclick "
            "handlers built by inline functions (openArticle(y,id) → window.open), PDFs through "
            "/pdfjs/web/viewer.html?file=…, an older 部门年报 column mixing the county's and its bureaus' "
            "reports with notices and 函 about them, GB2312"
        ),
    )
    pb = PortalBuild(info, ctx)
    as_of = pb.cfg.as_of
    years = report_years(as_of)
    gov = [_slot(pb, "gov", cp.NAME, y, government=True) for y in years]
    depts = [
        _slot(pb, slug, name, y, government=False)
        for slug, name, first in DEPARTMENTS
        for y in years
        if y >= first
    ]
    nb_items = [it for s in gov if s.year >= NEW_COLUMN_FROM and (it := _publish(pb, s, NB))]
    bm_items = [
        it
        for s in gov + depts
        if (s.year < NEW_COLUMN_FROM or s.rid.split(":")[0] != "gov") and (it := _publish(pb, s, BMNB))
    ]
    bm_items += _notices(pb)
    last = max([it.day for it in nb_items + bm_items] + [date(2024, 1, 2)])
    _column(pb, NB, NB_TITLE, nb_items, NB_PER_PAGE, cp.OPEN_ARTICLE_JS, cp.script_pager, last)
    _column(pb, BMNB, BMNB_TITLE, bm_items, BMNB_PER_PAGE, cp.SHOW_INFO_JS, cp.link_pager, last)
    _static_pages(pb, last)
    pb.server = {"server": "Microsoft-IIS/6.0"}
    return pb


def _slot(pb: PortalBuild, unit: str, agency: str, year: int, *, government: bool) -> Slot:
    slot = make_slot(
        pb,
        unit,
        agency,
        year,
        government=government,
        scale="city" if government else "department",
        modes=(("inline", 0.6), ("both", 0.3), ("attachment", 0.1)),
        formats=("docx", "docx", "pdf"),
    )
    if slot.rid in VIEWER_ONLY:
        slot = replace(slot, mode="attachment", attach_fmt="pdf")
    return slot


def _upload(day: date, key: str, suffix: str) -> str:
    return f"/upload/{day:%Y%m}/{day:%Y%m%d}{cp.item_id(key):04d}{day.toordinal() % 97:02d}.{suffix}"


def _new_path(pb: PortalBuild, path: str) -> str:
    """``path``, which no other page of the portal has (content ids are hashes: say so if two meet)."""
    if path in pb.routes:
        raise ValueError(f"county: two pages at {path}; change the key of one")
    return path


def _publish(pb: PortalBuild, slot: Slot, column: str) -> Entry | None:
    """Write one report (article and attachment, or a viewer-only PDF); its list entry, or None."""
    if not visible(slot.published, pb.cfg.as_of):
        return None
    spec, day = slot.spec, slot.published
    locations: list[Location] = []
    files: list[tuple[str, str]] = []
    if slot.attached:
        suffix = ext(slot.attach_fmt)
        path = _upload(day, slot.rid, suffix)
        pb.attach(
            path, spec, slot.attach_fmt, content_type(slot.attach_fmt), day, style=slot.style, seed=slot.seed
        )
        href = cp.viewer_href(path) if slot.attach_fmt == "pdf" else path
        role = "copy" if slot.inline else "primary"
        note = f"linked as {href}" if href != path else ""
        locations.append(
            pb.location(
                path,
                "attachment",
                slot.attach_fmt,
                spec,
                style=slot.style,
                role=role,
                content_type=content_type(slot.attach_fmt),
                note=note,
            )
        )
        files.append((href, f"{spec.title}.{suffix}"))
    if slot.rid in VIEWER_ONLY:
        pb.report(slot.rid, spec, slot.published, column + "index.html", locations)
        pdf = locations[0].path
        if column == NB:
            attrs = f'href="{e(cp.viewer_href(pdf))}" target="_blank"'
        else:
            attrs = f'href="javascript:void(0)" onclick="openPdf(\'{pdf}\')"'
        return Entry(attrs, spec.title, day)
    key = f"{column}|{slot.rid}"
    aid = cp.item_id(key)
    if column == NB:
        path = _new_path(pb, f"{NB}{day.year}/{aid}.html")
        attrs = f"href=\"javascript:void(0)\" onclick=\"openArticle('{day.year}','{aid}')\""
        crumbs = (HOME_CRUMB, XXGK_CRUMB, (NB + "index.html", NB_TITLE), ("", "正文"))
    else:
        path = _new_path(pb, f"{BMNB}content_{aid}.html")
        attrs = f"href=\"javascript:void(0)\" onclick=\"showInfo('bmnb','{aid}')\""
        crumbs = (HOME_CRUMB, XXGK_CRUMB, (BMNB + "index.html", BMNB_TITLE), ("", "正文"))
    if slot.inline:
        body = pb.ctx.docs.now(spec, "body", slot.style, slot.seed).decode("utf-8")
        locations.insert(0, pb.location(path, "article", "body", spec, style=slot.style, charset="gb2312"))
    else:
        body = f'<p style="text-indent:2em;">{e(spec.title)}全文详见附件（{FORMAT_NAME[slot.attach_fmt]}格式）。</p>'
        locations.insert(
            0, pb.location(path, "article", "body", spec, holds=False, charset="gb2312", note="详见附件")
        )
    stamp = at(day, pb.rng("stamp", slot.rid))
    pb.routes.page(
        path, cp.article(spec.title, stamp, spec.agency, crumbs, body, files), day, charset=cp.CHARSET
    )
    pb.report(slot.rid, spec, slot.published, column + "index.html", locations)
    return Entry(attrs, spec.title, day)


def _notices(pb: PortalBuild) -> list[Entry]:
    """Notices and a 函 about reports, listed in 部门年报 among the reports (noise)."""
    out = []
    as_of = pb.cfg.as_of
    office = f"{cp.COUNTY}人民政府办公室"
    for year in report_years(pb.cfg.as_of):
        for kind, title, day, text in (
            (
                "notice",
                f"关于报送{year}年度政府信息公开工作年度报告的通知",
                date(year + 1, 1, 6),
                f"各乡镇人民政府，县政府各部门：根据《中华人民共和国政府信息公开条例》规定，请于{year + 1}年1月20日前"
                f"将本单位{year}年度政府信息公开工作年度报告报送县政府办公室，并在本单位信息公开专栏公布。",
            ),
            (
                "letter",
                f"{office}关于{year}年度政府信息公开工作年度报告有关事项的函",
                date(year + 1, 2, 18),
                f"县税务局：你局报送的{year}年度政府信息公开工作年度报告收悉。经审核，报告第五部分数据与上年度结转数不一致，"
                "请核实后重新报送。",
            ),
        ):
            wanted = year >= NOTICES_FROM if kind == "notice" else year == NOTICES_FROM - 1
            if not wanted or not visible(day, as_of):
                continue
            aid = cp.item_id(f"notice|{title}")
            path = _new_path(pb, f"{BMNB}content_{aid}.html")
            crumbs = (HOME_CRUMB, XXGK_CRUMB, (BMNB + "index.html", BMNB_TITLE), ("", "正文"))
            body = f'<p style="text-indent:2em;">{e(text)}</p><p style="text-align:right;">{office}</p>'
            pb.routes.page(
                path, cp.article(title, f"{day} 10:00:00", office, crumbs, body, []), day, charset=cp.CHARSET
            )
            pb.noise_page(path, kind, title)
            out.append(Entry(f"href=\"javascript:void(0)\" onclick=\"showInfo('bmnb','{aid}')\"", title, day))
    return out


def _column(
    pb: PortalBuild,
    col: str,
    title: str,
    items: list[Entry],
    per_page: int,
    handlers: str,
    pager: Callable[[int, int], str],
    last: date,
) -> None:
    """Write the list pages of a column (index.html, index_1.html …), each stating the list's size."""
    items = sorted(items, key=lambda it: (it.day, it.title), reverse=True)
    count = max(1, -(-len(items) // per_page))
    crumbs = (HOME_CRUMB, XXGK_CRUMB, ("", title))
    for i in range(count):
        chunk = [(it.attrs, it.title, it.day) for it in items[i * per_page : (i + 1) * per_page]]
        html = cp.column_page(
            title, crumbs, chunk, stated=len(items), pager=pager(i, count), handlers=handlers
        )
        pb.routes.page(f"{col}{'index' if i == 0 else f'index_{i}'}.html", html, last, charset=cp.CHARSET)


def _static_pages(pb: PortalBuild, last: date) -> None:
    news = articles(pb.rng("news"), cp.COUNTY, NEWS_FROM, pb.cfg.as_of, every=12.0, lookalike_share=0.1)
    items = []
    for a in news:
        path = _new_path(pb, f"/xwzx/{a.day:%Y%m}/{cp.item_id('news|' + a.title + str(a.day))}.html")
        crumbs = (HOME_CRUMB, ("/xwzx/index.html", "新闻中心"), ("", "正文"))
        pb.routes.page(
            path,
            cp.article(a.title, f"{a.day} 09:00:00", f"{cp.COUNTY}融媒体中心", crumbs, a.body(), []),
            a.day,
            charset=cp.CHARSET,
        )
        if a.kind != "news":
            pb.noise_page(path, a.kind, a.title)
        items.append((path, a.title, a.day))
    lis = "".join(
        f'<li><a href="{e(h)}" target="_blank">{e(t)}</a><span>{d.isoformat()}</span></li>\n'
        for h, t, d in items
    )
    news_list = f'<ul class="list">\n{lis}</ul>\n<div class="page">共 {len(items)} 条</div>'
    pb.routes.page(
        "/xwzx/index.html",
        cp.simple("新闻中心", (HOME_CRUMB, ("", "新闻中心")), news_list),
        last if not items else max(last, items[0][2]),
        charset=cp.CHARSET,
    )
    pages = {
        "/index.html": cp.frameset(),
        "/top.html": cp.top(),
        "/main.html": cp.main(items[:8]),
        "/xxgk/index.html": cp.disclosure(
            list(MENU),
            f"<p>根据《中华人民共和国政府信息公开条例》，{cp.NAME}在本栏目公开政府信息。请从左侧栏目进入。</p>",
        ),
    }
    for path, html in pages.items():
        pb.routes.page(path, html, last, charset=cp.CHARSET)
    xxgk = (HOME_CRUMB, XXGK_CRUMB)
    guide = (
        f"<h1>{cp.NAME}政府信息公开指南</h1><p>一、主动公开。</p><p>五、政府信息公开工作年度报告：本机关每年3月31日前"
        "公布上一年度政府信息公开工作年度报告，县政府各部门、各乡镇的年度报告在“部门年报”栏目公布。</p>"
    )
    for path, title, inner, day in (
        ("/xxgk/zn/index.html", "政府信息公开指南", guide, date(2021, 4, 2)),
        ("/xxgk/zd/index.html", "政府信息公开制度", "<p>暂无信息。</p>", date(2020, 6, 1)),
        ("/xxgk/fdzdgknr/index.html", "法定主动公开内容", "<p>暂无信息。</p>", date(2020, 6, 1)),
        ("/xxgk/ysqgk/index.html", "依申请公开", "<p>申请表下载。</p>", date(2020, 6, 1)),
        ("/hdjl/index.html", "互动交流", "<p>县长信箱暂停使用。</p>", date(2022, 1, 5)),
    ):
        pb.routes.page(path, cp.simple(title, (*xxgk, ("", title)), inner), day, charset=cp.CHARSET)
    pb.noise_page("/xxgk/zn/index.html", "guide", "政府信息公开指南")
    pb.routes.file("/js/page.js", cp.PAGE_JS.encode(), "application/javascript", date(2016, 9, 1))
    pb.routes.file(cp.VIEWER, cp.VIEWER_HTML.encode(), "text/html; charset=utf-8", date(2018, 3, 1))
    pb.routes.file("/pdfjs/web/viewer.js", cp.VIEWER_JS.encode(), "application/javascript", date(2018, 3, 1))
    pb.routes.file("/robots.txt", b"User-agent: *\nDisallow: /admin/\n", "text/plain", date(2016, 9, 1))
