"""Dynamic endpoints of the imitated CMSs; each reads the request and the portal's build data."""

from __future__ import annotations

import html
import json
import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .http import Request, Response
from .prov_handlers import HANDLERS as PROV_HANDLERS

if TYPE_CHECKING:
    from .app import PortalApp


async def dispatch(name: str, app: PortalApp, req: Request, params: dict[str, Any]) -> Response:
    fn = HANDLERS.get(name)
    if fn is None:
        raise KeyError(f"route handler {name!r} is not defined")
    return fn(app, req, params)


def _resp(app: PortalApp, body: str | bytes, content_type: str, status: int = 200) -> Response:
    resp = app._base(status, content_type)
    resp.body = body.encode("utf-8") if isinstance(body, str) else body
    return resp


def jpage(app: PortalApp, req: Request, params: dict[str, Any]) -> Response:
    """Hanweb ``/module/web/jpage/dataproxy.jsp``: record ranges (POST) or ``page=`` (GET).

    Groups after the first repeat the previous group's last record, as nhsa.gov.cn does.
    """
    args = req.query | (req.form() if req.method == "POST" else {})
    column = app.data.get("jpage", {}).get(str(args.get("columnid", "")))
    if column is None or str(args.get("unitid", column["unitid"])) != str(column["unitid"]):
        body = "<datastore><totalrecord>0</totalrecord><totalpage>0</totalpage><recordset></recordset></datastore>"
        return _resp(app, '<?xml version="1.0" encoding="UTF-8"?>' + body, "text/xml;charset=UTF-8")
    records: list[str] = column["records"]
    perpage = _int(args.get("perpage"), column["perpage"]) or column["perpage"]
    total = len(records)
    if "startrecord" in args:
        start = max(1, _int(args.get("startrecord"), 1))
        end = min(total, _int(args.get("endrecord"), start + perpage - 1))
        first = start - 1 if start > 1 else start
    else:
        page = max(1, _int(args.get("page"), 1))
        first, end = (page - 1) * perpage + 1, min(total, page * perpage)
    chosen = records[first - 1 : end] if first <= total else []
    totalpage = -(-total // perpage)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?><datastore>',
        f"<totalrecord>{total}</totalrecord><totalpage>{totalpage}</totalpage><recordset>",
    ]
    parts += [f"<record><![CDATA[\n{r}\n]]></record>" for r in chosen]
    parts.append("</recordset></datastore>")
    return _resp(app, "\n".join(parts), "text/xml;charset=UTF-8")


def gkmlpt_api(app: PortalApp, req: Request, params: dict[str, Any]) -> Response:
    """Guangdong gkmlpt ``/gkmlpt/api/all/<col>?page=N&sid=S``: 100 articles a page, as JSON."""
    data = app.data["gkmlpt"]
    args = req.query
    articles = data["cols"].get(str(params["col"]), [])
    if args.get("sid", data["sid"]) != data["sid"]:
        articles = []
    page = max(1, _int(args.get("page"), 1))
    chunk = articles[(page - 1) * 100 : page * 100]
    body = json.dumps(
        {"total": len(articles), "articles": chunk, "classify": {"id": params["col"]}}, ensure_ascii=False
    )
    return _resp(app, app.farm.link(body.encode("utf-8")), "application/json;charset=UTF-8")


def downfile(app: PortalApp, req: Request, params: dict[str, Any]) -> Response:
    """Hanweb ``downfile.jsp?classid=0&filename=…``: 302 to the stored file under ``/attach/0/``."""
    target = app.data.get("downfile", {}).get(req.query.get("filename", ""))
    if target is None:
        return _resp(app, "<script>alert('文件不存在！');history.back();</script>", "text/html;charset=UTF-8")
    resp = app._base(302)
    return resp.header("Location", target)


def was5(app: PortalApp, req: Request, params: dict[str, Any]) -> Response:
    """TRS WAS5 ``/was5/web/search?channelid=…&chnlid=…&page=N``: list items past the static pages."""
    items = app.data.get("was5", {}).get(req.query.get("chnlid", ""), [])
    page = max(1, _int(req.query.get("page"), 1))
    per = _int(req.query.get("prepage"), 20) or 20
    chunk = items[(page - 1) * per : page * per]
    return _resp(app, "\n".join(chunk) + "\n", "text/html;charset=UTF-8")


def calendar(app: PortalApp, req: Request, params: dict[str, Any]) -> Response:
    """An events calendar whose 前一天/后一天 links never end: a crawler trap."""
    try:
        day = date.fromisoformat(req.query.get("date", params["today"]))
    except ValueError:
        day = date.fromisoformat(params["today"])
    links = [
        (day - timedelta(days=1), "前一天"),
        (day + timedelta(days=1), "后一天"),
        (day - timedelta(days=30), "上个月"),
        (day + timedelta(days=30), "下个月"),
        (day.replace(year=day.year + 1) if not (day.month == 2 and day.day == 29) else day, "明年"),
    ]
    nav = " | ".join(f'<a href="?date={d.isoformat()}">{label}</a>' for d, label in links)
    body = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>活动日历 {day.isoformat()}</title>'
        f"</head><body><h1>政务活动日历：{day.year}年{day.month}月{day.day}日</h1><p>{nav}</p>"
        "<p>当日暂无政务活动安排。</p></body></html>"
    )
    return _resp(app, body, "text/html; charset=utf-8")


def search(app: PortalApp, req: Request, params: dict[str, Any]) -> Response:
    """Site search: every result page links more result pages and related queries (robots-disallowed)."""
    q = req.query.get("searchWord") or req.query.get("q") or "年报"
    page = max(1, _int(req.query.get("page"), 1))
    related = [q + w for w in ("年报", "公开", "报告", "2024")]
    links = [f'<a href="?searchWord={quote(q)}&page={page + 1}">下一页</a>']
    links += [f'<a href="?searchWord={quote(r)}&page=1">{html.escape(r)}</a>' for r in related]
    body = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>搜索结果 - {html.escape(q)}</title>'
        f"</head><body><p>找到约 {1000 + page} 条结果，第 {page} 页</p><p>{' '.join(links)}</p></body></html>"
    )
    return _resp(app, body, "text/html; charset=utf-8")


def bulk(app: PortalApp, req: Request, params: dict[str, Any]) -> Response:
    """Pages of the large benchmark portal, generated on request (see ``portals.bulk``)."""
    from ..portals.bulk import render_bulk

    found = render_bulk(app.data["bulk"], req.path, app.farm.blob)
    if found is None:
        return app._not_found()
    body, content_type = found
    return _resp(app, body, content_type)


def _int(value: Any, default: int) -> int:
    text = str(value or "").strip()
    return int(text) if re.fullmatch(r"-?\d{1,9}", text) else default


HANDLERS = {
    "jpage": jpage,
    "gkmlpt_api": gkmlpt_api,
    "downfile": downfile,
    "was5": was5,
    "calendar": calendar,
    "search": search,
    "bulk": bulk,
    **PROV_HANDLERS,
}
