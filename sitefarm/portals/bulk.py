"""Portal 7 (``--size large`` or N): a provincial portal of ≥ 50,000 pages for benchmarks.

Columns ``/cNN/`` hold list pages (``index.html``, ``index_1.html``… with <a> pagers) and
articles ``/cNN/YYYYMM/tYYYYMMDD_<id>.html``. Column ``c00`` is the 政府信息公开年报 column with a
known number of reports (rendered at build time); every other page is generated on request from
its path, so the build stays small and the server answers from memory.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from ..chrome import article_meta, column_meta, e, footer, nav, page, site_meta
from ..manifest import PortalInfo
from ..portal import BuildContext, PortalBuild
from ..slots import make_slot

NAME, DOMAIN, CODE = "云岭省人民政府", "www.yunling.gov.cn", "5300000001"
COLUMNS = 50
PER_PAGE = 20
META = site_meta(NAME, DOMAIN, CODE)
_ARTICLE = re.compile(r"^/c(\d\d)/(\d{6})/t(\d{8})_(\d+)\.html$")
_LIST = re.compile(r"^/c(\d\d)/(?:index(?:_(\d+))?\.html)?$")
TOPICS = (
    "全省经济运行情况通报",
    "重点项目建设推进会召开",
    "营商环境专项督查反馈",
    "安全生产工作部署",
    "民生实事进展情况",
    "乡村振兴工作调度会",
    "生态环境保护督察整改",
    "政务服务效能提升",
)


def _layout(pages: int) -> tuple[int, int]:
    """(articles per column, reports in c00) for about ``pages`` pages in total."""
    per_column = max(5, math.ceil(pages / (COLUMNS - 1) / (1 + 1 / PER_PAGE)))
    return per_column, min(200, max(10, pages // 250))


def _day(as_of: date, index: int) -> date:
    return as_of - timedelta(days=1 + index * 3 // 2)


def article_path(as_of: date, col: int, index: int) -> str:
    day = _day(as_of, index)
    return f"/c{col:02d}/{day:%Y%m}/t{day:%Y%m%d}_{col * 100000 + index}.html"


def _chrome(title: str, meta: str, inner: str) -> str:
    head = f'<div class="header">{NAME}</div>\n' + nav(
        [("/index.html", "首页"), ("/xxgk/index.html", "政府信息公开")]
    )
    return page(title, META + meta, head + inner + footer(NAME, CODE, "滇ICP备05000001号"))


def render_bulk(data: dict[str, Any], path: str, blob: Callable[[str], bytes]) -> tuple[bytes, str] | None:
    """The page at ``path`` (None when there is none): called by the server per request."""
    as_of = date.fromisoformat(data["as_of"])
    per_column, reports = data["per_column"], data["reports"]
    if path in reports:
        return blob(reports[path]), "text/html; charset=utf-8"
    m = _ARTICLE.match(path)
    if m:
        col, ident = int(m.group(1)), int(m.group(4))
        index = ident - col * 100000
        if col == 0 or not 0 <= index < per_column or article_path(as_of, col, index) != path:
            return None
        title = f"{TOPICS[(col + index) % len(TOPICS)]}（第{index + 1}期）"
        day = _day(as_of, index)
        body = "".join(
            f'<p style="text-indent:2em">{title}。第{k + 1}段：各地各部门认真贯彻落实部署要求。</p>'
            for k in range(4)
        )
        html = _chrome(title, article_meta(title, f"{day} 10:00:00", NAME), f"<h1>{e(title)}</h1>{body}")
        return html.encode(), "text/html; charset=utf-8"
    m = _LIST.match(path)
    if m:
        col, index = int(m.group(1)), int(m.group(2) or 0)
        items = data["c00"] if col == 0 else None
        total = len(items) if items is not None else per_column
        count = max(1, -(-total // PER_PAGE))
        if not 0 <= index < count or col >= COLUMNS or (m.group(2) == "0"):
            return None
        rows = []
        for i in range(index * PER_PAGE, min(total, (index + 1) * PER_PAGE)):
            href, title, shown = (
                items[i]
                if items is not None
                else (
                    article_path(as_of, col, i),
                    f"{TOPICS[(col + i) % len(TOPICS)]}（第{i + 1}期）",
                    str(_day(as_of, i)),
                )
            )
            rows.append(f'<li><a href="{href}">{e(title)}</a><span>{shown}</span></li>')
        pager = ['<a href="index.html">首页</a>']
        if index + 1 < count:
            pager.append(f'<a href="index_{index + 1}.html">下一页</a>')
        name = "政府信息公开年报" if col == 0 else f"栏目{col:02d}"
        html = _chrome(
            f"{name}_{NAME}", column_meta(name), f"<ul>{''.join(rows)}</ul><div>{' '.join(pager)}</div>"
        )
        return html.encode(), "text/html; charset=utf-8"
    return None


def build(ctx: BuildContext) -> PortalBuild:
    pages = ctx.config.bulk_pages
    info = PortalInfo(
        id="bulk",
        style="bulk",
        name=NAME,
        domain=DOMAIN,
        home="/index.html",
        disclosure="/xxgk/index.html",
        report_columns=("/c00/",),
        charset="utf-8",
        imitates=f"a large provincial portal (~{pages} pages: {COLUMNS} columns of static lists and articles) "
        "for throughput benchmarks; pages are generated per request",
    )
    pb = PortalBuild(info, ctx)
    as_of = ctx.config.as_of
    per_column, n_reports = _layout(pages)
    reports: dict[str, str] = {}
    c00 = []
    for i in range(n_reports):
        slot = make_slot(
            pb,
            f"u{i % 40:02d}",
            f"云岭省第{i % 40 + 1}厅",
            2024 - i // 40,
            government=False,
            modes=(("inline", 1.0),),
        )
        path = f"/c00/{slot.published:%Y%m}/t{slot.published:%Y%m%d}_{i}.html"
        body = ctx.docs.now(slot.spec, "body", slot.style, slot.seed).decode()
        html = _chrome(
            slot.spec.title,
            article_meta(slot.spec.title, f"{slot.published} 09:00:00", slot.spec.agency),
            f"<h1>{e(slot.spec.title)}</h1>{body}",
        )
        reports[path] = ctx.blobs.put(html.encode())
        c00.append((path, slot.spec.title, str(slot.published)))
        pb.report(
            f"{slot.rid}:{i}",
            slot.spec,
            slot.published,
            "/c00/",
            [pb.location(path, "article", "body", slot.spec, style=slot.style)],
        )
    links = "".join(f'<li><a href="/c{c:02d}/">栏目{c:02d}</a></li>' for c in range(1, COLUMNS))
    pb.routes.page(
        "/index.html",
        _chrome(NAME, "", f'<ul>{links}</ul><a href="/xxgk/index.html">政府信息公开</a>'),
        as_of,
    )
    pb.routes.page(
        "/xxgk/index.html",
        _chrome(f"政府信息公开_{NAME}", column_meta("政府信息公开"), '<a href="/c00/">政府信息公开年报</a>'),
        as_of,
    )
    pb.routes.file("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain", as_of)
    total = (
        2 + n_reports + -(-n_reports // PER_PAGE) + (COLUMNS - 1) * (per_column + -(-per_column // PER_PAGE))
    )
    pb.data["bulk"] = {
        "as_of": as_of.isoformat(),
        "per_column": per_column,
        "reports": reports,
        "c00": c00,
        "pages": total,
    }
    pb.server = {"server": "nginx", "fallback": "bulk"}
    return pb
