"""The ASGI app behind ``nianbao serve``: HTML pages and the same data as JSON under ``/api/``.

Starlette with Jinja2 templates: a small app that runs the same on SQLite and PostgreSQL (through
the store's SQLAlchemy engine), with pages that read without JavaScript (charts are server-drawn
SVG, sorting is a link). Read-only: no forms post, no cookies are set. Every response carries a
strict Content-Security-Policy (no framing, scripts only from the app itself); downloaded
originals are attachments under ``sandbox`` so an archived HTML file never runs on this origin.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crawler.web import compare, report, search
from crawler.web.charts import line_chart
from crawler.web.documents import original_document
from crawler.web.openapi import openapi_document
from crawler.web.params import check_text, fields_from, filters_from, int_param, path_int
from crawler.web.replay import replay_url
from crawler.web.responses import csv_response, field_query, json_response
from crawler.web.tables import chartable_fields, label_of
from storage.models import Capture

UI_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
"""The UI's own policy: nothing from elsewhere, never framed (an archived page cannot wrap it)."""

DOWNLOAD_CSP = "sandbox; default-src 'none'"
"""An original opened in the browser anyway runs nothing, in an opaque origin."""

SECURITY_HEADERS = {
    "content-security-policy": UI_CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


@dataclasses.dataclass(frozen=True)
class WebConfig:
    """What the app serves: the store, its WARC folder and where replay lives."""

    engine: Engine
    archive_dir: Path | None
    replay_base: str | None
    """Base URL of the pywb origin, e.g. http://127.0.0.2:8701 (None: replay links are not shown)."""


class SecurityHeaders:
    """ASGI middleware: the security headers on every response that does not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.decode("latin-1").lower() for k, _ in headers}
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, wrapped)


def create_app(config: WebConfig) -> Starlette:
    """The app for ``config`` (nothing is opened until a request comes)."""
    env = Environment(loader=PackageLoader("crawler.web", "templates"), autoescape=select_autoescape(["html"]))
    env.globals.update(label_of=label_of, fields=chartable_fields(), urlencode=urlencode, quote=quote)
    env.globals["qs"] = field_query
    env.filters["num"] = lambda v: int(v) if isinstance(v, float) and v.is_integer() else v
    env.filters["ts"] = lambda d: d.strftime("%Y-%m-%d %H:%M:%S UTC") if d else ""

    def replay_link(cap: report.Provenance) -> str | None:
        if not config.replay_base:
            return None
        return replay_url(config.replay_base, cap.fetched_at.strftime("%Y%m%d%H%M%S"), cap.url)

    env.globals["replay_link"] = replay_link

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**context), status_code=status)

    def session() -> Session:
        return Session(config.engine)

    # ---------------------------------------------------------------- search
    def search_page(request: Request) -> Response:
        filters = filters_from(request)
        with session() as s:
            result = search.search(s, filters)
        return page("search.html", result=result, f=filters)

    def search_api(request: Request) -> Response:
        with session() as s:
            result = search.search(s, filters_from(request))
        return json_response({
            "total": result.total, "page": result.filters.page, "pages": result.pages, "indexed": result.indexed,
            "results": result.hits, "facets": result.facets,
        })

    # ---------------------------------------------------------------- reports
    def report_page(request: Request) -> Response:
        detail = _detail(request)
        return page("report.html", r=detail)

    def report_api(request: Request) -> Response:
        detail = _detail(request)
        body = dataclasses.asdict(detail)
        body["failed_checks"] = [dataclasses.asdict(c) for c in detail.failed_checks]
        for src in body["sources"]:
            src["download"] = f"/documents/{src['capture']['capture_id']}"
            src["replay"] = replay_link(report.Provenance(**src["capture"]))
        return json_response(body)

    def _detail(request: Request) -> report.ReportDetail:
        rid = path_int(request, "report_id")
        version = int_param(request, "version")
        with session() as s:
            detail = report.report_detail(s, rid, version)
        if detail is None:
            raise HTTPException(404, f"no report {rid}" + (f" version {version}" if version else ""))
        return detail

    # ---------------------------------------------------------------- documents
    def document(request: Request) -> Response:
        cid = path_int(request, "capture_id")
        doc = _document(cid)
        headers = {
            "content-disposition": f"attachment; filename*=UTF-8''{quote(doc.filename)}",
            "content-security-policy": DOWNLOAD_CSP,
            "x-content-sha256": doc.sha256,
            "x-warc-payload-digest": doc.capture.payload_digest or "",
            "x-warc-record-id": doc.record.record_id,
        }
        return Response(doc.data, media_type=doc.content_type.split(";")[0] or "application/octet-stream",
                        headers=headers)

    def document_api(request: Request) -> Response:
        cid = path_int(request, "capture_id")
        doc = _document(cid)
        return json_response({
            "capture_id": cid, "filename": doc.filename, "content_type": doc.content_type, "size": len(doc.data),
            "sha256": doc.sha256, "warc_payload_digest": doc.capture.payload_digest,
            "warc_digest_ok": doc.record.digest_ok, "download": f"/documents/{cid}",
            "capture": report.provenance(doc.capture),
        })

    def _document(cid: int) -> Any:
        if config.archive_dir is None:
            raise HTTPException(404, "no archive folder: start nianbao serve with --archive DIR")
        with session() as s:
            cap = s.get(Capture, cid)
            if cap is None:
                raise HTTPException(404, f"no capture {cid}")
            try:
                return original_document(s, config.archive_dir, cap)
            except ValueError as e:
                raise HTTPException(404, str(e)) from None

    # ---------------------------------------------------------------- compare
    def compare_agency(request: Request) -> Response:
        series = _series(request)
        if request.query_params.get("format") == "csv":
            rows: list[list[Any]] = [["year", "report_id", *series.fields], ["年度", "", *(series.labels[k] for k in series.fields)]]
            rows += [[y, rid, *(series.values[k][i] for k in series.fields)]
                     for i, (y, rid) in enumerate(zip(series.years, series.report_ids, strict=True))]
            return csv_response(rows, f"agency-{series.agency_id}.csv")
        charts = {k: line_chart(series.years, series.values[k]) for k in series.fields}
        return page("compare_agency.html", s=series, charts=charts)

    def compare_agency_api(request: Request) -> Response:
        return json_response(_series(request))

    def _series(request: Request) -> compare.Series:
        aid = path_int(request, "agency_id")
        with session() as s:
            series = compare.agency_series(s, aid, fields_from(request))
        if series is None:
            raise HTTPException(404, f"no agency {aid}")
        return series

    def compare_year(request: Request) -> Response:
        table = _year(request)
        if request.query_params.get("format") == "csv":
            rows: list[list[Any]] = [["report_id", "agency", "region", "template", "failed_checks", *table.fields],
                    ["", "机关", "地区", "模板", "勾稽不符", *(table.labels[k] for k in table.fields)]]
            rows += [[r.report_id, r.agency, r.region or "", r.template or "", r.failed_checks,
                      *(r.values[k] for k in table.fields)] for r in table.rows]
            return csv_response(rows, f"year-{table.year}.csv")
        return page("compare_year.html", t=table, province=request.query_params.get("province") or "")

    def compare_year_api(request: Request) -> Response:
        return json_response(_year(request))

    def _year(request: Request) -> compare.YearTable:
        year = path_int(request, "year")
        check_text(request)
        p = request.query_params
        with session() as s:
            return compare.year_table(
                s, year, fields_from(request), sort=p.get("sort") or "agency",
                descending=p.get("order") == "desc", province=p.get("province") or None,
                template=p.get("template") or None,
            )

    # ---------------------------------------------------------------- misc
    def fields_api(request: Request) -> Response:
        return json_response([{"key": k, "label": v} for k, v in chartable_fields()])

    def openapi(request: Request) -> Response:
        return JSONResponse(openapi_document())

    def stylesheet(request: Request) -> Response:
        css = env.loader.get_source(env, "style.css")[0]  # type: ignore[union-attr]
        return Response(css, media_type="text/css")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail, "status": exc.status_code}, status_code=exc.status_code)
        return page("error.html", status=exc.status_code, status_code=exc.status_code, detail=exc.detail)

    routes = [
        Route("/", search_page),
        Route("/reports/{report_id}", report_page),
        Route("/documents/{capture_id}", document),
        Route("/compare/agency/{agency_id}", compare_agency),
        Route("/compare/year/{year}", compare_year),
        Route("/static/style.css", stylesheet),
        Route("/api/openapi.json", openapi),
        Route("/api/search", search_api),
        Route("/api/fields", fields_api),
        Route("/api/reports/{report_id}", report_api),
        Route("/api/documents/{capture_id}", document_api),
        Route("/api/compare/agency/{agency_id}", compare_agency_api),
        Route("/api/compare/year/{year}", compare_year_api),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error})
    app.add_middleware(SecurityHeaders)
    return app
