"""The database tables (SQLModel). Each field's description is also written as the column comment.

Times are timezone-aware UTC (:class:`storage.coltypes.UTCDateTime`). Tables are not items: the
parser's :class:`crawler.reports.result.ParseResult` is mapped onto report_sources, field_values
and check_results by :mod:`storage.repo`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.coltypes import UTCDateTime, enum_type, utcnow


def doc(text: str, default: Any = ..., **kw: Any) -> Any:
    """A field described once: the text becomes both the model description and the DB comment."""
    if default is ...:
        return Field(description=text, sa_column_kwargs={"comment": text}, **kw)
    return Field(default, description=text, sa_column_kwargs={"comment": text}, **kw)


class Trigger(StrEnum):
    """What started a crawl run."""

    MANUAL = "manual"
    SCHEDULE = "schedule"
    RESUME = "resume"


class Outcome(StrEnum):
    """How a crawl run ended (``running`` while it goes on)."""

    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class RecordType(StrEnum):
    """The WARC record type a capture row points at."""

    RESPONSE = "response"
    REVISIT = "revisit"
    RESOURCE = "resource"


class ReportStatus(StrEnum):
    """What the latest crawl of a report's site found, compared with the crawl before."""

    NEW = "new"
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    GONE = "gone"


class SourceRole(StrEnum):
    """Which part of a report a source document is."""

    HTML_BODY = "html_body"
    ATTACHMENT = "attachment"


class ParseStatus(StrEnum):
    """What the parser made of a source document."""

    PARSED = "parsed"
    NO_TABLE = "no_table"
    FAILED = "failed"
    SKIPPED = "skipped"


class CellSource(StrEnum):
    """Where a stored cell value comes from (see ParseResult.sources)."""

    PUBLISHED = "published"
    SPLIT = "split"
    STATED = "stated"
    REPAIRED = "repaired"


class FieldKind(StrEnum):
    """A canonical template field, or a row of a pre-2019 统计指标 table."""

    FIELD = "field"
    LEGACY = "legacy"


class CrossCheckStatus(StrEnum):
    """What a cross-year check found (fail: the numbers contradict; flag: worth a look)."""

    PASS = "pass"
    FAIL = "fail"
    FLAG = "flag"


class FrontierState(StrEnum):
    """Where a request of the crawl frontier stands."""

    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    FAILED = "failed"


class Site(SQLModel, table=True):
    """A government portal the crawler knows (an entry of sites.toml, or a bare URL)."""

    __tablename__ = "sites"
    id: int | None = doc("Surrogate key.", None, primary_key=True)
    key: str = doc("Registry key (sites.toml) or the host of a bare URL; unique.", unique=True)
    name: str = doc("Portal name as shown to people, e.g. 北京市人民政府.")
    base_url: str = doc("The portal's home page address the crawl starts from.")
    created_at: datetime = doc("When the site was first stored.", default_factory=utcnow, sa_type=UTCDateTime)


class Agency(SQLModel, table=True):
    """A publishing agency (机关) found on a site; reports belong to agencies."""

    __tablename__ = "agencies"
    __table_args__ = (sa.UniqueConstraint("site_id", "normalized_name", name="uq_agencies_site_name"),)
    id: int | None = doc("Surrogate key.", None, primary_key=True)
    site_id: int = doc("The site the agency publishes on.", foreign_key="sites.id", index=True)
    name: str = doc("Agency name as first printed, e.g. 北京市朝阳区人民政府办公室.")
    normalized_name: str = doc("Name with spaces, brackets and punctuation variants folded; unique per site.")


class CrawlRun(SQLModel, table=True):
    """One crawl of one or more sites (a resumed crawl continues its own row)."""

    __tablename__ = "crawl_runs"
    id: int | None = doc("Run number; also names the WARC file series.", None, primary_key=True)
    trigger: Trigger = doc("manual, schedule or resume.", sa_type=enum_type(Trigger, "run_trigger"))
    outcome: Outcome = doc(
        "running, ok, failed or interrupted.",
        Outcome.RUNNING,
        sa_type=enum_type(Outcome, "run_outcome"),
        index=True,
    )
    started_at: datetime = doc("When the run started.", default_factory=utcnow, sa_type=UTCDateTime)
    ended_at: datetime | None = doc("When the run ended; empty while running.", None, sa_type=UTCDateTime)
    heartbeat_at: datetime | None = doc(
        "Last sign of life of the crawl process; a stale one means the run was killed.",
        None,
        sa_type=UTCDateTime,
    )
    resume_count: int = doc("How many times the run was resumed after an interruption.", 0)
    cookie_jar: list[dict[str, Any]] | None = doc(
        "Cookies the crawl holds (from Set-Cookie and from passed anti-bot challenges), saved with "
        "its commits so that a resumed run presents them again.",
        None,
        sa_type=sa.JSON,
    )
    settings: dict[str, Any] = doc("Validated crawl settings as JSON.", default_factory=dict, sa_type=sa.JSON)
    operator: str | None = doc("Who or what launched the run (user, scheduler job id).", None)
    software_version: str = doc("nianbao version that ran the crawl.")
    hostname: str | None = doc("Machine the crawl ran on.", None)
    pid: int | None = doc("Process id of the crawl process while it runs.", None)
    counts: dict[str, Any] = doc(
        ("Figures of the run: pages the spider handled, captures, reports by status, errors; saved with "
        "every commit, and carried on by a resumed run."), default_factory=dict, sa_type=sa.JSON
    )
    as_of: datetime | None = doc(
        "The date the crawl pretended to run at (site-farm time travel); empty for real crawls.",
        None,
        sa_type=UTCDateTime,
    )
    note: str | None = doc("Free text: why the run failed or was started.", None)


class CrawlRunSite(SQLModel, table=True):
    """Which sites a crawl run covered (needed to decide which reports are gone)."""

    __tablename__ = "crawl_run_sites"
    run_id: int = doc("The crawl run.", foreign_key="crawl_runs.id", primary_key=True)
    site_id: int = doc("A site it crawled.", foreign_key="sites.id", primary_key=True)
    reports: int | None = doc("Reports the run found on the site; empty while it runs.", None)
    problem: str | None = doc(
        "Why the site yielded no report, in one line (unreachable, blocked, no disclosure section, "
        "no annual-report column, columns empty); empty when it yielded reports.",
        None,
    )


class CrawlRunColumn(SQLModel, table=True):
    """Completeness evidence of one annual-report column in one run: what its list states about
    its size against what the crawl found; a column that may be short says why."""

    __tablename__ = "crawl_run_columns"
    id: int | None = doc("Surrogate key.", None, primary_key=True)
    run_id: int = doc("The crawl run.", foreign_key="crawl_runs.id", index=True)
    site_id: int | None = doc("The site the column is on.", None, foreign_key="sites.id")
    column_url: str = doc("URL of the column page (the list's first page).")
    family: str | None = doc("List protocol recognised on it (trs-static, hanweb-jpage, gkmlpt …).", None)
    stated_items: int | None = doc("Records the list says it holds (recordCount, totalRecord, 共N条 …).", None)
    stated_pages: int | None = doc("Pages the list says it has (countPage, 共N页 …).", None)
    stated_evidence: str | None = doc("The text the statement was read from.", None)
    found_items: int = doc("Distinct records the crawl found listed in the column (all its pages).", 0)
    pages_fetched: int = doc("List pages and API answers of the column read.", 0)
    pages_failed: int = doc("List pages of the column that could not be fetched.", 0)
    failed_pages: list[str] = doc("URLs of the failed list pages (first 50).", default_factory=list, sa_type=sa.JSON)
    bounds_hit: list[str] = doc("Crawl bounds hit in the column (page caps, click budgets …).",
                                default_factory=list, sa_type=sa.JSON)
    status: str = doc("complete (found what it states), unstated (states nothing) or short (may be short).")
    reason: str | None = doc("Why the column may be short, in one line.", None)
    items: list[str] = doc("URLs of the records found (what a resumed run carries on from).",
                           default_factory=list, sa_type=sa.JSON)


class Capture(SQLModel, table=True):
    """One archived WARC record: a fetched response, a revisit of one, or a rendered DOM."""

    __tablename__ = "captures"
    __table_args__ = (
        sa.UniqueConstraint("warc_filename", "warc_offset", name="uq_captures_warc_position"),
        sa.Index("ix_captures_url_fetched", "url", "fetched_at"),
    )
    id: int | None = doc("Surrogate key.", None, primary_key=True)
    run_id: int = doc("The crawl run that made the capture.", foreign_key="crawl_runs.id", index=True)
    url: str = doc("Requested URL (after redirects, the URL of this very response).")
    method: str = doc("HTTP method, GET or POST.", "GET")
    fetched_at: datetime = doc("When the response arrived (the record's WARC-Date).", sa_type=UTCDateTime)
    status: int | None = doc("HTTP status code; empty for a rendered DOM record.", None)
    content_type: str | None = doc("Content-Type header as served.", None)
    payload_digest: str | None = doc(
        "sha256:<base32> of the HTTP payload (as in WARC-Payload-Digest).", None, index=True
    )
    size: int | None = doc("Payload size in bytes.", None, sa_type=sa.BigInteger)
    warc_filename: str = doc("WARC file name (in the archive folder) holding the record.")
    warc_offset: int = doc("Byte offset of the record's gzip member in the WARC file.", sa_type=sa.BigInteger)
    warc_length: int = doc("Compressed length of the record's gzip member.", sa_type=sa.BigInteger)
    warc_record_id: str = doc("WARC-Record-ID, e.g. <urn:uuid:…>.", unique=True)
    record_type: RecordType = doc(
        "response, revisit or resource (rendered DOM).", sa_type=enum_type(RecordType, "capture_record_type")
    )
    refers_to_capture_id: int | None = doc(
        "For a revisit, the capture holding the payload; for a rendered DOM, the response it renders.",
        None,
        foreign_key="captures.id",
    )
    rendered: bool = doc("True when the page went through the browser.", False)
    discovered_from: str | None = doc("URL of the page whose link led here; empty for seeds.", None)
    discovery_path: str | None = doc(
        "Hop codes from the seed (H home, D disclosure, S department, C column, P pager, X datastore, "
        "J JSON API, R report, A attachment, L other), then ~how the last link was found when it was "
        "not an <a href> (~iframe, ~form-post, ~onclick, ~viewer, ~script-list…).", None
    )
    etag: str | None = doc("ETag response header, for conditional re-crawls.", None)
    last_modified: str | None = doc("Last-Modified response header, for conditional re-crawls.", None)
    request_key: str | None = doc(
        "Fingerprint of the crawl-frontier request this capture answered (redirects, retries and "
        "renders of one request share it); a resumed run replays these instead of fetching again.",
        None,
    )


class Report(SQLModel, table=True):
    """An annual report: one agency, one year, whatever URL it is published under."""

    __tablename__ = "reports"
    __table_args__ = (
        sa.UniqueConstraint("agency_id", "year", "variant", name="uq_reports_agency_year_variant"),
    )
    id: int | None = doc("Surrogate key.", None, primary_key=True)
    agency_id: int = doc("Publishing agency.", foreign_key="agencies.id", index=True)
    year: int = doc("The year the report covers.", index=True)
    variant: str = doc("Empty for the agency's report of the year; set when one agency has several.", "")
    identity: str = doc(
        "Canonical identity <site key>/<normalised agency>/<year>[/<variant>]; unique.", unique=True
    )
    first_seen: datetime = doc("First time any crawl found the report.", sa_type=UTCDateTime)
    last_seen: datetime = doc("Last time a crawl found the report.", sa_type=UTCDateTime)
    status: ReportStatus = doc(
        "new, unchanged, changed or gone, as set by the latest crawl of its site.",
        sa_type=enum_type(ReportStatus, "report_status"),
        index=True,
    )
    status_run_id: int = doc("The crawl run that set the status.", foreign_key="crawl_runs.id", index=True)
    latest_version: int = doc("Number of the newest version.", 1)


class ReportVersion(SQLModel, table=True):
    """One distinct set of values a report was seen with, and when and where it was seen."""

    __tablename__ = "report_versions"
    __table_args__ = (sa.UniqueConstraint("report_id", "number", name="uq_report_versions_number"),)
    id: int | None = doc("Surrogate key.", None, primary_key=True)
    report_id: int = doc("The report.", foreign_key="reports.id", index=True)
    number: int = doc("1 for the first version seen, then 2, 3 … in order of first sighting.")
    values_digest: str = doc("sha256 hex of the canonical JSON of the values; equal digests = same version.")
    values: dict[str, Any] = doc(
        "The report's values in this version (field key → number, text or null).",
        default_factory=dict,
        sa_type=sa.JSON,
    )
    first_seen: datetime = doc("First crawl time this version was seen.", sa_type=UTCDateTime)
    last_seen: datetime = doc("Last crawl time this version was seen.", sa_type=UTCDateTime)
    first_run_id: int = doc("Run that first saw this version.", foreign_key="crawl_runs.id")
    last_run_id: int = doc("Run that last saw this version.", foreign_key="crawl_runs.id")
    first_capture_id: int | None = doc("Capture proving the first sighting.", None, foreign_key="captures.id")
    last_capture_id: int | None = doc("Capture proving the last sighting.", None, foreign_key="captures.id")


class ReportSource(SQLModel, table=True):
    """A document of a report version (its HTML body or an attachment) and what parsing it gave."""

    __tablename__ = "report_sources"
    __table_args__ = (sa.UniqueConstraint("version_id", "capture_id", name="uq_report_sources_capture"),)
    id: int | None = doc("Surrogate key.", None, primary_key=True)
    version_id: int = doc("The report version.", foreign_key="report_versions.id", index=True)
    capture_id: int = doc("The capture holding the document's bytes.", foreign_key="captures.id", index=True)
    role: SourceRole = doc("html_body or attachment.", sa_type=enum_type(SourceRole, "source_role"))
    format: str = doc("Detected format: html, pdf, docx, doc, wps, xls, xlsx, text, image.")
    parse_status: ParseStatus = doc(
        "parsed, no_table (prose only), failed or skipped.", sa_type=enum_type(ParseStatus, "parse_status")
    )
    parse_error: str | None = doc("One-line reason when parsing failed or was skipped.", None)
    template: str | None = doc("Table template found: 2019, 2021, legacy, or empty.", None)
    title: str | None = doc("Title as printed in the document.", None)
    year: int | None = doc("Report year read from the document.", None)
    agency_printed: str | None = doc("Agency name as printed in the document.", None)
    consistent: bool | None = doc("True when every 勾稽 check passed; empty when nothing was checked.", None)
    warnings: list[str] = doc("Parser warnings.", default_factory=list, sa_type=sa.JSON)
    supplies_values: bool = doc("True for the one source the version's values come from.", False)
    value_reason: str | None = doc(
        "Why this source does or does not supply the values, e.g. 'attachment passes all checks'.", None
    )


class FieldValue(SQLModel, table=True):
    """One cell read from a source: a template field or a legacy 统计指标 row."""

    __tablename__ = "field_values"
    __table_args__ = (sa.UniqueConstraint("source_id", "kind", "key", name="uq_field_values_key"),)
    id: int | None = doc("Surrogate key.", None, primary_key=True)
    source_id: int = doc("The report source.", foreign_key="report_sources.id", index=True)
    kind: FieldKind = doc(
        "field (fields.tsv key) or legacy (统计指标 label).", sa_type=enum_type(FieldKind, "field_kind")
    )
    key: str = doc("fields.tsv key, or the legacy row label.", index=True)
    value_num: float | None = doc("The value when it is a number; empty when blank or unreadable.", None)
    value_text: str | None = doc("The value when it is text.", None)
    cell_source: CellSource | None = doc(
        "published, split, stated or repaired; empty for blank cells.",
        None,
        sa_type=enum_type(CellSource, "cell_source"),
    )
    unit: str | None = doc("Unit printed beside a legacy row (条, 件, 万元 …).", None)


class CheckResult(SQLModel, table=True):
    """One 勾稽 rule evaluated on a source's values."""

    __tablename__ = "check_results"
    id: int | None = doc("Surrogate key.", None, primary_key=True)
    source_id: int = doc("The report source.", foreign_key="report_sources.id", index=True)
    rule: str = doc("Rule id R1–R4 (see ParseResult.Check).")
    scope: str = doc("Row, column or group the rule was applied to.")
    ok: bool = doc("True when both sides are equal.", index=True)
    left_value: float = doc("The published total side.")
    right_value: float = doc("The sum of the parts.")
    cells: list[str] = doc("Keys of every cell involved, total first.", default_factory=list, sa_type=sa.JSON)


class CrossYearCheck(SQLModel, table=True):
    """One check across two years of an agency's reports (X1–X3), on their latest versions."""

    __tablename__ = "cross_year_checks"
    __table_args__ = (sa.Index("ix_cross_year_checks_agency_year", "agency_id", "year"),)
    id: int | None = doc("Surrogate key.", None, primary_key=True)
    agency_id: int = doc("The agency (one site's agency: same site, same normalised name).", foreign_key="agencies.id")
    variant: str = doc("The reports' variant (empty for the agency's report of the year).", "")
    year: int = doc("The later year: the report whose numbers are checked.", index=True)
    previous_year: int = doc("The earlier year compared with (year − 1; for X3 the nearest earlier report).")
    report_id: int = doc("The later year's report.", foreign_key="reports.id", index=True)
    previous_report_id: int = doc("The earlier year's report.", foreign_key="reports.id")
    version_id: int = doc("The later report's version checked (its latest).", foreign_key="report_versions.id")
    previous_version_id: int = doc("The earlier report's version checked (its latest).",
                                   foreign_key="report_versions.id")
    rule: str = doc("Check id: X1 carried over, X2 documents in force, X3 template sequence.")
    scope: str = doc("Column, row or subject checked, e.g. requests.*.total, active.regulations, template.")
    status: CrossCheckStatus = doc(
        "pass, fail or flag.", sa_type=enum_type(CrossCheckStatus, "cross_check_status"), index=True
    )
    actual: float | None = doc("The later year's published number; empty for X3.", None)
    expected: float | None = doc("What the earlier year's numbers make it; empty for X3.", None)
    numbers: list[dict[str, Any]] = doc(
        "Every number involved: [{year, key, value}].", default_factory=list, sa_type=sa.JSON
    )
    note: str = doc("The check in one line, in words, e.g. 2024 上年结转 3 ≠ 2023 结转下年度继续办理 5.")
    computed_at: datetime = doc("When the check was computed.", default_factory=utcnow, sa_type=UTCDateTime)


class FrontierEntry(SQLModel, table=True):
    """A request the crawl has to make, made, or gave up on: the crash-safe crawl frontier."""

    __tablename__ = "crawl_frontier"
    __table_args__ = (
        sa.UniqueConstraint("run_id", "fingerprint", name="uq_crawl_frontier_fingerprint"),
        sa.Index("ix_crawl_frontier_claim", "run_id", "state", "priority"),
    )
    id: int | None = doc("Surrogate key; also the FIFO order among equal priorities.", None, primary_key=True)
    run_id: int = doc("The crawl run.", foreign_key="crawl_runs.id")
    fingerprint: str = doc(
        "Request fingerprint (hex; Scrapy's for crawls, sha1 of method, canonical URL and body "
        "otherwise); unique per run."
    )
    url: str = doc("URL to fetch.")
    method: str = doc("HTTP method.", "GET")
    body: bytes | None = doc("Request body (dataproxy/JSON POSTs).", None, sa_type=sa.LargeBinary)
    priority: int = doc("Higher is fetched first.", 0)
    depth: int = doc("Hops from the seed.", 0)
    state: FrontierState = doc(
        "pending, in_progress, done or failed.",
        FrontierState.PENDING,
        sa_type=enum_type(FrontierState, "frontier_state"),
    )
    discovered_from: str | None = doc("URL of the page that linked here.", None)
    meta: dict[str, Any] = doc(
        "JSON-safe request meta the spider needs to resume (discovery path, role, render hint…).",
        default_factory=dict,
        sa_type=sa.JSON,
    )
    attempts: int = doc("How many times the request was claimed.", 0)
    lease_owner: str | None = doc("Process that claimed it (host:pid).", None)
    leased_at: datetime | None = doc("When it was claimed.", None, sa_type=UTCDateTime)
    last_error: str | None = doc("Why the last attempt failed.", None)
    created_at: datetime = doc("When it was queued.", default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = doc("Last state change.", default_factory=utcnow, sa_type=UTCDateTime)


class HeldDocument(SQLModel, table=True):
    """A report document captured but not yet stored with its report (waiting for the report's
    other documents); a resumed run reads it back from the WARC and carries on."""

    __tablename__ = "crawl_held_documents"
    __table_args__ = (sa.Index("ix_crawl_held_documents_report", "run_id", "report_url"),)
    id: int | None = doc("Surrogate key; also the order the documents arrived in.", None, primary_key=True)
    run_id: int = doc("The crawl run.", foreign_key="crawl_runs.id")
    report_url: str = doc("URL of the report's page: the documents of one report share it.")
    url: str = doc("URL the document was fetched from.")
    document: dict[str, Any] = doc(
        "The document's provenance without its bytes (role, capture record id, titles, attachment "
        "list, error); the bytes are read back from the WARC record.",
        default_factory=dict,
        sa_type=sa.JSON,
    )


TABLES = [
    m.__table__  # type: ignore[union-attr]
    for m in (
        Site,
        Agency,
        CrawlRun,
        CrawlRunSite,
        CrawlRunColumn,
        Capture,
        Report,
        ReportVersion,
        ReportSource,
        FieldValue,
        CheckResult,
        CrossYearCheck,
        FrontierEntry,
        HeldDocument,
    )
]
"""Every nianbao table in dependency order (the database may also hold APScheduler's)."""
