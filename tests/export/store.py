"""A small real store for the export and view tests, built the way a crawl builds one.

Report pages and attachments are rendered by the site farm's report generator (real-shaped TRS
pages and workbooks, Chinese throughout), archived by the real WARC writer, parsed by the real
parser and stored through storage.repo — only the fetching is skipped. Two crawl runs: the second
sees one report again unchanged, one edited (a second version) and adds a new one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from crawler.documents import read_document
from crawler.reports.parse import parse_document
from crawler.reports.result import ParseResult
from sitefarm.content.generate import generate_report
from sitefarm.content.render import render
from sitefarm.content.spec import ReportSpec
from storage import db, repo
from storage.models import RecordType, SourceRole
from storage.warc import WarcWriter

RUN1 = datetime(2025, 2, 3, 3, 0, tzinfo=UTC)
RUN2 = datetime(2026, 2, 2, 3, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Planned:
    """One report to store: which site, who, which year, published how."""

    site: str
    agency: str
    year: int
    template: str | None = None
    broken: bool = False
    attachment: bool = False
    """Also publish the tables as an XLSX attachment (which then supplies the values)."""
    url: str = ""


SITES = {
    "huaian": ("江苏省淮安市人民政府", "http://www.huaian.gov.cn/"),
    "gulou": ("南京市鼓楼区人民政府", "http://www.gulou.gov.cn/"),
    "pingtan": ("福建省平潭综合实验区管委会", "http://www.pingtan.gov.cn/"),
}

RUN1_REPORTS = (
    Planned("huaian", "淮安市财政局", 2023, url="http://www.huaian.gov.cn/zwgk/ndbg/202401/t20240125_1.html"),
    Planned("huaian", "淮安市交通运输局", 2023, broken=True,
            url="http://www.huaian.gov.cn/jtj/zfxxgk/ndbg/202401/t20240120_2.html"),
    Planned("huaian", "淮安市人民政府办公室", 2020, template="2019", attachment=True,
            url="http://www.huaian.gov.cn/zwgk/ndbg/202103/t20210330_3.html"),
    Planned("gulou", "南京市鼓楼区教育局", 2023, url="http://www.gulou.gov.cn/jyj/ndbg/"),
    Planned("pingtan", "平潭综合实验区管委会", 2011, template="legacy",
            url="http://www.pingtan.gov.cn/xxgk/ndbg/2012-03-20/4.htm"),
)
RUN2_EDITED = "淮安市财政局"
RUN2_NEW = Planned("gulou", "南京市鼓楼区卫生健康委员会", 2024, url="http://www.gulou.gov.cn/wjw/ndbg/2025/0127/5.html")


@dataclass
class BuiltStore:
    """What the store holds, for tests to check exports against."""

    archive: Path
    run_ids: list[int] = field(default_factory=list)
    specs: dict[str, ReportSpec] = field(default_factory=dict)
    """By agency: the spec of the latest version."""


def _parse(body: bytes, name: str) -> ParseResult:
    return parse_document(read_document(body, name))


def _store(s, w: WarcWriter, run_id: int, plan: Planned, spec: ReportSpec, at: datetime) -> None:  # type: ignore[no-untyped-def]
    name, base = SITES[plan.site]
    site = repo.get_or_create_site(s, plan.site, name, base)
    page = render(spec, "html")
    written = w.write_exchange(plan.url, status=200, response_headers=[("Content-Type", "text/html; charset=utf-8")],
                               body=page, fetched_at=at, discovered_from=base)
    docs = [(written, plan.url, "text/html; charset=utf-8", _parse(page, "page.html"), SourceRole.HTML_BODY)]
    if plan.attachment:
        xlsx = render(spec, "xlsx")
        url = plan.url.rsplit("/", 1)[0] + f"/P0{plan.year}附件.xlsx"
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        att = w.write_exchange(url, status=200, response_headers=[("Content-Type", mime)], body=xlsx,
                               fetched_at=at, discovered_from=plan.url)
        docs.append((att, url, mime, _parse(xlsx, "a.xlsx"), SourceRole.ATTACHMENT))
    ids = [repo.record_capture(s, run_id, url, rec, record_type=RecordType.RESPONSE, status=200, content_type=mime,
                               discovered_from=base, discovery_path="HDCR")
           for rec, url, mime, _, _ in docs]
    chosen = len(docs) - 1  # the attachment when there is one, as choose() prefers a passing attachment
    agency = repo.get_or_create_agency(s, site, plan.agency)
    values = dict(docs[chosen][3].values)
    _, version, _ = repo.upsert_report_version(s, agency, spec.year, values, [ids[chosen] or 0], at, run_id=run_id)
    for i, (_, _, _, result, role) in enumerate(docs):
        repo.add_source(s, version, ids[i] or 0, result, role=role, format=result.kind, supplies_values=i == chosen,
                        value_reason="test: last document")


def build_store(engine: Engine, archive: Path) -> BuiltStore:
    """Two runs over three sites; returns what was stored."""
    db.create_all(engine)
    built = BuiltStore(archive)
    rng = random.Random(11)
    specs = {p.agency: generate_report(rng, p.agency, p.year, template=p.template, broken=p.broken)
             for p in RUN1_REPORTS}
    with db.session_factory(engine)() as s:
        sites = [repo.get_or_create_site(s, k, *v) for k, v in SITES.items()]
        run = repo.start_run(s, sites, started_at=RUN1)
        assert run.id is not None
        with WarcWriter(archive, run.id, clock=lambda: RUN1) as w:
            for plan in RUN1_REPORTS:
                _store(s, w, run.id, plan, specs[plan.agency], RUN1)
        repo.finish_run(s, run, "ok", ended_at=RUN1)
        s.commit()
        built.run_ids.append(run.id)

        run2 = repo.start_run(s, sites, started_at=RUN2)
        assert run2.id is not None
        edited = generate_report(random.Random(12), RUN2_EDITED, 2023)
        specs[RUN2_EDITED] = edited
        specs[RUN2_NEW.agency] = generate_report(rng, RUN2_NEW.agency, RUN2_NEW.year)
        with WarcWriter(archive, run2.id, clock=lambda: RUN2) as w:
            for plan in (RUN1_REPORTS[0], RUN1_REPORTS[3], RUN2_NEW):
                _store(s, w, run2.id, plan, specs[plan.agency], RUN2)
        repo.finish_run(s, run2, "ok", ended_at=RUN2)
        s.commit()
        built.run_ids.append(run2.id)
    built.specs = specs
    return built
