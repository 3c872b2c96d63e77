"""The city portal's navigation pages: home, 政务公开, 政府信息公开, the department directory."""

from __future__ import annotations

from datetime import date

from ..chrome import e
from ..manifest import PortalInfo
from ..names import Unit
from ..portal import PortalBuild
from .city_pages import DOMAIN, NAME, menu

ROBOTS = b"User-agent: *\nDisallow: /search/\nDisallow: /bak/\n\nUser-agent: Baiduspider\nAllow: /\n"


def info() -> PortalInfo:
    return PortalInfo(
        id="city",
        style="city-cms",
        name=NAME,
        domain=DOMAIN,
        home="/index.html",
        disclosure="/zwgk/zfxxgk/index.html",
        report_columns=("/zwgk/zfxxgk/zfxxgknb/index.html", "/zwgk/bmxxgk/<dept>/zfxxgknb/index.html"),
        charset="utf-8",
        robots_disallow=("/search/", "/bak/"),
        imitates=(
            "a prefecture-level city portal in the Guangzhou/Shenzhen 集约化 style (content/post_<id>.html, "
            "index_N.html with <a> pagers): 34 department sub-sites each with a 政府信息公开年报 column; reports "
            "inline and as PDF/DOC/DOCX/WPS/XLS/XLSX/scanned PDF attachments; noise and most faults live here"
        ),
    )


def static_pages(pb: PortalBuild, units: list[Unit], news: list[tuple[str, str, date]], last: date) -> None:
    top = "".join(f'<li><a href="{p}">{e(t)}</a><span>{d}</span></li>' for p, t, d in news[:8])
    home_links = [
        ("/zwgk/zfxxgk/index.html", "政府信息公开"),
        ("/zwgk/zfxxgk/zfxxgknb/", "政府信息公开年报"),
        ("/zwgk/bmxxgk/", "部门信息公开"),
        ("/xwzx/sfyw/", "示范要闻"),
        ("/zwgk/zfgzbg/", "政府工作报告"),
    ]
    pb.routes.page(
        "/index.html", menu(NAME, (("", "首页"),), home_links, f'<ul class="news">{top}</ul>'), last
    )
    zwgk = [
        ("/zwgk/zfxxgk/index.html", "政府信息公开"),
        ("/zwgk/zfgzbg/", "政府工作报告"),
        ("/zwgk/tjxx/", "统计信息"),
        ("/zwgk/fzzfjs/", "法治政府建设"),
        ("/zwgk/bmxxgk/", "部门信息公开"),
    ]
    pb.routes.page(
        "/zwgk/index.html", menu("政务公开", (("/index.html", "首页"), ("", "政务公开")), zwgk), last
    )
    crumbs = (("/index.html", "首页"), ("/zwgk/index.html", "政务公开"), ("", "政府信息公开"))
    xxgk = [
        ("/zwgk/zfxxgk/zfxxgkzn/", "政府信息公开指南"),
        ("/zwgk/zfxxgk/zfxxgknb/", "政府信息公开年报"),
        ("/zwgk/bmxxgk/", "部门信息公开"),
        ("/zwgk/zfxxgk/ndbg/", "政府信息公开年度报告（原栏目）"),
        ("/zwgk/zfxxgk/lsnb/", "历史年报"),
        ("/bak/zfxxgknb/", "年报备份"),
    ]
    pb.routes.page("/zwgk/zfxxgk/index.html", menu("政府信息公开", crumbs, xxgk), last)
    pb.routes.page(
        "/zwgk/zfxxgk/zfxxgkzn/index.html",
        menu(
            "政府信息公开指南",
            crumbs,
            [],
            (
                "<p>本机关于每年3月31日前公布上一年度政府信息公开工作年度报告，各部门于每年1月31日前公布本部门年度报告。</p>"
            ),
        ),
        date(2021, 6, 1),
    )
    pb.noise_page("/zwgk/zfxxgk/zfxxgkzn/", "guide", "政府信息公开指南")
    depts = [(f"/zwgk/bmxxgk/{u.slug}/", u.name) for u in units]
    pb.routes.page(
        "/zwgk/bmxxgk/index.html",
        menu(
            "部门信息公开",
            (("/index.html", "首页"), ("/zwgk/index.html", "政务公开"), ("", "部门信息公开")),
            depts,
        ),
        last,
    )
    pb.routes.page(
        "/zwgk/tjxx/index.html",
        menu("统计信息", (("/index.html", "首页"), ("", "统计信息")), [("/zwgk/tjxx/tjgb/", "统计公报")]),
        last,
    )
    pb.routes.page(
        "/xwzx/index.html",
        menu("新闻中心", (("/index.html", "首页"), ("", "新闻中心")), [("/xwzx/sfyw/", "示范要闻")]),
        last,
    )
    pb.routes.page(
        "/hdjl/index.html",
        menu(
            "互动交流",
            (("/index.html", "首页"), ("", "互动交流")),
            [("/hdjl/hdrl/", "政务活动日历"), ("http://12345.shifan.gov.cn/", "12345热线")],
        ),
        last,
    )
    pb.routes.file("/robots.txt", ROBOTS, "text/plain", date(2021, 1, 1))
