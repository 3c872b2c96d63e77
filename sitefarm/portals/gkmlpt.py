"""Portal 3: a Guangdong district on the gkmlpt 政府信息公开目录平台 (client-rendered, HTTP only).

Reachability: home (plain HTML) → 政务公开 → 政府信息公开目录 (/gkmlpt/index) and 政府信息公开年报
(/gkmlpt/annualreport#2629). Both are script shells: the list comes from
``/gkmlpt/api/all/<col>?page=N&sid=<sid>`` (100 articles a page, absolute ``url`` fields) and the
article body from an inline ``DETAIL`` JSON filled in by script. Plain HTTP sees no report text.
"""

from __future__ import annotations

import hashlib
from datetime import date

from ..chrome import breadcrumb, column_meta, e, footer, nav, page, site_meta
from ..formats import content_type, ext
from ..manifest import PortalInfo
from ..names import DISTRICT_BUREAUS
from ..news import articles
from ..portal import BuildContext, PortalBuild
from ..slots import Slot, make_slot
from ..timeline import at, report_years, visible
from .gkmlpt_js import APP_JS, DETAIL_JS, shell

NAME, DOMAIN, CODE = "南湾区人民政府", "www.nanwan.gov.cn", "4403060001"
SID = "755031"
NB_COL, NEWS_COL = 2629, 2630
TREE = [{"id": NB_COL, "name": "政府信息公开年报"}, {"id": NEWS_COL, "name": "工作动态"}]
NAV = [("/index.html", "首页"), ("/zwgk/index.html", "政务公开"), ("/gkmlpt/index", "信息公开目录")]
META = site_meta(NAME, DOMAIN, CODE)


def _post_path(post: int) -> str:
    return f"/gkmlpt/content/{post // 1_000_000}/{post // 1000}/post_{post}.html"


def _post_id(key: str) -> int:
    return 2_100_000 + int(hashlib.sha1(key.encode()).hexdigest()[:6], 16) % 899_000


def _article(
    pb: PortalBuild,
    post: int,
    title: str,
    day: date,
    publisher: str,
    content: str,
    attachments: list[dict[str, str]],
    identifier: str,
) -> dict[str, object]:
    stamp = at(day, pb.rng("time", post))
    detail = {
        "id": post,
        "title": title,
        "date": stamp,
        "publisher": publisher,
        "identifier": identifier,
        "content": content,
        "attachments": attachments,
    }
    config = {"SID": SID, "SITE_NAME": NAME, "DETAIL": detail, "TREE": TREE}
    html = shell(f"{NAME}门户网站", META, config, "/gkmlpt/static/js/detail.js", box="content")
    pb.routes.page(_post_path(post), html, day)
    ts = (day - date(1970, 1, 1)).days * 86400 - 8 * 3600
    return {
        "id": post,
        "identifier": identifier,
        "title": title,
        "url": "{{farm:gkmlpt}}" + _post_path(post),
        "post_url": _post_path(post),
        "publisher": publisher,
        "created_at": stamp,
        "first_publish_time": ts,
        "display_publish_time": stamp[:10],
    }


def _report(pb: PortalBuild, slot: Slot, index: int) -> dict[str, object] | None:
    if not visible(slot.published, pb.cfg.as_of):
        return None
    post = _post_id(f"report|{slot.rid}")
    spec = slot.spec
    body = (
        pb.ctx.docs.now(spec, "body", slot.style, slot.seed).decode("utf-8")
        if slot.inline
        else f"<p>{e(spec.title)}详见附件。</p>"
    )
    locations = [
        pb.location(
            _post_path(post),
            "article",
            "body",
            spec,
            style=slot.style,
            holds=slot.inline,
            needs_browser=True,
            note="body only in inline DETAIL JSON, filled by script",
        )
    ]
    files = []
    if slot.attached:
        suffix = ext(slot.attach_fmt)
        store = f"/attachment/0/{post % 997}/{post % 89}/{post}.{suffix}"
        pb.attach(
            store, spec, slot.attach_fmt, content_type(slot.attach_fmt), slot.published, style=slot.style
        )
        files.append({"name": f"{spec.title}.{suffix}", "url": store})
        locations.append(
            pb.location(
                store,
                "attachment",
                slot.attach_fmt,
                spec,
                style=slot.style,
                role="copy" if slot.inline else "primary",
                content_type=content_type(slot.attach_fmt),
            )
        )
    identifier = f"11440306MB2C{index:05d}X/{slot.published.year}-{index:05d}"
    entry = _article(pb, post, spec.title, slot.published, spec.agency, body, files, identifier)
    pb.report(slot.rid, spec, slot.published, f"/gkmlpt/annualreport#{NB_COL}", locations)
    pb.needs_browser(_post_path(post), "client-rendered")
    return entry


def build(ctx: BuildContext) -> PortalBuild:
    info = PortalInfo(
        id="gkmlpt",
        style="gkmlpt",
        name=NAME,
        domain=DOMAIN,
        home="/index.html",
        disclosure="/gkmlpt/index",
        report_columns=(f"/gkmlpt/annualreport#{NB_COL}",),
        charset="utf-8",
        client_rendered=True,
        soft_404=True,
        imitates=(
            "Guangdong 政府信息公开目录平台 gkmlpt (gd.gov.cn, sz.gov.cn): /gkmlpt/annualreport#<col> and "
            "/gkmlpt/index are script shells fed by /gkmlpt/api/all/<col>?page=N&sid=S (100 a page); "
            "/gkmlpt/content/a/b/post_<id>.html bodies only in inline DETAIL JSON; HTTP only"
        ),
    )
    pb = PortalBuild(info, ctx)
    years = report_years(pb.cfg.as_of)
    units = [("gov", NAME, True)] + [(slug, "南湾区" + name, False) for slug, name in DISTRICT_BUREAUS]
    slots = []
    for slug, name, government in units:
        first = pb.rng("first", slug).choice([2014, 2015, 2015, 2016])
        slots += [
            make_slot(
                pb,
                slug,
                name,
                y,
                government=government,
                scale="city" if government else "department",
                modes=(("inline", 0.9), ("both", 0.1)),
                formats=("docx", "docx", "pdf"),
            )
            for y in years
            if y >= first
        ]
    slots.sort(key=lambda s: s.published, reverse=True)
    reports = [entry for i, s in enumerate(slots) if (entry := _report(pb, s, i + 1))]
    news = []
    for i, a in enumerate(articles(pb.rng("news"), "南湾区", date(2025, 3, 1), pb.cfg.as_of, every=6.0)):
        post = _post_id(f"news|{a.title}|{a.day}")
        news.append(
            _article(pb, post, a.title, a.day, NAME, a.body(), [], f"11440306MB2C{i:05d}Y/{a.day.year}-0")
        )
        if a.kind != "news":
            pb.noise_page(_post_path(post), a.kind, a.title)
    pb.data["gkmlpt"] = {"sid": SID, "cols": {str(NB_COL): reports, str(NEWS_COL): news}}
    last = max([s.published for s in slots if visible(s.published, pb.cfg.as_of)])
    _pages(pb, last)
    pb.server = {"server": "nginx"}
    return pb


def _pages(pb: PortalBuild, last: date) -> None:
    foot = footer(NAME, CODE, "粤ICP备10012345号", (("city", "示范市人民政府"),))
    head = f'<div class="header"><h1>{NAME}</h1></div>\n' + nav(NAV)

    def plain(path: str, title: str, inner: str) -> None:
        pb.routes.page(path, page(title, META + column_meta(title), head + inner + foot), last)

    plain(
        "/index.html",
        f"{NAME}门户网站",
        '<div class="zwgk"><h2><a href="/zwgk/index.html">政务公开</a></h2><ul>'
        f'<li><a href="/gkmlpt/index">政府信息公开目录</a></li><li><a href="/gkmlpt/annualreport#{NB_COL}">'
        "政府信息公开年报</a></li></ul></div>",
    )
    plain(
        "/zwgk/index.html",
        f"政务公开_{NAME}",
        breadcrumb(("/index.html", "首页"), ("", "政务公开"))
        + f'<ul><li><a href="/gkmlpt/index">政府信息公开</a></li><li><a href="/gkmlpt/annualreport#{NB_COL}">'
        '政府信息公开年报</a></li><li><a href="/gkmlpt/policy">政策文件</a></li></ul>',
    )
    for path, default in (("/gkmlpt/index", NEWS_COL), ("/gkmlpt/annualreport", NB_COL)):
        html = shell(
            f"政府信息公开 - {NAME}",
            META,
            {"SID": SID, "DEFAULT_COL": default, "TREE": TREE},
            "/gkmlpt/static/js/app.js",
        )
        pb.routes.page(path, html, last)
        pb.needs_browser(path, "client-rendered")
    for col in (NB_COL, NEWS_COL):
        pb.routes.handler(f"/gkmlpt/api/all/{col}", "gkmlpt_api", col=col)
    pb.routes.file("/gkmlpt/static/js/app.js", APP_JS.encode(), "application/javascript", date(2021, 4, 1))
    pb.routes.file(
        "/gkmlpt/static/js/detail.js", DETAIL_JS.encode(), "application/javascript", date(2021, 4, 1)
    )
    pb.routes.file(
        "/gkmlpt/static/css/app.css", b"body{font-family:sans-serif}", "text/css", date(2021, 4, 1)
    )
    pb.routes.file("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain", date(2021, 4, 1))
    pb.trap("/gkmlpt/policy", "soft-404", title="200 with 页面不存在 (every unknown path on this portal)")
