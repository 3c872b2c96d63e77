"""The city portal's traps and faults, each recorded in the manifest with what it does."""

from __future__ import annotations

from datetime import date

from ..portal import PortalBuild
from ..routes import Fault
from .city_pages import article, post_path

HUGE_SIZE = 300 * 1024 * 1024
HUGE_PATH = "/attachment/0/999/1/4999999.zip"


def add_faults(
    pb: PortalBuild,
    dept_items: dict[str, list[tuple[str, str, date]]],
    city_items: list[tuple[str, str, date]],
    news: list[tuple[str, str, date]],
    last: date,
) -> None:
    pb.fault(
        "/zwgk/bmxxgk/wjw/zfxxgknb/",
        Fault("fail", status=429, count=1, retry_after=2),
        "rate-limit-429",
        title="first request answers 429 with Retry-After: 2",
    )
    pb.fault(
        "/zwgk/bmxxgk/jtj/zfxxgknb/",
        Fault("slow", delay=3.0),
        "slow-response",
        title="every answer takes 3 s",
    )
    reports = [r for r in pb.reports if r.locations]
    if len(reports) > 20:
        pb.fault(
            reports[5].locations[0].path,
            Fault("fail", status=502, count=2),
            "intermittent-5xx",
            title="first two requests answer 502",
            report=reports[5].id,
        )
        files = [
            loc.path
            for r in reports
            for loc in r.locations
            if loc.kind == "attachment" and loc.holds_values and loc.format == "docx"
        ]
        if files:
            pb.fault(
                files[0], Fault("reset", count=1), "connection-reset", title="first request reset (TCP RST)"
            )
    # An old column path that moved twice (CMS migrations), and a 历史年报 link that loops.
    pb.routes.redirect("/zwgk/zfxxgk/ndbg/index.html", "/zwgk/zfxxgk/nb/", 301)
    pb.routes.redirect("/zwgk/zfxxgk/nb/index.html", "/zwgk/zfxxgk/zfxxgknb/", 302)
    pb.trap(
        "/zwgk/zfxxgk/ndbg/",
        "redirect-chain",
        title="301 → 302 → the real 年报 column",
        chain=["/zwgk/zfxxgk/ndbg/", "/zwgk/zfxxgk/nb/", "/zwgk/zfxxgk/zfxxgknb/"],
    )
    pb.routes.redirect("/zwgk/zfxxgk/lsnb/index.html", "/zwgk/zfxxgk/lsnb/list.html", 302)
    pb.routes.redirect("/zwgk/zfxxgk/lsnb/list.html", "/zwgk/zfxxgk/lsnb/index.html", 302)
    pb.trap("/zwgk/zfxxgk/lsnb/", "redirect-loop", title="302 between index.html and list.html forever")
    pb.routes.handler("/hdjl/hdrl/", "calendar", today=pb.cfg.as_of.isoformat())
    pb.trap("/hdjl/hdrl/", "calendar", title="前一天/后一天 links without end (?date=)")
    pb.routes.handler("/search/", "search")
    pb.trap(
        "/search/", "robots-disallowed-search", title="site search, infinite; robots.txt forbids /search/"
    )
    # A backup copy of the city's reports that robots.txt forbids: a polite crawler never fetches it.
    if city_items:
        path, title, day = city_items[0]
        copy = "/bak/zfxxgknb/" + path.rsplit("/", 1)[1]
        pb.routes.page(
            copy, article(title, f"{day} 00:00:00", "备份", (("", "备份"),), "<p>（备份）</p>", []), day
        )
        pb.routes.page(
            "/bak/zfxxgknb/index.html", f'<html><body><a href="{copy}">{title}</a></body></html>', day
        )
        pb.trap(
            "/bak/zfxxgknb/",
            "robots-disallowed",
            title="backup copies; robots.txt Disallow: /bak/",
            pages=["/bak/zfxxgknb/", copy],
        )
    day = date(2025, 9, 18)
    if day < pb.cfg.as_of:
        page_path = post_path("/xwzx/sfyw/", "huge-download")
        body = (
            '<p style="text-indent:2em">示范市政务数据资源开放目录（2025年版）已编制完成，现予公布。</p>'
            f'<p>附件：<a href="{HUGE_PATH}">示范市政务数据资源全量包.zip</a>（约300MB）</p>'
        )
        pb.routes.page(
            page_path,
            article(
                "示范市政务数据资源开放目录（2025年版）",
                f"{day} 15:00:00",
                "示范市数据资源管理局",
                (("/index.html", "首页"), ("/xwzx/sfyw/", "示范要闻"), ("", "正文")),
                body,
                [],
            ),
            day,
        )
        news.insert(0, (page_path, "示范市政务数据资源开放目录（2025年版）", day))
        pb.routes.huge(HUGE_PATH, HUGE_SIZE, "application/zip", day)
        pb.trap(
            HUGE_PATH,
            "huge-file",
            title="300 MB streamed zip; refuse by Content-Length",
            size=HUGE_SIZE,
            linked_from=page_path,
        )
