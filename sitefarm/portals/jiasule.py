"""Portal 5: a county government behind a 加速乐 (jsl) 521 challenge, Jiangsu ``.shtml`` style.

Underneath: lists ``/xxgk/xxgknb/list.shtml``, ``list_2.shtml`` with ordinary 下一页 links;
department reports under each department's own path ``/<dept>/gknb/YYYYMM/<32 hex>.shtml``
(shuyang.gov.cn); detail pages carry the 信息公开目录 table (索引号, 发布机构, 公开日期) and
``<ucaptitle>``/``<ucapcontent>`` in ``#zoomcon``.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date

from ..antibot.common import mac
from ..antibot.jiasule import JiasuleGate
from ..chrome import article_meta, breadcrumb, column_meta, e, footer, nav, page, site_meta
from ..formats import content_type, ext
from ..manifest import PortalInfo
from ..portal import BuildContext, PortalBuild
from ..slots import Slot, make_slot
from ..timeline import at, report_years, visible

NAME, DOMAIN, CODE = "安平县人民政府", "www.anping.gov.cn", "3213220003"
UNITS = (
    ("anping", NAME, True),
    ("apfgj", "安平县发展和改革局", False),
    ("apjyj", "安平县教育局", False),
    ("apmzj", "安平县民政局", False),
    ("apczj", "安平县财政局", False),
    ("apsjj", "安平县审计局", False),
)
LIST = "/xxgk/xxgknb/"
NAV = [("/index.shtml", "首页"), ("/xxgk/index.shtml", "信息公开"), ("/hdjl/index.shtml", "互动交流")]
META = site_meta(NAME, DOMAIN, CODE)


def _head() -> str:
    return f'<div class="top"><span class="logo">{NAME}</span></div>\n' + nav(NAV)


def _foot() -> str:
    return footer(NAME, CODE, "苏ICP备05001234号-1", (("hanweb", "江淮省人民政府"),))


def _publish(pb: PortalBuild, slot: Slot, serial: int) -> tuple[str, str, date] | None:
    if not visible(slot.published, pb.cfg.as_of):
        return None
    unit = slot.rid.split(":")[0]
    day = slot.published
    name = hashlib.md5(f"jsl|{slot.rid}".encode()).hexdigest()
    base = "/anping/gknb" if unit == "anping" else f"/{unit}/gknb"
    path = f"{base}/{day:%Y%m}/{name}.shtml"
    spec = slot.spec
    locations = []
    files = ""
    if slot.attached:
        suffix = ext(slot.attach_fmt)
        store = f"{base}/{day:%Y%m}/{name[:8]}_{slot.year}.{suffix}"
        pb.attach(store, spec, slot.attach_fmt, content_type(slot.attach_fmt), day, style=slot.style)
        files = f'<p class="fj">附件：<a href="{store}">{e(spec.title)}.{suffix}</a></p>'
        locations.append(
            pb.location(
                store,
                "attachment",
                slot.attach_fmt,
                spec,
                style=slot.style,
                role="copy" if slot.inline else "primary",
                needs_browser=True,
                content_type=content_type(slot.attach_fmt),
            )
        )
    body = (
        pb.ctx.docs.now(spec, "body", slot.style, slot.seed).decode() if slot.inline else "<p>详见附件。</p>"
    )
    locations.insert(
        0, pb.location(path, "article", "body", spec, style=slot.style, holds=slot.inline, needs_browser=True)
    )
    index_no = f"01431{serial:04d}/{day.year}-{serial:05d}"
    table = (
        '<table class="xxgk_table"><tr><th>名称</th><td colspan="3">' + e(spec.title) + "</td></tr>"
        f"<tr><th>索引号</th><td>{index_no}</td><th>分类</th><td>信息公开年报 其他 报告</td></tr>"
        f"<tr><th>发布机构</th><td>{e(spec.agency)}</td><th>公开日期</th><td><publishtime>{day}</publishtime></td></tr>"
        "<tr><th>文号</th><td></td><th>时效</th><td>有效</td></tr></table>"
    )
    html = page(
        spec.title,
        META + article_meta(spec.title, at(day, pb.rng("t", slot.rid)), spec.agency),
        (
            f"{_head()}{breadcrumb(('/index.shtml', '首页'), ('/xxgk/index.shtml', '信息公开'), (LIST + 'list.shtml', '政府信息公开年报'))}"
            f'{table}<div id="zoomcon"><ucaptitle>{e(spec.title)}</ucaptitle><ucapcontent>{body}</ucapcontent></div>'
            f"{files}{_foot()}"
        ),
    )
    pb.routes.page(path, html, day)
    pb.report(slot.rid, spec, slot.published, LIST + "list.shtml", locations)
    return path, spec.title, day


def gate(ctx: BuildContext) -> JiasuleGate:
    return JiasuleGate(mac(ctx.secret, "jiasule"), ttl=3600.0, wait_ms=300)


def build(ctx: BuildContext) -> PortalBuild:
    info = PortalInfo(
        id="jiasule",
        style="jiasule",
        name=NAME,
        domain=DOMAIN,
        home="/index.shtml",
        disclosure="/xxgk/index.shtml",
        report_columns=(LIST + "list.shtml",),
        charset="utf-8",
        challenge="jiasule",
        imitates=(
            "知道创宇 加速乐 protected county site: 521 + document.cookie=…;location.href=… (sets "
            "__jsl_clearance_s), then 521 + go({bts,chars,ct,ha:sha1}) brute force; underneath Jiangsu "
            "county portal (shuyang.gov.cn): list.shtml/list_N.shtml, /<dept>/gknb/YYYYMM/<hex>.shtml"
        ),
    )
    pb = PortalBuild(info, ctx)
    years = report_years(pb.cfg.as_of)
    slots = [
        make_slot(
            pb, slug, name, y, government=gov, scale="city" if gov else "department", formats=("pdf", "docx")
        )
        for slug, name, gov in UNITS
        for y in years
        if y >= (2017 if gov else 2020)
    ]
    slots.sort(key=lambda s: s.published, reverse=True)
    items = [it for i, s in enumerate(slots) if (it := _publish(pb, s, i + 1))]
    last = max(d for _, _, d in items)
    per = 20
    count = -(-len(items) // per)
    for i in range(count):
        lis = "".join(
            f'<li><a href="{p}" target="_blank">{e(t)}</a><span>{d}</span></li>'
            for p, t, d in items[i * per : (i + 1) * per]
        )
        links = ['<a href="list.shtml">首页</a>']
        if i > 0:
            links.append(f'<a href="{"list.shtml" if i == 1 else f"list_{i}.shtml"}">上一页</a>')
        if i + 1 < count:
            links.append(f'<a href="list_{i + 2}.shtml">下一页</a>')
        name = "list.shtml" if i == 0 else f"list_{i + 1}.shtml"
        body = (
            f"{_head()}{breadcrumb(('/index.shtml', '首页'), ('/xxgk/index.shtml', '信息公开'), ('', '政府信息公开年报'))}"
            f'<ul class="list">{lis}</ul><div class="pages">{" ".join(links)} 共{count}页</div>{_foot()}'
        )
        pb.routes.page(
            LIST + name,
            page(f"政府信息公开年报_{NAME}", META + column_meta("政府信息公开年报", "信息公开年报"), body),
            last,
        )
    pb.routes.page(
        "/index.shtml",
        page(NAME, META, _head() + '<a href="/xxgk/index.shtml">政府信息公开</a>' + _foot()),
        last,
    )
    pb.routes.page(
        "/xxgk/index.shtml",
        page(
            f"信息公开_{NAME}",
            META,
            _head() + '<ul><li><a href="/xxgk/xxgkzn/">'
            f'政府信息公开指南</a></li><li><a href="{LIST}list.shtml">政府信息公开年报</a></li></ul>'
            + _foot(),
        ),
        last,
    )
    pb.routes.page(
        "/hdjl/index.shtml", page(f"互动交流_{NAME}", META, _head() + "<p>暂无内容</p>" + _foot()), last
    )
    pb.routes.file("/robots.txt", b"User-agent: *\nDisallow: /search/\n", "text/plain", date(2020, 1, 1))
    g = gate(ctx)
    pb.server = {
        "server": "jsl",
        "gate": {"kind": "jiasule", "secret": g.secret, "ttl": g.ttl, "wait_ms": g.wait_ms},
    }
    pb.needs_browser("/", "challenge-521")
    pb.trap("/", "anti-bot-521", title="加速乐-style two-step 521 challenge on every path", ttl=g.ttl)
    pb.reports[:] = [
        replace(r, locations=tuple(replace(loc, needs_browser=True) for loc in r.locations))
        for r in pb.reports
    ]
    return pb
