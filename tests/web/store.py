"""A small real store for the web tests: reports generated as the site farm publishes them
(HTML pages with a DOCX attachment), archived as WARC, parsed by the real parser and stored
through storage.repo — two crawl runs, so that one report is edited and one is gone."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from crawler.reports import parse_report
from sitefarm.content.generate import generate_report
from sitefarm.content.render import render
from storage import db, repo
from storage.models import Outcome, SourceRole
from storage.warc import WarcWriter

SITE = ("js-demo", "江苏省人民政府", "http://www.js.gov.cn/")
REPLAY_PAGE_URL = "http://www.js.gov.cn/col/col1/probe.html"
"""An archived page whose script tries to reach the UI (the replay sandbox test opens it)."""


@dataclass
class Built:
    """Ids the tests look things up by."""

    reports: dict[str, int] = field(default_factory=dict)
    """"<agency> <year>" → report id."""
    agencies: dict[str, int] = field(default_factory=dict)
    docx_capture: dict[str, int] = field(default_factory=dict)
    """"<agency> <year>" → capture id of the DOCX attachment."""
    docx_bytes: dict[str, bytes] = field(default_factory=dict, repr=False)
    probe_capture: int = 0


AGENCIES = ("江苏省苏州市吴中区人民政府办公室", "江苏省南京市财政局", "北京市朝阳区司法局")


def build_store(engine: Engine, archive: Path, probe_script: str = "") -> Built:
    """Two runs over one site: run 1 sees every report, run 2 an edited one and not a gone one."""
    db.create_all(engine)
    built = Built()
    rng = random.Random(11)
    specs = {
        ("江苏省苏州市吴中区人民政府办公室", 2022): generate_report(rng, AGENCIES[0], 2022),
        ("江苏省苏州市吴中区人民政府办公室", 2023): generate_report(rng, AGENCIES[0], 2023),
        ("江苏省南京市财政局", 2023): generate_report(rng, AGENCIES[1], 2023, broken=True),
        ("北京市朝阳区司法局", 2022): generate_report(rng, AGENCIES[2], 2022),
    }
    edited = ("江苏省苏州市吴中区人民政府办公室", 2023)
    spec2 = generate_report(random.Random(99), AGENCIES[0], 2023)
    for run_no, when in ((1, datetime(2024, 2, 1, 3, tzinfo=UTC)), (2, datetime(2025, 2, 1, 3, tzinfo=UTC))):
        with db.session_factory(engine)() as s:
            site = repo.get_or_create_site(s, *SITE)
            run = repo.start_run(s, [site], started_at=when)
            assert run.id is not None
            writer = WarcWriter(archive, run.id, software="nianbao/test")
            seen: set[int] = set()
            for (name, year), spec in specs.items():
                if run_no == 2 and name == AGENCIES[2]:
                    continue  # gone from the portal
                if run_no == 2 and (name, year) == edited:
                    spec = spec2
                agency = repo.get_or_create_agency(s, site, name)
                built.agencies[name] = agency.id or 0
                slug = f"{AGENCIES.index(name) + 1}-{year}"
                page_url = f"http://www.js.gov.cn/art/{year}/{slug}.html"
                html = render(spec, "html")
                docx = render(spec, "docx")
                rec_html = writer.write_exchange(
                    page_url, status=200, response_headers=[("Content-Type", "text/html; charset=utf-8")],
                    body=html, fetched_at=when,
                )
                docx_url = f"http://www.js.gov.cn/art/{year}/{slug}/附件.docx"
                rec_docx = writer.write_exchange(
                    docx_url, status=200,
                    response_headers=[("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")],
                    body=docx, fetched_at=when, discovered_from=page_url,
                )
                cap_html = repo.record_capture(s, run.id, page_url, rec_html, status=200,
                                               content_type="text/html; charset=utf-8",
                                               discovered_from="http://www.js.gov.cn/col/ndbg/index.html",
                                               discovery_path="HDCR")
                cap_docx = repo.record_capture(s, run.id, docx_url, rec_docx, status=200,
                                               content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                               discovered_from=page_url, discovery_path="HDCRA")
                assert cap_html is not None and cap_docx is not None
                parsed_html = parse_report(html, "page.html")
                parsed_docx = parse_report(docx, "附件.docx")
                report, version, _ = repo.upsert_report_version(
                    s, agency, year, parsed_docx.values, [cap_docx, cap_html], when, run_id=run.id
                )
                repo.add_source(s, version, cap_html, parsed_html, role=SourceRole.HTML_BODY)
                repo.add_source(s, version, cap_docx, parsed_docx, role=SourceRole.ATTACHMENT,
                                supplies_values=True, value_reason="attachment: the published tables")
                key = f"{name} {year}"
                built.reports[key] = report.id or 0
                built.docx_capture[key] = cap_docx
                built.docx_bytes[key] = docx
                seen.add(report.id or 0)
            if probe_script:
                probe = (
                    "<!doctype html><html><head><meta charset='utf-8'><title>测试页面</title></head>"
                    f"<body><h1>归档页面</h1><p id='out'>pending</p><script>{probe_script}</script></body></html>"
                ).encode()
                rec = writer.write_exchange(REPLAY_PAGE_URL, status=200,
                                            response_headers=[("Content-Type", "text/html; charset=utf-8")],
                                            body=probe, fetched_at=when)
                built.probe_capture = repo.record_capture(s, run.id, REPLAY_PAGE_URL, rec, status=200,
                                                          content_type="text/html; charset=utf-8") or 0
            writer.close()
            if run_no == 2:
                repo.mark_gone(s, run.id, seen)
            repo.finish_run(s, run, Outcome.OK, ended_at=when)
            s.commit()
    return built
