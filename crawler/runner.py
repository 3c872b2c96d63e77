"""Run one crawl in this process: open the store and the archive, run Scrapy, close the run.

Twisted's reactor cannot be restarted, so one process runs one crawl; the scheduler and the
demo launch crawls as subprocesses (conventions §16).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from scrapy.crawler import CrawlerProcess
from sqlmodel import Session, col

from crawler import __version__
from crawler.config import CrawlConfig, mask_password
from crawler.context import CrawlContext, Target
from crawler.crawllog import CrawlLog
from crawler.resume import ResumeError, recorded_targets, resumable, resumed_config, targets_of
from crawler.settings import scrapy_settings
from storage.db import create_all, make_engine
from storage.models import CrawlRun, Outcome, Trigger
from storage.recovery import prepare_resume
from storage.repo import finish_run, get_or_create_site, mark_gone, start_run
from storage.warc import WarcWriter

#: Exit codes of ``nianbao crawl`` (documented in the README and --help).
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_PARTIAL, EXIT_INCOMPLETE = 0, 1, 2, 3, 4, 5


@dataclass
class RunSummary:
    """What a crawl run did, for the closing table and the exit code."""

    run_id: int
    outcome: str
    counts: dict[str, int] = field(default_factory=dict)
    warc_files: list[str] = field(default_factory=list)
    log_path: Path | None = None
    archive_dir: Path | None = None
    """The run's archive folder (a resumed run keeps its own)."""
    flags: list[str] = field(default_factory=list)
    """Possible misses, one line each: columns that may be short, portals that yielded nothing,
    bounds the run hit (see :mod:`crawler.completeness`)."""
    scrapy_log: Path | None = None
    """Scrapy's own log of the run (tracebacks go there, not to the terminal)."""

    @property
    def exit_code(self) -> int:
        if self.outcome == Outcome.INTERRUPTED.value:
            return EXIT_INTERRUPTED
        if self.outcome == Outcome.FAILED.value:
            return EXIT_FAILED
        if self.flags:
            return EXIT_INCOMPLETE
        return EXIT_PARTIAL if self.counts.get("errors") else EXIT_OK


class _RunFigures:
    """The run's figures (``crawl_runs.counts``) across all its processes: this process's counts
    on top of what the processes before it committed, saved with every commit so they match the
    rows committed with them (a killed process's figures survive up to its last commit)."""

    def __init__(self, ctx: CrawlContext, before: dict[str, Any] | None) -> None:
        self.ctx = ctx
        ctx.counts.update({k: v for k, v in (before or {}).items() if isinstance(v, int) and k != "reports_gone"})

    def save(self, session: Session) -> None:
        session.execute(sa.update(CrawlRun).where(col(CrawlRun.id) == self.ctx.run_id).values(counts=dict(self.ctx.counts)))


def _freeze_startup_objects() -> None:
    """Move the objects made at start-up (modules, settings, the parser tables) out of the
    cyclic garbage collector's sight: they live as long as the crawl, and each full collection
    would otherwise walk them all again (gc.freeze, as long-running servers do)."""
    gc.collect()
    gc.freeze()


def run_crawl(config: CrawlConfig, targets: list[Target], *, trigger: Trigger | None = None,
              as_of: datetime | None = None, progress: bool = False, resume: int | bool | None = None) -> RunSummary:
    """Crawl ``targets`` into the store and archive of ``config``; blocks until done.

    With ``resume`` (a run id, or True for the newest interrupted run) the interrupted run is
    carried on instead: its portals and crawl-shaping settings come from the run, its WARC files
    are cut back to what the database committed, and its frontier says what is left to fetch.
    Raises :class:`crawler.resume.ResumeError` when the run cannot be resumed.
    """
    from spiders.reports import ReportsSpider

    engine = make_engine(config.db_url)
    create_all(engine)
    session = Session(engine)
    if resume is None or resume is False:
        sites = {t.key: get_or_create_site(session, t.key, t.name, t.start_urls[0]) for t in targets}
        run = start_run(session, sites.values(), trigger=trigger or Trigger(config.trigger),
                        settings=_public(config, targets), operator=config.operator or None,
                        software_version=__version__, as_of=as_of)
    else:
        try:
            run = resumable(session, None if resume is True else int(resume))
            config = resumed_config(config, run)
            targets = targets_of(run)
        except ResumeError:
            session.close()
            engine.dispose()
            raise
        assert run.id is not None
        prepare_resume(session, run.id, config.archive_dir)
        sites = {t.key: get_or_create_site(session, t.key, t.name, t.start_urls[0]) for t in targets}
    session.commit()
    assert run.id is not None
    run_id = run.id
    writer = WarcWriter(config.archive_dir, run.id, settings=_public(config), operator=config.operator or None,
                        software=f"nianbao/{__version__}", compress_level=config.warc_compress_level)
    log = CrawlLog(config.log_dir, run.id)
    ctx = CrawlContext(config, run.id, session, writer, log, tuple(targets),
                       {k: s.id for k, s in sites.items() if s.id is not None}, resuming=bool(resume))
    settings = scrapy_settings(config)
    scrapy_log = config.log_dir / f"crawl-{run_id}.scrapy.log"
    settings.update({"LOG_FILE": str(scrapy_log), "LOG_FILE_APPEND": True, "LOG_LEVEL": "INFO"})
    if resume:
        _carry_on_columns(ctx, session)
    if progress:
        settings["EXTENSIONS"]["crawler.progress.ProgressExtension"] = 500
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ReportsSpider)
    ctx.on_commit.append(_RunFigures(ctx, run.counts if resume else {}).save)
    ctx.on_commit.append(_ColumnSaver(ctx).save)
    process.crawl(crawler, ctx=ctx)
    _freeze_startup_objects()
    process.start()  # Scrapy's own SIGINT/SIGTERM handlers stop the crawl gracefully
    reason = (crawler.stats.get_value("finish_reason") if crawler.stats else None) or "finished"
    counts = dict(ctx.counts)
    counts.setdefault("pages", 0)
    if reason == "shutdown":
        outcome = Outcome.INTERRUPTED
    elif reason in ("finished", "closespider_pagecount"):
        outcome = Outcome.OK
    else:
        outcome = Outcome.FAILED
    flags = _close_evidence(ctx, session, reason, config) if outcome is Outcome.OK else []
    if outcome is Outcome.OK and reason == "finished" and not config.max_pages:
        gone = mark_gone(session, run.id, years=config.years or None)
        counts["reports_gone"] = len(gone)
    counts["columns_short"] = sum(1 for f in flags if " may be short: " in f)
    counts["portals_empty"] = sum(1 for f in flags if ": no reports: " in f)
    finish_run(session, run, outcome, counts=counts, note=None if reason == "finished" else f"finish reason: {reason}")
    session.commit()
    _cross_year(ctx, session)
    writer.close()
    log.close()
    session.close()
    engine.dispose()
    files = sorted(p.name for p in Path(config.archive_dir).glob(f"*-{run_id}-*.warc.gz"))
    return RunSummary(run_id, outcome.value, counts, files, log.path, Path(config.archive_dir), flags, scrapy_log)


class _ColumnSaver:
    """Saves the column tallies with each commit (only when a list page changed them)."""

    def __init__(self, ctx: CrawlContext) -> None:
        self.ctx = ctx
        self._last: int = -1

    def save(self, session: Session) -> None:
        from storage.columns import save_columns

        seen = sum(t.pages_fetched + len(t.pages_failed) + len(t.bounds) for t in self.ctx.completeness.columns.values())
        if seen != self._last:
            save_columns(session, self.ctx.run_id, _column_rows(self.ctx))
            self._last = seen


def _column_rows(ctx: CrawlContext) -> list[dict[str, Any]]:
    return [{**t.as_row(), "site_id": ctx.site_ids.get(t.site)} for t in ctx.completeness.columns.values()]


def _carry_on_columns(ctx: CrawlContext, session: Session) -> None:
    """A resumed run carries on the column tallies its earlier processes committed."""
    from crawler.completeness import ColumnTally
    from storage.columns import load_columns

    for site, row in load_columns(session, ctx.run_id):
        ctx.completeness.columns[row["column_url"]] = ColumnTally.from_row(site, row)


def _close_evidence(ctx: CrawlContext, session: Session, reason: str, config: CrawlConfig) -> list[str]:
    """Store and log the run's completeness evidence; the possible misses, one line each."""
    from storage.columns import save_columns, save_site_outcome

    reports = _reports_by_site(session, ctx.run_id)
    for target in ctx.targets:
        ctx.completeness.portal(target.key)
    flags = ctx.completeness.flags(reports)
    if reason == "closespider_pagecount":
        flags.append(f"the run stopped at --max-pages {config.max_pages}: columns past it were not read")
    save_columns(session, ctx.run_id, _column_rows(ctx))
    items_by_site: dict[str, int] = {}
    for tally in ctx.completeness.columns.values():
        items_by_site[tally.site] = items_by_site.get(tally.site, 0) + tally.found
        status, why = tally.verdict()
        ctx.log.write("column", tally.url, status=status, reason=why, stated_items=tally.stated_items,
                      stated_pages=tally.stated_pages, found=tally.found, pages=tally.pages_fetched,
                      failed=len(tally.pages_failed) or None, family=tally.family, site=tally.site)
    for key, portal in ctx.completeness.portals.items():
        site_id = ctx.site_ids.get(key)
        problem = portal.reason(reports.get(key, 0), items_by_site.get(key, 0))
        if problem:
            home = next((t.start_urls[0] for t in ctx.targets if t.key == key), key)
            ctx.log.write("portal", home, status="no reports", reason=problem, site=key)
        if site_id is not None:
            save_site_outcome(session, ctx.run_id, site_id, reports.get(key, 0), problem)
    return flags


def _cross_year(ctx: CrawlContext, session: Session) -> None:
    """Recompute the cross-year checks of the crawled sites' agencies, in a commit of their own
    after the run's: a store error here is logged and never undoes the crawl."""
    from storage.crosscheck import recompute

    try:
        written = recompute(session, site_ids=list(ctx.site_ids.values()))
        session.commit()
    except sa.exc.SQLAlchemyError as e:
        session.rollback()
        ctx.log.write("cross_year", "", status="failed", reason=str(e).splitlines()[0])
        return
    ctx.log.write("cross_year", "", status="done", checks=written)


def _reports_by_site(session: Session, run_id: int) -> dict[str, int]:
    from sqlmodel import func, select

    from storage.models import Agency, Report, ReportVersion, Site

    rows = session.exec(
        select(Site.key, func.count(func.distinct(Report.id)))
        .join(Agency, col(Agency.site_id) == Site.id).join(Report, col(Report.agency_id) == Agency.id)
        .join(ReportVersion, col(ReportVersion.report_id) == Report.id)
        .where(ReportVersion.last_run_id == run_id).group_by(Site.key)
    ).all()
    return {key: int(n) for key, n in rows}


def _public(config: CrawlConfig, targets: list[Target] | None = None) -> dict[str, object]:
    """Settings worth recording with the run (no secrets: the DB password is masked), and the
    portals it crawls (what a resume needs)."""
    from dataclasses import asdict

    out: dict[str, object] = {}
    for k, v in asdict(config).items():
        if k == "db_url" and "@" in str(v):
            scheme, rest = str(v).split("://", 1)
            v = f"{scheme}://***@{rest.split('@', 1)[1]}"
        if k == "proxy":
            v = mask_password(str(v))
        out[k] = sorted(v) if isinstance(v, frozenset) else (str(v.resolve()) if isinstance(v, Path) else v)
    if targets is not None:
        out["targets"] = recorded_targets(targets)
    return out
