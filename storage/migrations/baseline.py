"""The schema of the baseline revision (0001), frozen: the tables as they stood when migrations
began, written out in plain SQLAlchemy (generated once from the models by autogenerate).

Never edit it: later changes are revisions of their own. It is a :class:`~sqlalchemy.MetaData`
rather than ``op.create_table`` calls so that the same definition serves twice — the baseline
revision creates it, and :mod:`storage.migrations.adopt` brings an unversioned older store to it
(missing tables, missing nullable columns, narrower enum checks) before stamping it.
"""

from __future__ import annotations

import sqlalchemy as sa


def baseline_metadata() -> sa.MetaData:
    """A new MetaData holding the baseline's tables."""
    metadata = sa.MetaData()
    _define(metadata)
    return metadata


def _define(metadata: sa.MetaData) -> None:
    sa.Table(
        "crawl_runs",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False, comment="Run number; also names the WARC file series."),
        sa.Column(
            "trigger",
            sa.Enum(
                "manual",
                "schedule",
                "resume",
                name="run_trigger",
                native_enum=False,
                create_constraint=True,
                length=12,
            ),
            nullable=False,
            comment="manual, schedule or resume.",
        ),
        sa.Column(
            "outcome",
            sa.Enum(
                "running",
                "ok",
                "failed",
                "interrupted",
                name="run_outcome",
                native_enum=False,
                create_constraint=True,
                length=15,
            ),
            nullable=False,
            comment="running, ok, failed or interrupted.",
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False, comment="When the run started."),
        sa.Column(
            "ended_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="When the run ended; empty while running.",
        ),
        sa.Column(
            "heartbeat_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="Last sign of life of the crawl process; a stale one means the run was killed.",
        ),
        sa.Column(
            "resume_count",
            sa.Integer(),
            nullable=False,
            comment="How many times the run was resumed after an interruption.",
        ),
        sa.Column(
            "cookie_jar",
            sa.JSON(),
            nullable=True,
            comment="Cookies the crawl holds (from Set-Cookie and from passed anti-bot challenges), saved with its commits so that a resumed run presents them again.",
        ),
        sa.Column("settings", sa.JSON(), nullable=False, comment="Validated crawl settings as JSON."),
        sa.Column(
            "operator",
            sa.String(),
            nullable=True,
            comment="Who or what launched the run (user, scheduler job id).",
        ),
        sa.Column(
            "software_version", sa.String(), nullable=False, comment="nianbao version that ran the crawl."
        ),
        sa.Column("hostname", sa.String(), nullable=True, comment="Machine the crawl ran on."),
        sa.Column(
            "pid", sa.Integer(), nullable=True, comment="Process id of the crawl process while it runs."
        ),
        sa.Column(
            "counts",
            sa.JSON(),
            nullable=False,
            comment="Figures of the run: pages the spider handled, captures, reports by status, errors; saved with every commit, and carried on by a resumed run.",
        ),
        sa.Column(
            "as_of",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="The date the crawl pretended to run at (site-farm time travel); empty for real crawls.",
        ),
        sa.Column(
            "note", sa.String(), nullable=True, comment="Free text: why the run failed or was started."
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_crawl_runs_outcome", "outcome"),
    )
    sa.Table(
        "sites",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column(
            "key",
            sa.String(),
            nullable=False,
            comment="Registry key (sites.toml) or the host of a bare URL; unique.",
        ),
        sa.Column(
            "name",
            sa.String(),
            nullable=False,
            comment="Portal name as shown to people, e.g. 北京市人民政府.",
        ),
        sa.Column(
            "base_url",
            sa.String(),
            nullable=False,
            comment="The portal's home page address the crawl starts from.",
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When the site was first stored.",
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    sa.Table(
        "agencies",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("site_id", sa.Integer(), nullable=False, comment="The site the agency publishes on."),
        sa.Column(
            "name",
            sa.String(),
            nullable=False,
            comment="Agency name as first printed, e.g. 北京市朝阳区人民政府办公室.",
        ),
        sa.Column(
            "normalized_name",
            sa.String(),
            nullable=False,
            comment="Name with spaces, brackets and punctuation variants folded; unique per site.",
        ),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("site_id", "normalized_name", name="uq_agencies_site_name"),
        sa.Index("ix_agencies_site_id", "site_id"),
    )
    sa.Table(
        "captures",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("run_id", sa.Integer(), nullable=False, comment="The crawl run that made the capture."),
        sa.Column(
            "url",
            sa.String(),
            nullable=False,
            comment="Requested URL (after redirects, the URL of this very response).",
        ),
        sa.Column("method", sa.String(), nullable=False, comment="HTTP method, GET or POST."),
        sa.Column(
            "fetched_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When the response arrived (the record's WARC-Date).",
        ),
        sa.Column(
            "status",
            sa.Integer(),
            nullable=True,
            comment="HTTP status code; empty for a rendered DOM record.",
        ),
        sa.Column("content_type", sa.String(), nullable=True, comment="Content-Type header as served."),
        sa.Column(
            "payload_digest",
            sa.String(),
            nullable=True,
            comment="sha256:<base32> of the HTTP payload (as in WARC-Payload-Digest).",
        ),
        sa.Column("size", sa.BigInteger(), nullable=True, comment="Payload size in bytes."),
        sa.Column(
            "warc_filename",
            sa.String(),
            nullable=False,
            comment="WARC file name (in the archive folder) holding the record.",
        ),
        sa.Column(
            "warc_offset",
            sa.BigInteger(),
            nullable=False,
            comment="Byte offset of the record's gzip member in the WARC file.",
        ),
        sa.Column(
            "warc_length",
            sa.BigInteger(),
            nullable=False,
            comment="Compressed length of the record's gzip member.",
        ),
        sa.Column(
            "warc_record_id", sa.String(), nullable=False, comment="WARC-Record-ID, e.g. <urn:uuid:…>."
        ),
        sa.Column(
            "record_type",
            sa.Enum(
                "response",
                "revisit",
                "resource",
                name="capture_record_type",
                native_enum=False,
                create_constraint=True,
                length=12,
            ),
            nullable=False,
            comment="response, revisit or resource (rendered DOM).",
        ),
        sa.Column(
            "refers_to_capture_id",
            sa.Integer(),
            nullable=True,
            comment="For a revisit, the capture holding the payload; for a rendered DOM, the response it renders.",
        ),
        sa.Column(
            "rendered", sa.Boolean(), nullable=False, comment="True when the page went through the browser."
        ),
        sa.Column(
            "discovered_from",
            sa.String(),
            nullable=True,
            comment="URL of the page whose link led here; empty for seeds.",
        ),
        sa.Column(
            "discovery_path",
            sa.String(),
            nullable=True,
            comment="Hop codes from the seed (H home, D disclosure, S department, C column, P pager, X datastore, J JSON API, R report, A attachment, L other), then ~how the last link was found when it was not an <a href> (~iframe, ~form-post, ~onclick, ~viewer, ~script-list…).",
        ),
        sa.Column(
            "etag", sa.String(), nullable=True, comment="ETag response header, for conditional re-crawls."
        ),
        sa.Column(
            "last_modified",
            sa.String(),
            nullable=True,
            comment="Last-Modified response header, for conditional re-crawls.",
        ),
        sa.Column(
            "request_key",
            sa.String(),
            nullable=True,
            comment="Fingerprint of the crawl-frontier request this capture answered (redirects, retries and renders of one request share it); a resumed run replays these instead of fetching again.",
        ),
        sa.ForeignKeyConstraint(["refers_to_capture_id"], ["captures.id"]),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_runs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("warc_filename", "warc_offset", name="uq_captures_warc_position"),
        sa.UniqueConstraint("warc_record_id"),
        sa.Index("ix_captures_payload_digest", "payload_digest"),
        sa.Index("ix_captures_run_id", "run_id"),
        sa.Index("ix_captures_url_fetched", "url", "fetched_at"),
    )
    sa.Table(
        "crawl_frontier",
        metadata,
        sa.Column(
            "id",
            sa.Integer(),
            nullable=False,
            comment="Surrogate key; also the FIFO order among equal priorities.",
        ),
        sa.Column("run_id", sa.Integer(), nullable=False, comment="The crawl run."),
        sa.Column(
            "fingerprint",
            sa.String(),
            nullable=False,
            comment="Request fingerprint (hex; Scrapy's for crawls, sha1 of method, canonical URL and body otherwise); unique per run.",
        ),
        sa.Column("url", sa.String(), nullable=False, comment="URL to fetch."),
        sa.Column("method", sa.String(), nullable=False, comment="HTTP method."),
        sa.Column("body", sa.LargeBinary(), nullable=True, comment="Request body (dataproxy/JSON POSTs)."),
        sa.Column("priority", sa.Integer(), nullable=False, comment="Higher is fetched first."),
        sa.Column("depth", sa.Integer(), nullable=False, comment="Hops from the seed."),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "in_progress",
                "done",
                "failed",
                name="frontier_state",
                native_enum=False,
                create_constraint=True,
                length=15,
            ),
            nullable=False,
            comment="pending, in_progress, done or failed.",
        ),
        sa.Column("discovered_from", sa.String(), nullable=True, comment="URL of the page that linked here."),
        sa.Column(
            "meta",
            sa.JSON(),
            nullable=False,
            comment="JSON-safe request meta the spider needs to resume (discovery path, role, render hint…).",
        ),
        sa.Column(
            "attempts", sa.Integer(), nullable=False, comment="How many times the request was claimed."
        ),
        sa.Column("lease_owner", sa.String(), nullable=True, comment="Process that claimed it (host:pid)."),
        sa.Column("leased_at", sa.DateTime(timezone=True), nullable=True, comment="When it was claimed."),
        sa.Column("last_error", sa.String(), nullable=True, comment="Why the last attempt failed."),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="When it was queued."),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="Last state change."),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_runs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "fingerprint", name="uq_crawl_frontier_fingerprint"),
        sa.Index("ix_crawl_frontier_claim", "run_id", "state", "priority"),
    )
    sa.Table(
        "crawl_held_documents",
        metadata,
        sa.Column(
            "id",
            sa.Integer(),
            nullable=False,
            comment="Surrogate key; also the order the documents arrived in.",
        ),
        sa.Column("run_id", sa.Integer(), nullable=False, comment="The crawl run."),
        sa.Column(
            "report_url",
            sa.String(),
            nullable=False,
            comment="URL of the report's page: the documents of one report share it.",
        ),
        sa.Column("url", sa.String(), nullable=False, comment="URL the document was fetched from."),
        sa.Column(
            "document",
            sa.JSON(),
            nullable=False,
            comment="The document's provenance without its bytes (role, capture record id, titles, attachment list, error); the bytes are read back from the WARC record.",
        ),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_runs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_crawl_held_documents_report", "run_id", "report_url"),
    )
    sa.Table(
        "crawl_run_columns",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("run_id", sa.Integer(), nullable=False, comment="The crawl run."),
        sa.Column("site_id", sa.Integer(), nullable=True, comment="The site the column is on."),
        sa.Column(
            "column_url",
            sa.String(),
            nullable=False,
            comment="URL of the column page (the list's first page).",
        ),
        sa.Column(
            "family",
            sa.String(),
            nullable=True,
            comment="List protocol recognised on it (trs-static, hanweb-jpage, gkmlpt …).",
        ),
        sa.Column(
            "stated_items",
            sa.Integer(),
            nullable=True,
            comment="Records the list says it holds (recordCount, totalRecord, 共N条 …).",
        ),
        sa.Column(
            "stated_pages",
            sa.Integer(),
            nullable=True,
            comment="Pages the list says it has (countPage, 共N页 …).",
        ),
        sa.Column(
            "stated_evidence", sa.String(), nullable=True, comment="The text the statement was read from."
        ),
        sa.Column(
            "found_items",
            sa.Integer(),
            nullable=False,
            comment="Distinct records the crawl found listed in the column (all its pages).",
        ),
        sa.Column(
            "pages_fetched",
            sa.Integer(),
            nullable=False,
            comment="List pages and API answers of the column read.",
        ),
        sa.Column(
            "pages_failed",
            sa.Integer(),
            nullable=False,
            comment="List pages of the column that could not be fetched.",
        ),
        sa.Column(
            "failed_pages", sa.JSON(), nullable=False, comment="URLs of the failed list pages (first 50)."
        ),
        sa.Column(
            "bounds_hit",
            sa.JSON(),
            nullable=False,
            comment="Crawl bounds hit in the column (page caps, click budgets …).",
        ),
        sa.Column(
            "status",
            sa.String(),
            nullable=False,
            comment="complete (found what it states), unstated (states nothing) or short (may be short).",
        ),
        sa.Column("reason", sa.String(), nullable=True, comment="Why the column may be short, in one line."),
        sa.Column(
            "items",
            sa.JSON(),
            nullable=False,
            comment="URLs of the records found (what a resumed run carries on from).",
        ),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_runs.id"]),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_crawl_run_columns_run_id", "run_id"),
    )
    sa.Table(
        "crawl_run_sites",
        metadata,
        sa.Column("run_id", sa.Integer(), nullable=False, comment="The crawl run."),
        sa.Column("site_id", sa.Integer(), nullable=False, comment="A site it crawled."),
        sa.Column(
            "reports",
            sa.Integer(),
            nullable=True,
            comment="Reports the run found on the site; empty while it runs.",
        ),
        sa.Column(
            "problem",
            sa.String(),
            nullable=True,
            comment="Why the site yielded no report, in one line (unreachable, blocked, no disclosure section, no annual-report column, columns empty); empty when it yielded reports.",
        ),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_runs.id"]),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.PrimaryKeyConstraint("run_id", "site_id"),
    )
    sa.Table(
        "reports",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("agency_id", sa.Integer(), nullable=False, comment="Publishing agency."),
        sa.Column("year", sa.Integer(), nullable=False, comment="The year the report covers."),
        sa.Column(
            "variant",
            sa.String(),
            nullable=False,
            comment="Empty for the agency's report of the year; set when one agency has several.",
        ),
        sa.Column(
            "identity",
            sa.String(),
            nullable=False,
            comment="Canonical identity <site key>/<normalised agency>/<year>[/<variant>]; unique.",
        ),
        sa.Column(
            "first_seen",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="First time any crawl found the report.",
        ),
        sa.Column(
            "last_seen",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="Last time a crawl found the report.",
        ),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "unchanged",
                "changed",
                "gone",
                name="report_status",
                native_enum=False,
                create_constraint=True,
                length=13,
            ),
            nullable=False,
            comment="new, unchanged, changed or gone, as set by the latest crawl of its site.",
        ),
        sa.Column(
            "status_run_id", sa.Integer(), nullable=False, comment="The crawl run that set the status."
        ),
        sa.Column("latest_version", sa.Integer(), nullable=False, comment="Number of the newest version."),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"]),
        sa.ForeignKeyConstraint(["status_run_id"], ["crawl_runs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agency_id", "year", "variant", name="uq_reports_agency_year_variant"),
        sa.UniqueConstraint("identity"),
        sa.Index("ix_reports_agency_id", "agency_id"),
        sa.Index("ix_reports_status", "status"),
        sa.Index("ix_reports_status_run_id", "status_run_id"),
        sa.Index("ix_reports_year", "year"),
    )
    sa.Table(
        "report_versions",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("report_id", sa.Integer(), nullable=False, comment="The report."),
        sa.Column(
            "number",
            sa.Integer(),
            nullable=False,
            comment="1 for the first version seen, then 2, 3 … in order of first sighting.",
        ),
        sa.Column(
            "values_digest",
            sa.String(),
            nullable=False,
            comment="sha256 hex of the canonical JSON of the values; equal digests = same version.",
        ),
        sa.Column(
            "values",
            sa.JSON(),
            nullable=False,
            comment="The report's values in this version (field key → number, text or null).",
        ),
        sa.Column(
            "first_seen",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="First crawl time this version was seen.",
        ),
        sa.Column(
            "last_seen",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="Last crawl time this version was seen.",
        ),
        sa.Column("first_run_id", sa.Integer(), nullable=False, comment="Run that first saw this version."),
        sa.Column("last_run_id", sa.Integer(), nullable=False, comment="Run that last saw this version."),
        sa.Column(
            "first_capture_id", sa.Integer(), nullable=True, comment="Capture proving the first sighting."
        ),
        sa.Column(
            "last_capture_id", sa.Integer(), nullable=True, comment="Capture proving the last sighting."
        ),
        sa.ForeignKeyConstraint(["first_capture_id"], ["captures.id"]),
        sa.ForeignKeyConstraint(["first_run_id"], ["crawl_runs.id"]),
        sa.ForeignKeyConstraint(["last_capture_id"], ["captures.id"]),
        sa.ForeignKeyConstraint(["last_run_id"], ["crawl_runs.id"]),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("report_id", "number", name="uq_report_versions_number"),
        sa.Index("ix_report_versions_report_id", "report_id"),
    )
    sa.Table(
        "cross_year_checks",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column(
            "agency_id",
            sa.Integer(),
            nullable=False,
            comment="The agency (one site's agency: same site, same normalised name).",
        ),
        sa.Column(
            "variant",
            sa.String(),
            nullable=False,
            comment="The reports' variant (empty for the agency's report of the year).",
        ),
        sa.Column(
            "year",
            sa.Integer(),
            nullable=False,
            comment="The later year: the report whose numbers are checked.",
        ),
        sa.Column(
            "previous_year",
            sa.Integer(),
            nullable=False,
            comment="The earlier year compared with (year − 1; for X3 the nearest earlier report).",
        ),
        sa.Column("report_id", sa.Integer(), nullable=False, comment="The later year's report."),
        sa.Column("previous_report_id", sa.Integer(), nullable=False, comment="The earlier year's report."),
        sa.Column(
            "version_id",
            sa.Integer(),
            nullable=False,
            comment="The later report's version checked (its latest).",
        ),
        sa.Column(
            "previous_version_id",
            sa.Integer(),
            nullable=False,
            comment="The earlier report's version checked (its latest).",
        ),
        sa.Column(
            "rule",
            sa.String(),
            nullable=False,
            comment="Check id: X1 carried over, X2 documents in force, X3 template sequence.",
        ),
        sa.Column(
            "scope",
            sa.String(),
            nullable=False,
            comment="Column, row or subject checked, e.g. requests.*.total, active.regulations, template.",
        ),
        sa.Column(
            "status",
            sa.Enum(
                "pass",
                "fail",
                "flag",
                name="cross_check_status",
                native_enum=False,
                create_constraint=True,
                length=8,
            ),
            nullable=False,
            comment="pass, fail or flag.",
        ),
        sa.Column(
            "actual", sa.Float(), nullable=True, comment="The later year's published number; empty for X3."
        ),
        sa.Column(
            "expected",
            sa.Float(),
            nullable=True,
            comment="What the earlier year's numbers make it; empty for X3.",
        ),
        sa.Column(
            "numbers", sa.JSON(), nullable=False, comment="Every number involved: [{year, key, value}]."
        ),
        sa.Column(
            "note",
            sa.String(),
            nullable=False,
            comment="The check in one line, in words, e.g. 2024 上年结转 3 ≠ 2023 结转下年度继续办理 5.",
        ),
        sa.Column(
            "computed_at", sa.DateTime(timezone=True), nullable=False, comment="When the check was computed."
        ),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"]),
        sa.ForeignKeyConstraint(["previous_report_id"], ["reports.id"]),
        sa.ForeignKeyConstraint(["previous_version_id"], ["report_versions.id"]),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"]),
        sa.ForeignKeyConstraint(["version_id"], ["report_versions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_cross_year_checks_agency_year", "agency_id", "year"),
        sa.Index("ix_cross_year_checks_report_id", "report_id"),
        sa.Index("ix_cross_year_checks_status", "status"),
        sa.Index("ix_cross_year_checks_year", "year"),
    )
    sa.Table(
        "report_sources",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("version_id", sa.Integer(), nullable=False, comment="The report version."),
        sa.Column(
            "capture_id", sa.Integer(), nullable=False, comment="The capture holding the document's bytes."
        ),
        sa.Column(
            "role",
            sa.Enum(
                "html_body",
                "attachment",
                name="source_role",
                native_enum=False,
                create_constraint=True,
                length=14,
            ),
            nullable=False,
            comment="html_body or attachment.",
        ),
        sa.Column(
            "format",
            sa.String(),
            nullable=False,
            comment="Detected format: html, pdf, docx, doc, wps, xls, xlsx, text, image.",
        ),
        sa.Column(
            "parse_status",
            sa.Enum(
                "parsed",
                "no_table",
                "failed",
                "skipped",
                name="parse_status",
                native_enum=False,
                create_constraint=True,
                length=12,
            ),
            nullable=False,
            comment="parsed, no_table (prose only), failed or skipped.",
        ),
        sa.Column(
            "parse_error",
            sa.String(),
            nullable=True,
            comment="One-line reason when parsing failed or was skipped.",
        ),
        sa.Column(
            "template",
            sa.String(),
            nullable=True,
            comment="Table template found: 2019, 2021, legacy, or empty.",
        ),
        sa.Column("title", sa.String(), nullable=True, comment="Title as printed in the document."),
        sa.Column("year", sa.Integer(), nullable=True, comment="Report year read from the document."),
        sa.Column(
            "agency_printed", sa.String(), nullable=True, comment="Agency name as printed in the document."
        ),
        sa.Column(
            "consistent",
            sa.Boolean(),
            nullable=True,
            comment="True when every 勾稽 check passed; empty when nothing was checked.",
        ),
        sa.Column("warnings", sa.JSON(), nullable=False, comment="Parser warnings."),
        sa.Column(
            "supplies_values",
            sa.Boolean(),
            nullable=False,
            comment="True for the one source the version's values come from.",
        ),
        sa.Column(
            "value_reason",
            sa.String(),
            nullable=True,
            comment="Why this source does or does not supply the values, e.g. 'attachment passes all checks'.",
        ),
        sa.ForeignKeyConstraint(["capture_id"], ["captures.id"]),
        sa.ForeignKeyConstraint(["version_id"], ["report_versions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id", "capture_id", name="uq_report_sources_capture"),
        sa.Index("ix_report_sources_capture_id", "capture_id"),
        sa.Index("ix_report_sources_version_id", "version_id"),
    )
    sa.Table(
        "check_results",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("source_id", sa.Integer(), nullable=False, comment="The report source."),
        sa.Column("rule", sa.String(), nullable=False, comment="Rule id R1–R4 (see ParseResult.Check)."),
        sa.Column(
            "scope", sa.String(), nullable=False, comment="Row, column or group the rule was applied to."
        ),
        sa.Column("ok", sa.Boolean(), nullable=False, comment="True when both sides are equal."),
        sa.Column("left_value", sa.Float(), nullable=False, comment="The published total side."),
        sa.Column("right_value", sa.Float(), nullable=False, comment="The sum of the parts."),
        sa.Column("cells", sa.JSON(), nullable=False, comment="Keys of every cell involved, total first."),
        sa.ForeignKeyConstraint(["source_id"], ["report_sources.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_check_results_ok", "ok"),
        sa.Index("ix_check_results_source_id", "source_id"),
    )
    sa.Table(
        "field_values",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("source_id", sa.Integer(), nullable=False, comment="The report source."),
        sa.Column(
            "kind",
            sa.Enum(
                "field", "legacy", name="field_kind", native_enum=False, create_constraint=True, length=10
            ),
            nullable=False,
            comment="field (fields.tsv key) or legacy (统计指标 label).",
        ),
        sa.Column("key", sa.String(), nullable=False, comment="fields.tsv key, or the legacy row label."),
        sa.Column(
            "value_num",
            sa.Float(),
            nullable=True,
            comment="The value when it is a number; empty when blank or unreadable.",
        ),
        sa.Column("value_text", sa.String(), nullable=True, comment="The value when it is text."),
        sa.Column(
            "cell_source",
            sa.Enum(
                "published",
                "split",
                "stated",
                "repaired",
                name="cell_source",
                native_enum=False,
                create_constraint=True,
                length=13,
            ),
            nullable=True,
            comment="published, split, stated or repaired; empty for blank cells.",
        ),
        sa.Column(
            "unit", sa.String(), nullable=True, comment="Unit printed beside a legacy row (条, 件, 万元 …)."
        ),
        sa.ForeignKeyConstraint(["source_id"], ["report_sources.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_id", "kind", "key", name="uq_field_values_key"),
        sa.Index("ix_field_values_key", "key"),
        sa.Index("ix_field_values_source_id", "source_id"),
    )
