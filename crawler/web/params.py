"""Reading a request's parameters: ids, yes/no choices, search filters and field keys — a bad
value is a 400 (or a 404 in a path), never a server error."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request

from crawler.web.search import Filters
from crawler.web.tables import chartable_fields

MAX_ID = 2**31 - 1
"""Largest id or year taken: the stores' integer columns are 32-bit (PostgreSQL rejects more)."""


def path_int(request: Request, name: str) -> int:
    """An integer path parameter (404 when it is not one: no such resource)."""
    raw = str(request.path_params[name])
    if not raw.isdigit() or len(raw) > 10 or int(raw) > MAX_ID:
        raise HTTPException(404, f"{name} {raw!r}: no such {name.removesuffix('_id')}")
    return int(raw)


def int_param(request: Request, name: str) -> int | None:
    """An optional integer query parameter (400 when it is given but not one)."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    assert raw is not None
    if not raw.isdigit() or len(raw) > 10 or int(raw) > MAX_ID:
        raise HTTPException(400, f"{name}={raw!r}: expected a whole number up to {MAX_ID}")
    return int(raw)


def _yes_no(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if raw not in ("yes", "no"):
        raise HTTPException(400, f"{name}={raw!r}: expected yes or no")
    return raw == "yes"


STATUSES = ("new", "unchanged", "changed", "gone")


def check_text(request: Request) -> None:
    """400 for a query parameter holding a NUL character (no stored text has one; PostgreSQL
    refuses it in a query)."""
    for name, value in request.query_params.multi_items():
        if "\x00" in value or "\x00" in name:
            raise HTTPException(400, f"query parameter {name!r} holds a NUL character")


def filters_from(request: Request) -> Filters:
    """The search filters of a request's query string."""
    check_text(request)
    p = request.query_params
    status = p.get("status") or None
    if status is not None and status not in STATUSES:
        raise HTTPException(400, f"status={status!r}: expected one of {', '.join(STATUSES)}")
    return Filters(
        q=(p.get("q") or "")[:200], agency_id=int_param(request, "agency"), year=int_param(request, "year"),
        template=p.get("template") or None, failed=_yes_no(request, "failed"), status=status,
        edited=_yes_no(request, "edited"), province=p.get("province") or None, city=p.get("city") or None,
        county=p.get("county") or None,
        page=max(1, min(int_param(request, "page") or 1, 10_000)),
    )


def fields_from(request: Request) -> list[str]:
    """Chosen field keys (``field`` repeated or comma-separated); unknown keys are a 400."""
    known = {k for k, _ in chartable_fields()}
    keys = [k for raw in request.query_params.getlist("field") for k in raw.split(",") if k]
    bad = [k for k in keys if k not in known]
    if bad:
        raise HTTPException(400, f"unknown field {bad[0]!r} (see /api/fields)")
    return list(dict.fromkeys(keys))[:12]
