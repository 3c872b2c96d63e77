"""Portal 6: a city with 34 departments, each with its own 年报 column (Guangzhou 集约化 style).

Reachability: home → 政务公开 → 政府信息公开 → 政府信息公开年报 (city) and 部门信息公开 → <dept> →
政府信息公开年报. Reports 2014–2025 in all three templates, under pre-2019 department names where
they changed, inline, attachment-only (PDF, DOC, DOCX, WPS, XLS, XLSX, one scanned PDF) or both.
Noise: 政府工作报告, 统计公报, 预算/决算, 法治政府建设年度报告, 年报-mentioning news, a repost.
Faults: robots-disallowed backup copy, 429, 5xx, slow, reset, redirect chain and loop, calendar,
a 300 MB file, a broken PDF, wrong Content-Types.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..names import NEW_IN_2019, Unit, departments
from ..news import articles, noise_report
from ..portal import BuildContext, PortalBuild
from ..slots import Slot, known_slot, make_slot
from ..timeline import report_years, visible
from .city_faults import add_faults
from .city_pages import CITY, NAME, article, column, menu, post_path
from .city_reports import Special, publish
from .city_site import info, static_pages

NB = "/zwgk/zfxxgk/zfxxgknb/"
NB_CRUMBS = (
    ("/index.html", "首页"),
    ("/zwgk/index.html", "政务公开"),
    ("/zwgk/zfxxgk/index.html", "政府信息公开"),
    ("", "政府信息公开年报"),
)
DEPT_MODES = (("inline", 0.68), ("both", 0.12), ("attachment", 0.2))
# docx dominates so that a cold build stays under a minute (pdf/doc/wps/xls go through LibreOffice).
DEPT_FORMATS = ("docx", "docx", "docx", "docx", "docx", "pdf", "pdf", "doc", "wps", "xls", "xlsx")
# Reports whose oddities the manifest and tests rely on: (unit, year) → (mode, attachment format).
FORCED = {
    ("xfj", 2016): ("attachment", "scan-pdf"),
    ("czj", 2024): ("inline", "pdf"),
    ("jtj", 2023): ("both", "pdf"),
    ("gaj", 2022): ("both", "docx"),
    ("slj", 2021): ("both", "pdf"),
    ("swj", 2023): ("", ""),
}


def dept_crumbs(unit: Unit, last: str) -> tuple[tuple[str, str], ...]:
    base = f"/zwgk/bmxxgk/{unit.slug}/"
    return (
        ("/index.html", "首页"),
        ("/zwgk/index.html", "政务公开"),
        ("/zwgk/bmxxgk/index.html", "部门信息公开"),
        (base + "index.html", unit.name),
        ("", last),
    )


def _dept_slots(pb: PortalBuild, unit: Unit, ctx: BuildContext) -> list[Slot]:
    years = report_years(pb.cfg.as_of)
    rng = pb.rng("dept", unit.slug)
    first = rng.choice([2014, 2017, 2019, 2020, 2021, 2022, 2023])
    if unit.slug in NEW_IN_2019:
        first = max(first, 2019)
    slots = []
    for y in years:
        skip = rng.random() < 0.08
        mode = FORCED.get((unit.slug, y))
        if (y < first or skip) and mode is None:
            continue
        slot = make_slot(
            pb,
            unit.slug,
            unit.name_in(y),
            y,
            government=False,
            modes=DEPT_MODES,
            formats=DEPT_FORMATS,
            broken=True if (unit.slug, y) == ("czj", 2024) else None,
        )
        if mode and mode[0]:
            slot = replace(slot, mode=mode[0], attach_fmt=mode[1])
        slots.append(slot)
    if unit.slug == "swj":  # seeds 000 (市商务局 2020) and 003 (商务局 2019) are this department's reports
        known = {
            s.year: known_slot(pb, n, s, government=False)
            for n, s in ctx.take_known("商务局")
            if s.agency in ("市商务局", "商务局")
        }
        slots = [known.pop(s.year, s) for s in slots] + list(known.values())
    return slots


def _write_list(
    pb: PortalBuild,
    col: str,
    title: str,
    crumbs: tuple[tuple[str, str], ...],
    items: list[tuple[str, str, date]],
    last: date,
    per: int = 15,
    kind: str = "信息公开",
) -> None:
    items = sorted(items, key=lambda it: it[2], reverse=True)
    count = max(1, -(-len(items) // per))
    for i in range(count):
        name = "index.html" if i == 0 else f"index_{i + 1}.html"
        pb.routes.page(
            col + name, column(title, crumbs, items[i * per : (i + 1) * per], i, count, kind), last
        )


def _noise(
    pb: PortalBuild,
    col: str,
    title: str,
    crumbs: tuple[tuple[str, str], ...],
    entries: list[tuple[str, tuple[str, ...], date, str, str]],
    last: date,
) -> None:
    """Non-report documents (title, paragraphs, date, source, noise kind) in their own column."""
    items = []
    for t, paras, day, source, kind in entries:
        if not visible(day, pb.cfg.as_of):
            continue
        path = post_path(col, f"{kind}|{t}")
        body = "".join(f'<p style="text-indent:2em">{p}</p>' for p in paras)
        pb.routes.page(path, article(t, f"{day} 10:00:00", source, crumbs, body, []), day)
        pb.noise_page(path, kind, t)
        items.append((path, t, day))
    _write_list(pb, col, title, crumbs, items, last, kind="其他")


def build(ctx: BuildContext) -> PortalBuild:
    pb = PortalBuild(info(), ctx)
    as_of = pb.cfg.as_of
    units = departments(CITY)
    special = Special(
        served_type={"jtj:2023": "application/octet-stream", "gaj:2022": "text/html"},
        broken_pdf={"slj:2021"},
        edited={"czj:2024"},
        reposts={"swj:2023": (NB, NB_CRUMBS)},
    )
    dept_items: dict[str, list[tuple[str, str, date]]] = {}
    all_days = [date(2024, 1, 1)]
    for unit in units:
        col = f"/zwgk/bmxxgk/{unit.slug}/zfxxgknb/"
        items = [
            it
            for s in _dept_slots(pb, unit, ctx)
            if (it := publish(pb, s, col, dept_crumbs(unit, "政府信息公开年报"), special))
        ]
        dept_items[unit.slug] = items
        all_days += [d for _, _, d in items]
    gov = [
        make_slot(
            pb,
            "gov",
            NAME,
            y,
            government=True,
            scale="city",
            modes=(("inline", 0.7), ("both", 0.3)),
            formats=("pdf", "docx"),
        )
        for y in report_years(as_of)
    ]
    city_items = [it for s in gov if (it := publish(pb, s, NB, NB_CRUMBS, special))]
    for rid in special.reposts:
        entry = next((r for r in pb.reports if r.id == f"city:{rid}"), None)
        if entry is not None:
            repost = next(loc.path for loc in entry.locations if loc.role == "repost")
            city_items.append((repost, entry.title, date.fromisoformat(entry.published)))
    all_days += [d for _, _, d in city_items]
    news = articles(pb.rng("news"), CITY, date(2025, 1, 2), as_of, every=5.0, lookalike_share=0.08)
    last = max(all_days + [a.day for a in news])
    for unit in units:
        base = f"/zwgk/bmxxgk/{unit.slug}/"
        _write_list(
            pb,
            base + "zfxxgknb/",
            "政府信息公开年报",
            dept_crumbs(unit, "政府信息公开年报"),
            dept_items[unit.slug],
            last,
            kind="信息公开年报",
        )
        money = []
        for y in (as_of.year - 2, as_of.year - 1):
            for kind, day in (("budget", date(y, 2, 20)), ("final-accounts", date(y, 8, 28))):
                title, paras = noise_report(kind, CITY, y if kind == "budget" else y - 1, unit.name)
                money.append((title, paras, day, unit.name, kind))
        _noise(pb, base + "czzj/", "财政资金", dept_crumbs(unit, "财政资金"), money, last)
        pb.routes.page(
            base + "index.html",
            menu(
                unit.name,
                dept_crumbs(unit, "")[:4],
                [
                    (base + "jggk/", "机构概况"),
                    (base + "czzj/", "财政资金"),
                    (base + "zfxxgknb/", "政府信息公开年报"),
                ],
            ),
            last,
        )
        pb.routes.page(
            base + "jggk/index.html",
            menu("机构概况", dept_crumbs(unit, "机构概况"), [], f"<p>{unit.name}是市人民政府工作部门。</p>"),
            date(2019, 3, 1),
        )
    _write_list(pb, NB, "政府信息公开年报", NB_CRUMBS, city_items, last, per=10, kind="信息公开年报")
    crumbs = (("/index.html", "首页"), ("/zwgk/index.html", "政务公开"))
    for col, title, kind, month_day in (
        ("/zwgk/zfgzbg/", "政府工作报告", "government-work-report", (1, 25)),
        ("/zwgk/tjxx/tjgb/", "统计公报", "statistical-bulletin", (3, 20)),
        ("/zwgk/fzzfjs/", "法治政府建设", "rule-of-law-report", (3, 28)),
    ):
        entries = []
        for y in range(2021, as_of.year + 1):
            # 政府工作报告 is named after the year it is given; the others after the year they cover.
            t, paras = noise_report(kind, CITY, y if kind == "government-work-report" else y - 1)
            entries.append((t, paras, date(y, *month_day), NAME, kind))
        _noise(pb, col, title, (*crumbs, ("", title)), entries, last)
    news_items = []
    for a in news:
        path = post_path("/xwzx/sfyw/", f"news|{a.title}|{a.day}")
        pb.routes.page(
            path,
            article(
                a.title, f"{a.day} 09:00:00", NAME, (("/index.html", "首页"), ("", "示范要闻")), a.body(), []
            ),
            a.day,
        )
        if a.kind != "news":
            pb.noise_page(path, a.kind, a.title)
        news_items.append((path, a.title, a.day))
    add_faults(pb, dept_items, city_items, news_items, last)
    _write_list(
        pb,
        "/xwzx/sfyw/",
        "示范要闻",
        (("/index.html", "首页"), ("", "示范要闻")),
        news_items,
        last,
        per=20,
        kind="新闻",
    )
    static_pages(pb, units, news_items, last)
    pb.server = {"server": "nginx"}
    return pb
