"""The OpenAPI 3.1 document of the JSON API (served at ``/api/openapi.json``)."""

from __future__ import annotations

from typing import Any


def _param(name: str, where: str, schema: dict[str, Any], text: str, *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required or where == "path", "schema": schema, "description": text}


_INT = {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
_YES_NO = {"type": "string", "enum": ["yes", "no"]}
_TEXT = {"type": "string", "pattern": "^[^\\u0000]*$"}
"""Free text: anything but NUL (which no stored text holds and PostgreSQL refuses)."""
_TEMPLATES = {"type": "string", "enum": ["2019", "2021", "legacy", "none"]}


def _field_param() -> dict[str, Any]:
    from crawler.web.tables import chartable_fields

    keys = [k for k, _ in chartable_fields()]
    return _param(
        "field", "query", {"type": "array", "items": {"type": "string", "enum": keys}},
        "Field keys of fields.tsv to compare (repeat the parameter; see /api/fields).",
    )
_ERROR = {
    "description": "Bad parameter or unknown resource.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _ok(text: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"schema": schema or {"type": "object"}}}}


def openapi_document() -> dict[str, Any]:
    """The document: every ``/api/`` path, its parameters and the shape of its answer."""
    from crawler.web.tables import chartable_fields

    field = _field_param()
    sort_keys = ["agency", *(k for k, _ in chartable_fields())]
    search_params = [
        _param("q", "query", {**_TEXT, "maxLength": 200}, "Words to find in the report text (Chinese as is)."),
        _param("agency", "query", _INT, "Agency id."),
        _param("year", "query", _INT, "Report year."),
        _param("template", "query", _TEMPLATES, "2019, 2021, legacy or none."),
        _param("failed", "query", _YES_NO, "yes: some 勾稽 check failed; no: none did."),
        _param("status", "query", {"type": "string", "enum": ["new", "unchanged", "changed", "gone"]},
               "Status set by the latest crawl of the report's site."),
        _param("edited", "query", _YES_NO, "yes: the report has more than one version."),
        _param("province", "query", _TEXT, "Province named by the agency name, e.g. 江苏省."),
        _param("city", "query", _TEXT, "City named by the agency name, e.g. 苏州市."),
        _param("county", "query", _TEXT, "County or district named by the agency name, e.g. 吴中区."),
        _param("page", "query", {"type": "integer", "minimum": 1, "maximum": 10_000}, "Result page (50 a page)."),
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "nianbao",
            "version": "1",
            "description": "Read-only API over the archive of 政府信息公开工作年度报告: the same data as the pages.",
        },
        "paths": {
            "/api/search": {"get": {
                "summary": "Search reports by text and facets",
                "parameters": search_params,
                "responses": {"200": _ok("Matches, newest year first, with facet counts.",
                                         {"$ref": "#/components/schemas/SearchResult"}), "400": _ERROR},
            }},
            "/api/reports/{report_id}": {"get": {
                "summary": "A report: its tables, cell sources, checks, documents, provenance and versions",
                "parameters": [
                    _param("report_id", "path", _INT, "Report id."),
                    _param("version", "query", _INT, "Version number (default: the newest)."),
                ],
                "responses": {"200": _ok("The report.", {"$ref": "#/components/schemas/Report"}),
                              "400": _ERROR, "404": _ERROR},
            }},
            "/api/documents/{capture_id}": {"get": {
                "summary": "An original document's metadata and SHA-256 (bytes at /documents/{capture_id})",
                "parameters": [_param("capture_id", "path", _INT, "Capture id.")],
                "responses": {"200": _ok("The document."), "404": _ERROR},
            }},
            "/api/compare/agency/{agency_id}": {"get": {
                "summary": "One agency across years",
                "parameters": [_param("agency_id", "path", _INT, "Agency id."), field],
                "responses": {"200": _ok("Per field, one value per year."), "400": _ERROR, "404": _ERROR},
            }},
            "/api/compare/year/{year}": {"get": {
                "summary": "Many agencies in one year",
                "parameters": [
                    _param("year", "path", _INT, "Report year."), field,
                    _param("sort", "query", {"type": "string", "enum": sort_keys},
                           "agency or a chosen field key (another key sorts by agency)."),
                    _param("order", "query", {"type": "string", "enum": ["asc", "desc"]}, "Sort order."),
                    _param("province", "query", _TEXT, "Only agencies of this province."),
                    _param("template", "query", _TEMPLATES, "Only reports of this template."),
                ],
                "responses": {"200": _ok("One row per report."), "400": _ERROR},
            }},
            "/api/fields": {"get": {
                "summary": "Every field key with its Chinese row and column labels",
                "responses": {"200": _ok("Fields.", {"type": "array", "items": {"type": "object"}})},
            }},
        },
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error", "status"],
                      "properties": {"error": {"type": "string"}, "status": {"type": "integer"}}},
            "SearchResult": {
                "type": "object", "required": ["total", "results", "facets"],
                "properties": {
                    "total": {"type": "integer"}, "page": {"type": "integer"}, "pages": {"type": "integer"},
                    "indexed": {"type": "integer"},
                    "results": {"type": "array", "items": {"type": "object", "required": ["report_id", "agency", "year"]}},
                    "facets": {"type": "object"},
                },
            },
            "Report": {
                "type": "object",
                "required": ["report_id", "agency", "year", "tables", "checks", "sources", "versions"],
                "properties": {
                    "report_id": {"type": "integer"}, "agency": {"type": "string"}, "year": {"type": "integer"},
                    "tables": {"type": "array"}, "checks": {"type": "array"}, "sources": {"type": "array"},
                    "versions": {"type": "array"}, "failed_checks": {"type": "array"},
                },
            },
        }},
    }
