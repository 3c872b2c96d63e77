"""From a document to a :class:`ParseResult`: template, tables, checks, title and year."""

from __future__ import annotations

from crawler.documents.model import Document
from crawler.reports.active import read_active
from crawler.reports.checks import evaluate, repair
from crawler.reports.legacy import read_legacy
from crawler.reports.meta import detect_template, find_agency, find_title, find_year
from crawler.reports.result import ParseResult
from crawler.reports.stream import linearize
from crawler.reports.tables import Reading, read_appeals, read_requests
from crawler.reports.template import TEMPLATES, field_keys


def parse_document(doc: Document) -> ParseResult:
    """Read the canonical fields of a report out of a document of any format."""
    text = linearize(doc)
    lines = text.split("\n")
    title = find_title(doc, lines)
    year = find_year(title, text)
    template = detect_template(text, year)
    values: dict[str, int | float | str | None] = {}
    sources: dict[str, str] = {}
    warnings = list(doc.warnings)
    legacy_rows, legacy_units, legacy_warnings = read_legacy(text)
    warnings.extend(legacy_warnings)

    if template in TEMPLATES:
        tpl = TEMPLATES[template]
        values = dict.fromkeys(field_keys(template))
        requests = read_requests(text, tpl)
        active_end = requests.start if requests is not None else None
        parts: list[Reading | None] = [
            read_active(text, tpl, active_end),
            requests,
            read_appeals(text, tpl, requests.end if requests else 0),
        ]
        for part in parts:
            if part is None:
                continue
            values.update({k: v for k, v in part.values.items() if k in values})
            sources.update({k: s for k, s in part.sources.items() if k in values})
            warnings.extend(part.warnings)
        warnings.extend(repair(values, sources, template))
        if all(v is None for k, v in values.items() if not k.endswith("amount_unit")):
            warnings.append("no statistics table could be read (tables as images? try --ocr)")
    checks = tuple(evaluate(values, template)) if template in TEMPLATES else ()
    return ParseResult(
        name=doc.name,
        kind=doc.kind,
        year=year,
        template=template,
        title=title,
        agency=find_agency(title, dict(doc.meta), text),
        values=values,
        sources=sources,
        legacy_rows=legacy_rows,
        legacy_units=legacy_units,
        checks=checks,
        warnings=tuple(warnings),
    )
