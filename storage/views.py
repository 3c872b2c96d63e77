"""SQL views for downstream tools (Datasette, DuckDB, pandas, R, a spreadsheet's ODBC): the
corpus without knowing our table layout.

- ``v_field_labels``: every field of fields.tsv with its Chinese table, row and column labels
  (from the table ``field_labels``, which :func:`create_views` keeps equal to the file);
- ``v_reports``: one row per report, its latest version, the document its values come from, the
  capture (URL, time, digest, WARC position) and its failed 勾稽 checks;
- ``v_facts``: one row per cell of each report's latest version, labelled — the tidy table;
- ``v_table2_active``, ``v_table3_requests``, ``v_table4_appeals``: one wide row per report
  for each official table (二、三、四), one column per field.

Each view is declared once below as columns with their descriptions; the same declaration
builds the SQL for SQLite and PostgreSQL and the Markdown in ``docs/views.md``
(``python -m storage.views > docs/views.md``). :func:`create_views` (run by every :func:`storage.db.create_all`)
re-creates them when their definition in the database is not the code's (and fields.tsv's), so an
existing store gets new or changed views on its next start, and leaves them alone otherwise.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from operator import itemgetter

import sqlalchemy as sa
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from storage.labels import TABLES, field_labels, label_of, table_keys, wide_column


@dataclass(frozen=True)
class ViewColumn:
    """One column of a view: its name, the SQL that computes it, and what it means."""

    name: str
    sql: str
    doc: str
    key: str = ""
    """The fields.tsv key a wide view's column holds; empty for the others."""


@dataclass(frozen=True)
class View:
    """A view: name, one-line purpose, columns, and the FROM clause (``{group_rules}`` is filled
    with the dialect's string aggregate)."""

    name: str
    doc: str
    columns: tuple[ViewColumn, ...]
    source: str


def _col(name: str, sql: str, doc: str, key: str = "") -> ViewColumn:
    return ViewColumn(name, sql, doc, key)


_REPORT_COLUMNS = (
    _col("report_id", "r.id", "The report (reports.id)."),
    _col("identity", "r.identity", "Canonical identity <site key>/<normalised agency>/<year>[/<variant>]."),
    _col("site_key", "s.key", "Registry key of the site the report is published on."),
    _col("site_name", "s.name", "The site's name, e.g. 北京市人民政府."),
    _col("agency_id", "a.id", "The publishing agency (agencies.id)."),
    _col("agency", "a.name", "Agency name as first printed."),
    _col("year", "r.year", "The year the report covers."),
    _col("variant", "r.variant", "Empty, or which of an agency's several reports of the year."),
    _col("status", "r.status", "new, unchanged, changed or gone, as set by the latest crawl of its site."),
    _col("first_seen", "r.first_seen", "First time any crawl found the report (UTC)."),
    _col("last_seen", "r.last_seen", "Last time a crawl found the report (UTC)."),
    _col("version", "v.number", "Number of the latest version (1, 2 … in order of first sighting)."),
    _col("versions", "r.latest_version", "How many versions the report has had."),
    _col("version_id", "v.id", "The latest version (report_versions.id)."),
    _col("version_first_seen", "v.first_seen", "When the latest version was first seen (UTC)."),
    _col("version_first_run_id", "v.first_run_id", "The crawl run that first saw the latest version."),
    _col("values_digest", "v.values_digest", "sha256 hex of the latest version's values."),
    _col("source_id", "src.id", "The document the values come from (report_sources.id); empty if none."),
    _col("source_role", "src.role", "html_body or attachment."),
    _col("format", "src.format", "Format of that document: html, pdf, docx, doc, wps, xls, xlsx, text, image."),
    _col("template", "src.template", "Table template found: 2019, 2021, legacy, or empty (prose only)."),
    _col("title", "src.title", "Title as printed in the document."),
    _col("consistent", "src.consistent", "True when every 勾稽 check passed; empty when nothing was checked."),
    _col("capture_id", "c.id", "The capture holding the document (captures.id)."),
    _col("url", "c.url", "URL the document was fetched from."),
    _col("captured_at", "c.fetched_at", "When it was fetched (UTC; the WARC-Date)."),
    _col("digest", "c.payload_digest", "sha256:<base32> of the document as received (WARC-Payload-Digest)."),
    _col("content_type", "c.content_type", "Content-Type as served."),
    _col("rendered", "c.rendered", "True when the page went through the browser."),
    _col("warc_filename", "c.warc_filename", "WARC file holding the record."),
    _col("warc_offset", "c.warc_offset", "Byte offset of the record in the WARC file."),
    _col("warc_length", "c.warc_length", "Compressed length of the record."),
    _col("warc_record_id", "c.warc_record_id", "WARC-Record-ID of the record."),
    _col(
        "checks_total",
        "(SELECT COUNT(*) FROM check_results k WHERE k.source_id = src.id)",
        "勾稽 checks evaluated on the values.",
    ),
    _col(
        "checks_failed",
        "(SELECT COUNT(*) FROM check_results k WHERE k.source_id = src.id AND NOT k.ok)",
        "勾稽 checks that failed (published total ≠ sum of the parts).",
    ),
    _col(
        "failed_rules",
        "(SELECT {group_rules} FROM (SELECT DISTINCT k.rule FROM check_results k "
        "WHERE k.source_id = src.id AND NOT k.ok) fr)",
        "The failed rules, comma-separated and sorted (R1–R4); empty when none failed.",
    ),
)

_REPORTS = View(
    "v_reports",
    "One row per report: its latest version, the document the values come from, its capture and its failed checks.",
    _REPORT_COLUMNS,
    "reports r JOIN agencies a ON a.id = r.agency_id JOIN sites s ON s.id = a.site_id "
    "JOIN report_versions v ON v.report_id = r.id AND v.number = r.latest_version "
    "LEFT JOIN report_sources src ON src.id = (SELECT MIN(x.id) FROM report_sources x "
    "WHERE x.version_id = v.id AND x.supplies_values) "
    "LEFT JOIN captures c ON c.id = COALESCE(src.capture_id, v.last_capture_id)",
)

FIELD_LABELS = sa.Table(
    "field_labels",
    sa.MetaData(),
    sa.Column("template", sa.String(8), primary_key=True),
    sa.Column("key", sa.String(80), primary_key=True),
    sa.Column("table_label", sa.Text, nullable=False),
    sa.Column("row_label", sa.Text, nullable=False),
    sa.Column("column_label", sa.Text, nullable=False),
)
"""The labels of fields.tsv as a table (kept equal to the file by :func:`create_views`): the
views join it by its key, which a VALUES list inside a view could not be."""

_FIELD_LABELS = View(
    "v_field_labels",
    "Every field of crawler/reports/fields.tsv with the labels printed around its cell.",
    (
        _col("template", "l.template", "2019 or 2021."),
        _col("key", "l.key", "Canonical field key <table>.<row>.<column>."),
        _col("table_label", "l.table_label", "The table's printed heading, e.g. 三、收到和处理政府信息公开申请情况."),
        _col("row_label", "l.row_label", "Row label as printed."),
        _col("column_label", "l.column_label", "Column label as printed."),
    ),
    "field_labels l",
)

_FACTS = View(
    "v_facts",
    "The tidy table: one row per cell of each report's latest version, with its Chinese labels.",
    (
        _col("report_id", "r.report_id", "The report (v_reports.report_id)."),
        _col("identity", "r.identity", "The report's canonical identity."),
        _col("site_key", "r.site_key", "Registry key of the site."),
        _col("agency", "r.agency", "Agency name as first printed."),
        _col("year", "r.year", "The year the report covers."),
        _col("template", "r.template", "2019, 2021 or legacy."),
        _col("version", "r.version", "The version the values belong to (the latest)."),
        _col("kind", "fv.kind", "field (a fields.tsv key) or legacy (a pre-2019 统计指标 row)."),
        _col("field", "fv.key", "fields.tsv key, or the legacy row label."),
        _col("table_label", "l.table_label", "The official table's printed heading; empty for legacy rows."),
        _col("row_label", "COALESCE(l.row_label, CASE WHEN fv.kind = 'legacy' THEN fv.key END)",
             "Row label as printed in the template (the row itself for legacy rows)."),
        _col("column_label", "l.column_label", "Column label as printed in the template."),
        _col("value", "fv.value_num", "The value when it is a number; empty when blank or unreadable."),
        _col("value_text", "fv.value_text", "The value when it is text (a unit such as 万元)."),
        _col("source", "fv.cell_source", "published (read as printed), split, stated or repaired; empty for blanks."),
        _col("unit", "fv.unit", "Unit printed beside a legacy row (条, 件, 万元 …)."),
    ),
    "v_reports r JOIN field_values fv ON fv.source_id = r.source_id "
    "LEFT JOIN field_labels l ON fv.kind = 'field' AND l.template = r.template AND l.key = fv.key",
)


_WIDE_REPORT_COLUMNS = ("report_id", "identity", "site_key", "agency", "year")
"""The report columns a wide view starts with (then template and version)."""


def _wide(prefix: str, heading: str, number: str) -> View:
    keys = table_keys(prefix)
    columns = [_col(c.name, f"r.{c.name}", c.doc) for c in _REPORT_COLUMNS if c.name in _WIDE_REPORT_COLUMNS]
    columns += [_col("template", "r.template", "2019 or 2021."), _col("version", "r.version", "The latest version.")]
    for key in keys:
        label = label_of(key)
        value = "value_text" if label.is_text else "value_num"
        columns.append(
            _col(
                wide_column(key),
                f"(SELECT fv.{value} FROM field_values fv WHERE fv.source_id = r.source_id "
                f"AND fv.kind = 'field' AND fv.key = '{key}')",
                f"{label.row} / {label.column} (`{key}`).",
                key,
            )
        )
    return View(
        f"v_table{number}_{prefix}",
        f"{heading}: one row per report (latest version), one column per field of either template.",
        tuple(columns),
        "v_reports r WHERE r.template IN ('2019', '2021')",
    )


VIEWS: tuple[View, ...] = (
    _FIELD_LABELS,
    _REPORTS,
    _FACTS,
    *(_wide(p, h, n) for (p, h), n in zip(TABLES, ("2", "3", "4"), strict=True)),
)
"""Every view, in dependency order (create in this order, drop in reverse)."""


def view_sql(view: View, dialect: str) -> str:
    """``CREATE VIEW`` for ``dialect`` (``sqlite`` or ``postgresql``)."""
    group_rules = "string_agg(fr.rule, ',' ORDER BY fr.rule)" if dialect == "postgresql" else "group_concat(fr.rule, ',')"
    select = ", ".join(f"{c.sql} AS {c.name}" for c in view.columns)
    body = f"SELECT {select} FROM {view.source}".replace("{group_rules}", group_rules)
    return f"CREATE VIEW {view.name} AS {body}"


def _digest(sql: str) -> str:
    return "nianbao:" + hashlib.sha256(sql.encode("utf-8")).hexdigest()[:16]


def _current(conn: Connection) -> dict[str, str]:
    """What each of our views in the database was created from: its SQL (SQLite keeps the text)
    or the digest in its comment (PostgreSQL)."""
    names = [v.name for v in VIEWS]
    if conn.dialect.name == "sqlite":
        rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'view'")).all()
    else:
        rows = conn.execute(text(
            "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'v' AND n.nspname = current_schema()"
        )).all()
    return {str(name): str(sql or "") for name, sql in rows if name in names}


def create_views(engine: Engine) -> None:
    """Bring every view to the code's definition: nothing is done when they already are (the
    usual case, so processes starting together do not race), else all are dropped and created
    again in one transaction (serialised by an advisory lock on PostgreSQL; retried on SQLite,
    whose DDL a concurrent process may have just done)."""
    dialect = engine.dialect.name
    wanted = {v.name: view_sql(v, dialect) for v in VIEWS}
    expected = wanted if dialect == "sqlite" else {k: _digest(sql) for k, sql in wanted.items()}
    for attempt in range(3):
        try:
            with engine.begin() as conn:
                if dialect == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
                _sync_labels(conn)
                if _current(conn) == expected:
                    return
                for view in reversed(VIEWS):
                    conn.execute(text(f"DROP VIEW IF EXISTS {view.name}"))
                for view in VIEWS:
                    conn.execute(text(wanted[view.name]))
                    if dialect == "postgresql":
                        conn.execute(text(f"COMMENT ON VIEW {view.name} IS '{expected[view.name]}'"))
            return
        except DBAPIError:
            if attempt == 2:
                raise
            time.sleep(0.2 * (attempt + 1))


def _sync_labels(conn: Connection) -> None:
    """Create ``field_labels`` if missing and make its rows those of fields.tsv."""
    FIELD_LABELS.create(conn, checkfirst=True)
    rows = [{"template": f.template, "key": f.key, "table_label": f.table, "row_label": f.row,
             "column_label": f.column} for f in field_labels()]
    present = [dict(r) for r in conn.execute(sa.select(FIELD_LABELS)).mappings()]
    key = itemgetter("template", "key")
    if sorted(present, key=key) != sorted(rows, key=key):
        conn.execute(FIELD_LABELS.delete())
        conn.execute(FIELD_LABELS.insert(), rows)


_LOCK_KEY = 0x6E69616E62616F  # "nianbao": one advisory lock for the view set-up


def drop_views(engine: Engine) -> None:
    """Drop every view and the labels table (before the tables the views read can be dropped)."""
    with engine.begin() as conn:
        for view in reversed(VIEWS):
            conn.execute(text(f"DROP VIEW IF EXISTS {view.name}"))
        FIELD_LABELS.drop(conn, checkfirst=True)


def views_markdown() -> str:
    """One section per view: its purpose, then each column with its description."""
    out = []
    for view in VIEWS:
        out.append(f"### `{view.name}`\n\n{view.doc}\n")
        out.append("| column | description |\n| --- | --- |")
        out.extend(f"| `{c.name}` | {c.doc} |" for c in view.columns)
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(views_markdown())
