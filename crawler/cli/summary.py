"""The closing table of a crawl."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from sqlmodel import Session, col, func, select

from crawler.config import CrawlConfig
from crawler.runner import RunSummary
from storage.db import make_engine
from storage.models import Agency, Report, ReportVersion, Site


def print_summary(console: Console, summary: RunSummary, config: CrawlConfig) -> None:
    c = summary.counts
    outcome = summary.outcome
    if summary.flags:
        outcome += f", but {len(summary.flags)} possible miss{'es' if len(summary.flags) > 1 else ''} (below)"
    t = Table(title=f"crawl run {summary.run_id}: {outcome}", header_style="bold", show_header=False)
    t.add_column("what")
    t.add_column("count", justify="right")
    rows = [("pages fetched", c.get("pages", 0)), ("captures archived", c.get("captures", 0)),
            ("rendered in Chromium", c.get("rendered", 0)), ("reports", c.get("reports", 0)),
            ("  new", c.get("reports_new", 0)), ("  changed", c.get("reports_changed", 0)),
            ("  unchanged", c.get("reports_unchanged", 0)), ("  gone", c.get("reports_gone", 0)),
            ("pages that were not reports", c.get("not_reports", 0)), ("failed fetches", c.get("errors", 0))]
    if c.get("replayed") or c.get("resumed_requests"):
        rows += [("resumed: requests left", c.get("resumed_requests", 0)),
                 ("resumed: answered from the archive", c.get("replayed", 0))]
    rows += [(name, c[key]) for key, name in (("refused", "refused: internal addresses"),
                                              ("redirects_out_of_scope", "redirects out of scope (not followed)"),
                                              ("hosts_given_up", "hosts given up after timeouts"),
                                              ("explored", "column pages explored in Chromium"),
                                              ("captures_xhr", "XHR/fetch answers archived"),
                                              ("tls_unverified", "HTTPS hosts whose certificate did not verify"),
                                              ("parse_timeouts", "documents whose parser hung (worker replaced)"))
              if c.get(key)]
    for name, value in rows:
        t.add_row(name, str(value))
    console.print(t)
    engine = make_engine(config.db_url)
    with Session(engine) as s:
        per_site = s.exec(
            select(Site.key, func.count(func.distinct(Report.id)))
            .join(Agency, col(Agency.site_id) == Site.id).join(Report, col(Report.agency_id) == Agency.id)
            .join(ReportVersion, col(ReportVersion.report_id) == Report.id)
            .where(ReportVersion.last_run_id == summary.run_id).group_by(Site.key)
        ).all()
    engine.dispose()
    if per_site:
        st = Table(title="reports seen per site", header_style="bold")
        st.add_column("site")
        st.add_column("reports", justify="right")
        for key, n in per_site:
            st.add_row(key, str(n))
        console.print(st)
    if summary.flags:
        console.print("[bold yellow]possible misses: check these before trusting the counts[/bold yellow]")
        for line in summary.flags:  # one line each, never wrapped: operators grep them
            console.print(f"  ! {line}", soft_wrap=True, markup=False, highlight=False)
    console.print(f"WARC: {', '.join(summary.warc_files) or '-'} in {summary.archive_dir or config.archive_dir}")
    console.print(f"crawl log: {summary.log_path}")
    if summary.scrapy_log:
        console.print(f"Scrapy log (errors, tracebacks): {summary.scrapy_log}")
