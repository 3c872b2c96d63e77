"""Portal 2: a provincial government on Hanweb (大汉) JCMS, in GBK (like jiangsu.gov.cn, nhsa.gov.cn).

Reachability: home → 政务公开 (/col/col1001/) → 政府信息公开 (/col/col1003/) → 政府信息公开年报
(/col/col29547/), whose records exist only in the inline datastore and in dataproxy.jsp answers.
Pages are GBK, labelled ``gb2312`` in the meta tag and ``GBK`` in the header, and contain
characters outside GB2312 (镕, 堃); one old report is served with ``charset=UTF-8`` in the header.
Attachments go through downfile.jsp → 302 → /attach/0/…, named in GBK and RFC 5987.
"""

from __future__ import annotations

import hashlib
from datetime import date
from urllib.parse import quote

from ..chrome import article_meta, breadcrumb, column_meta, e, footer, nav, page, site_meta
from ..formats import NAME as FORMAT_NAME
from ..formats import content_type, ext
from ..manifest import Change, Location, PortalInfo
from ..news import articles
from ..portal import BuildContext, PortalBuild
from ..routes import Fault
from ..slots import Slot, known_slot, make_slot
from ..timeline import REMOVE_DATE, at, report_years, visible
from .hanweb_jpage import JPAGE_JS, column_block, record

NAME, DOMAIN, CODE = "江淮省人民政府", "www.jianghuai.gov.cn", "3200000001"
NB_COL, NB_UNIT = 29547, "212860"
NEWS_COL, NEWS_UNIT = 1002, "212801"
PER_PAGE = 15
PROVINCE_DEPTS = (
    ("fgw", "江淮省发展和改革委员会"),
    ("jyt", "江淮省教育厅"),
    ("gat", "江淮省公安厅"),
    ("czt", "江淮省财政厅"),
    ("rst", "江淮省人力资源和社会保障厅"),
    ("zjt", "江淮省住房和城乡建设厅"),
    ("jtt", "江淮省交通运输厅"),
    ("wjw", "江淮省卫生健康委员会"),
)
NAV = [
    ("/index.html", "首页"),
    ("/col/col1001/index.html", "政务公开"),
    ("/col/col1002/index.html", "新闻中心"),
    ("/col/col1005/index.html", "互动交流"),
]
CHARSET_TRAP_RID = "gov:2015"


def _header() -> str:
    return f'<div class="head"><div class="logo">{NAME}</div></div>\n' + nav(NAV)


def _footer() -> str:
    # 镕 and 堃 are GBK but not GB2312: a strict gb2312 decoder fails on every page.
    return (
        footer(NAME, CODE, "苏ICP备05009876号", (("trs", "东屿市人民政府"),))
        + "<p>网站管理：江淮省人民政府办公厅信息中心　联系人：王镕 李堃　电话：025-88888888</p>\n"
    )


META = site_meta(NAME, DOMAIN, CODE)


def _page(title: str, meta: str, body: str, scripts: str = "") -> str:
    return page(title, META + meta, body, charset="gb2312", http_equiv=True, scripts=scripts)


def _art_path(day: date, col: int, art: int) -> str:
    return f"/art/{day.year}/{day.month}/{day.day}/art_{col}_{art}.html"


def _art_id(day: date, salt: str) -> int:
    return (
        11_000_000
        + (day - date(2012, 1, 1)).days * 57
        + int(hashlib.sha1(salt.encode()).hexdigest()[:4], 16) % 50
    )


def _attachment(pb: PortalBuild, slot: Slot, day: date) -> tuple[str, Location, str]:
    """downfile.jsp link → 302 → /attach/0/<hex>.<ext>, with a Content-Disposition name."""
    suffix = ext(slot.attach_fmt)
    hexname = hashlib.sha1(f"hanweb|{slot.rid}".encode()).hexdigest()[:32] + "." + suffix
    shown = f"{slot.spec.title}.{suffix}"
    store = f"/attach/0/{hexname}"
    gbk_name = shown.encode("gb18030").decode("latin-1")
    rfc5987 = "" if sum(map(ord, slot.rid)) % 2 else f"; filename*=UTF-8''{quote(shown)}"
    headers = (("Content-Disposition", f'attachment; filename="{gbk_name}"{rfc5987}'),)
    pb.attach(
        store,
        slot.spec,
        slot.attach_fmt,
        content_type(slot.attach_fmt),
        day,
        style=slot.style,
        seed=slot.seed,
        headers=headers,
    )
    link = f"/module/download/downfile.jsp?classid=0&filename={hexname}&showname={quote(shown)}"
    pb.data.setdefault("downfile", {})[hexname] = store
    loc = pb.location(
        store,
        "attachment",
        slot.attach_fmt,
        slot.spec,
        style=slot.style,
        role="primary" if not slot.inline else "copy",
        content_type=content_type(slot.attach_fmt),
        via=(link,),
        note=f"Content-Disposition filename {shown!r} in GBK" + (" and RFC 5987" if rfc5987 else " only"),
    )
    return link, loc, shown


def _publish(pb: PortalBuild, slot: Slot, removed: bool) -> str | None:
    """Write one report; returns its datastore record (None when not online on as_of)."""
    as_of = pb.cfg.as_of
    if not visible(slot.published, as_of):
        return None
    day = slot.published
    path = _art_path(day, NB_COL, _art_id(day, slot.rid))
    spec = slot.spec
    if removed and visible(REMOVE_DATE, as_of):
        pb.changes.append(
            Change(REMOVE_DATE.isoformat(), "removed", f"hanweb:{slot.rid}", "hanweb", path, "", 404)
        )
        pb.trap(path, "removed-report", title="report taken down", status=404)
        return None
    locations = []
    files = ""
    if slot.attached:
        link, loc, shown = _attachment(pb, slot, day)
        locations.append(loc)
        files = f'<p>附件：<a href="{e(link)}" target="_blank">{e(shown)}</a></p>\n'
    trap = slot.rid == CHARSET_TRAP_RID
    note = "header says UTF-8, body is GBK" if trap else ""
    if slot.inline:
        body = pb.ctx.docs.now(spec, "body", slot.style, slot.seed).decode("utf-8")
        locations.insert(
            0, pb.location(path, "article", "body", spec, style=slot.style, charset="gbk", note=note)
        )
    else:
        body = f"<p>{e(spec.title)}（{FORMAT_NAME[slot.attach_fmt]}版）详见附件。</p>"
        locations.insert(0, pb.location(path, "article", "body", spec, holds=False, charset="gbk", note=note))
    stamp = at(day, pb.rng("pubtime", slot.rid))
    meta = article_meta(spec.title, stamp, NAME) + f'<meta name="Maketime" content="{stamp}">\n'
    html = _page(
        spec.title,
        meta,
        (
            f"{_header()}{breadcrumb(('/index.html', '首页'), ('/col/col1003/index.html', '政府信息公开'), ('/col/col29547/index.html', '政府信息公开年报'))}"
            f'<div class="bt-title">{e(spec.title)}</div>\n<table class="xxgk_table"><tr><td>信息来源：<!--<$[信息来源]>begin-->'
            f"{e(spec.agency)}<!--<$[信息来源]>end--></td><td>发布日期：{stamp[:10]}</td></tr></table>\n"
            f'<div id="zoom"><!--ZJEG_RSS.content.begin--><meta name="ContentStart">\n{body}\n'
            f'<meta name="ContentEnd"><!--ZJEG_RSS.content.end--></div>\n{files}{_footer()}'
        ),
    )
    pb.routes.page(path, html, day, charset="gbk", header_charset="UTF-8" if trap else "GBK")
    if trap:
        pb.trap(
            path, "charset-mismatch", title="GBK body, meta gb2312, header charset=UTF-8", true_charset="gbk"
        )
    pb.report(slot.rid, spec, slot.published, "/col/col29547/index.html", locations, known=slot.known)
    return record(path, spec.title, day.isoformat())


def _slots(pb: PortalBuild, ctx: BuildContext) -> list[Slot]:
    years = report_years(pb.cfg.as_of)
    slots = [
        make_slot(pb, "gov", NAME, y, government=True, scale="city", modes=(("inline", 0.85), ("both", 0.15)))
        for y in years
        if y >= 2014
    ]
    for slug, name in PROVINCE_DEPTS:
        first = pb.rng("first", slug).choice([2016, 2018, 2019, 2020, 2021])
        slots += [
            make_slot(
                pb,
                slug,
                name,
                y,
                government=False,
                formats=("pdf", "docx", "docx"),
                modes=(("inline", 0.8), ("both", 0.1), ("attachment", 0.1)),
            )
            for y in years
            if y >= first
        ]
    slots += [
        known_slot(pb, n, s, government="人民政府" in s.agency, mode="both" if i % 3 == 0 else "inline")
        for i, (n, s) in enumerate(ctx.take_known())
    ]
    return slots


def build(ctx: BuildContext) -> PortalBuild:
    info = PortalInfo(
        id="hanweb",
        style="hanweb-jcms",
        name=NAME,
        domain=DOMAIN,
        home="/index.html",
        disclosure="/col/col1003/index.html",
        report_columns=("/col/col29547/index.html",),
        charset="gbk",
        robots_disallow=("/jsearchfront/", "/module/xxgk/"),
        imitates=(
            "Hanweb JCMS (jiangsu.gov.cn, nhsa.gov.cn): /col/col<id>/index.html lists whose records sit in "
            "<script type=text/xml><datastore>, more via POST /module/web/jpage/dataproxy.jsp "
            "(startrecord/endrecord/perpage, one-record overlap), /art/YYYY/M/D/art_<col>_<id>.html, GBK pages "
            "with header/meta charset disagreeing, downfile.jsp → 302 → /attach/0/…"
        ),
    )
    pb = PortalBuild(info, ctx)
    slots = sorted(_slots(pb, ctx), key=lambda s: s.published, reverse=True)
    records = [r for s in slots if (r := _publish(pb, s, removed=s.rid == "jyt:2024"))]
    news = articles(pb.rng("news"), "江淮省", date(2025, 1, 2), pb.cfg.as_of, every=3.0)
    news_records = []
    for a in news:
        path = _art_path(a.day, NEWS_COL, _art_id(a.day, a.title))
        body = (
            f'{_header()}<div class="bt-title">{e(a.title)}</div><div id="zoom">{a.body()}</div>{_footer()}'
        )
        pb.routes.page(
            path,
            _page(a.title, article_meta(a.title, a.day.isoformat(), NAME), body),
            a.day,
            charset="gbk",
            header_charset="GBK",
        )
        if a.kind != "news":
            pb.noise_page(path, a.kind, a.title)
        news_records.append(record(path, a.title, a.day.isoformat()))
    last = max([s.published for s in slots if visible(s.published, pb.cfg.as_of)] + [a.day for a in news])
    _columns(pb, records, news_records, last)
    _faults(pb, slots)
    pb.server = {"server": "Apache-Coyote/1.1", "etag": "tomcat"}
    return pb


def _column(pb: PortalBuild, col: int, unit: str, title: str, records: list[str], last: date) -> None:
    block = column_block(unitid=unit, columnid=col, webname=NAME, records=records, per_page=PER_PAGE)
    crumbs = breadcrumb(("/index.html", "首页"), ("/col/col1003/index.html", "政府信息公开"), ("", title))
    html = _page(
        f"{title} {NAME}",
        column_meta(title, "信息公开年报" if col == NB_COL else "新闻"),
        f'{_header()}{crumbs}<div class="lm-title">{e(title)}</div>\n{block}{_footer()}',
        scripts='<script type="text/javascript" src="/module/web/jpage/jpage.js"></script>\n',
    )
    pb.routes.page(f"/col/col{col}/index.html", html, last, charset="gbk", header_charset="GBK")
    pb.data.setdefault("jpage", {})[str(col)] = {"unitid": unit, "perpage": PER_PAGE, "records": records}


def _columns(pb: PortalBuild, records: list[str], news: list[str], last: date) -> None:
    _column(pb, NB_COL, NB_UNIT, "政府信息公开年报", records, last)
    _column(pb, NEWS_COL, NEWS_UNIT, "新闻中心", news, last)
    pb.needs_browser("/col/col29547/index.html", "list-in-script-datastore")

    def simple(path: str, title: str, inner: str) -> None:
        pb.routes.page(
            path,
            _page(f"{title} {NAME}", column_meta(title), f"{_header()}{inner}{_footer()}"),
            last,
            charset="gbk",
            header_charset="GBK",
        )

    simple(
        "/index.html",
        NAME,
        '<div class="zwgk"><a href="/col/col1003/index.html">政府信息公开</a> '
        '<a href="/col/col1001/index.html">政务公开</a> <a href="/col/col1002/index.html">新闻中心</a></div>',
    )
    simple(
        "/col/col1001/index.html",
        "政务公开",
        '<ul><li><a href="/col/col1003/index.html">政府信息公开</a></li>'
        '<li><a href="/col/col1002/index.html">新闻中心</a></li></ul>',
    )
    simple("/col/col1005/index.html", "互动交流", "<p>暂无内容。</p>")
    simple(
        "/col/col1003/index.html",
        "政府信息公开",
        (
            '<ul class="xxgk-nav"><li><a href="/col/col1004/index.html">政府信息公开指南</a></li>'
            '<li><a href="/col/col1006/index.html">政府信息公开制度</a></li>'
            '<li><a href="/col/col29547/index.html">政府信息公开年报</a></li>'
            '<li><a href="/module/xxgk/tree.jsp?area=000014349">信息公开目录</a></li></ul>'
        ),
    )
    simple(
        "/col/col1004/index.html",
        "政府信息公开指南",
        "<p>本机关每年3月31日前公布上一年度政府信息公开工作年度报告。</p>",
    )
    simple("/col/col1006/index.html", "政府信息公开制度", "<p>暂无内容。</p>")
    pb.routes.file(
        "/module/web/jpage/jpage.js", JPAGE_JS.encode(), "application/javascript", date(2018, 5, 2)
    )
    pb.routes.handler("/module/web/jpage/dataproxy.jsp", "jpage")
    pb.routes.handler("/module/download/downfile.jsp", "downfile")
    pb.routes.file(
        "/robots.txt",
        b"User-agent: *\nDisallow: /jsearchfront/\nDisallow: /module/xxgk/\n",
        "text/plain",
        date(2019, 1, 1),
    )
    pb.trap(
        "/module/xxgk/tree.jsp", "robots-disallowed", title="信息公开目录 module, disallowed by robots.txt"
    )


def _faults(pb: PortalBuild, slots: list[Slot]) -> None:
    pb.fault(
        "/module/web/jpage/dataproxy.jsp",
        Fault("fail", status=503, count=1),
        "intermittent-5xx",
        title="first dataproxy request answers 503",
    )
    online = [s for s in slots if visible(s.published, pb.cfg.as_of) and s.rid != "jyt:2024"]
    if len(online) > 3:
        target = _art_path(online[2].published, NB_COL, _art_id(online[2].published, online[2].rid))
        pb.fault(target, Fault("reset", count=1), "connection-reset", title="first request reset (TCP RST)")
