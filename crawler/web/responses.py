"""Responses in the shapes the API and the downloads use: JSON with Chinese text as is, CSV that
spreadsheets read, query strings for the pages' links."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response


def _json_default(obj: Any) -> Any:
    if isinstance(obj, datetime):
        return obj.isoformat()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    return str(getattr(obj, "value", obj))


def json_response(body: Any, status: int = 200) -> Response:
    """JSON with Chinese text as is, dataclasses and times serialised."""
    data = json.dumps(body, ensure_ascii=False, default=_json_default, allow_nan=False)
    return Response(data, status_code=status, media_type="application/json")


def csv_response(rows: list[list[Any]], filename: str) -> Response:
    """CSV in UTF-8 with a BOM, so spreadsheet programs read the Chinese labels."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return Response(
        "\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


def field_query(fields: list[str], **extra: Any) -> str:
    """A query string choosing ``fields`` plus ``extra`` parameters (None or "" dropped)."""
    pairs = [("field", k) for k in fields] + [(k, str(v)) for k, v in extra.items() if v not in (None, "")]
    return urlencode(pairs)
