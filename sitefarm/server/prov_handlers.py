"""Dynamic endpoints of the "prov" portal (sitefarm.portals.prov): a TRS search service behind a
动静结合 list, a JSON list API behind a 加载更多 button, and a JSP list answering only form POSTs.

Each reads ``app.data["prov"]`` written at build time; none of them keeps state between requests.
"""

from __future__ import annotations

import html
import json
import re
from typing import TYPE_CHECKING, Any

from .http import Request, Response

if TYPE_CHECKING:
    from .app import PortalApp

TOMCAT_405 = (
    '<!doctype html><html lang="en"><head><title>HTTP Status 405 – Method Not Allowed</title>'
    '<style type="text/css">body {font-family:Tahoma,Arial,sans-serif;} h1 {font-size:22px;}</style></head>'
    '<body><h1>HTTP Status 405 – Method Not Allowed</h1><hr class="line" /><p><b>Type</b> Status Report</p>'
    "<p><b>Message</b> Request method &#39;GET&#39; not supported</p><p><b>Description</b> The method received "
    "in the request-line is known by the origin server but not supported by the target resource.</p>"
    '<hr class="line" /><h3>Apache Tomcat/8.5.73</h3></body></html>'
)
"""What a Spring ``@PostMapping`` behind Tomcat answers to a plain GET."""


def _resp(app: PortalApp, body: str | bytes, content_type: str, status: int = 200) -> Response:
    resp = app._base(status, content_type)
    resp.body = body.encode("utf-8") if isinstance(body, str) else body
    return resp


def _int(value: Any, default: int, low: int = 1, high: int = 100) -> int:
    text = str(value or "").strip()
    n = int(text) if re.fullmatch(r"-?\d{1,9}", text) else default
    return max(low, min(high, n))


def _args(req: Request) -> dict[str, str]:
    return req.query | (req.form() if req.method == "POST" else {})


def trs_search(app: PortalApp, req: Request, params: dict[str, Any]) -> Response:
    """TRS search service ``SiteInfo.searchUrl``: the docs of one channel (``classsql=chnlid=N``)
    for ``page``/``prepage``, as JSON whose abstracts hold raw line breaks (as WAS answers do)."""
    data = app.data["prov"]["search"]
    args = _args(req)
    m = re.fullmatch(r"\s*chnlid\s*=\s*(\d+)\s*", args.get("classsql", ""))
    docs: list[dict[str, str]] = []
    if str(args.get("channelid", "")) == str(data["searchId"]) and m:
        docs = data["channels"].get(m.group(1), [])
    prepage = _int(args.get("prepage"), 10)
    page = _int(args.get("page"), 1, high=100_000)
    chunk = docs[(page - 1) * prepage : page * prepage]
    # raw CR/LF inside the abstracts make the answer invalid JSON until they are stripped, as on
    # the WAS endpoints of fujian.gov.cn (gov-sites.md §1)
    rows = [
        json.dumps(
            {
                "docid": d["docid"],
                "doctitle": d["title"],
                "docpuburl": d["url"],
                "docreltime": d["time"],
                "chnlname": d["chnlname"],
                "docabstract": "@ABSTRACT@",
            },
            ensure_ascii=False,
        ).replace("@ABSTRACT@", d["abstract"])
        for d in chunk
    ]
    head = {"total": len(docs), "page": page, "prepage": prepage}
    meta = json.dumps(head)[1:-1]
    body = (
        f'{{"code": "0", "msg": "success", "data": {{{meta}, "docs": [\r\n' + ",\r\n".join(rows) + "\r\n]}}"
    )
    return _resp(app, app.farm.link(body.encode("utf-8")), "application/json;charset=UTF-8")


def column_list(app: PortalApp, req: Request, params: dict[str, Any]) -> Response:
    """``/api/column/list?columnId=&page=&pageSize=``: what the 加载更多 script asks for."""
    items = app.data["prov"]["xhr"].get(req.query.get("columnId", ""), [])
    size = _int(req.query.get("pageSize"), 3, high=50)
    page = _int(req.query.get("page"), 1, high=100_000)
    body = {
        "total": len(items),
        "pageSize": size,
        "page": page,
        "data": items[(page - 1) * size : page * size],
    }
    return _resp(app, json.dumps(body, ensure_ascii=False), "application/json;charset=UTF-8")


def list_do(app: PortalApp, req: Request, params: dict[str, Any]) -> Response:
    """``/search/list.do``: a column's result page for the POSTed columnId/pageNo/pageSize (and the
    title/year filters of its form); a GET is refused as Spring refuses it."""
    if req.method != "POST":
        return _resp(app, TOMCAT_405, "text/html;charset=utf-8", 405).header("Allow", "POST")
    form = req.form()
    column = app.data["prov"]["listdo"].get(form.get("columnId", ""))
    if column is None:
        return _resp(app, app.data["prov"]["listdo_error"], "text/html;charset=UTF-8")
    title, year = form.get("title", "").strip(), form.get("year", "").strip()
    items = [it for it in column["items"] if title in it[0] and (not year or it[2].startswith(year))]
    size = _int(form.get("pageSize"), column["pageSize"], high=50)
    pages = max(1, -(-len(items) // size))
    page = _int(form.get("pageNo"), 1, high=pages)
    rows = "".join(
        f'<li><a href="{html.escape(href)}" title="{html.escape(t)}" target="_blank">{html.escape(t)}</a>'
        f'<span class="date">{day}</span></li>\n'
        for t, href, day in items[(page - 1) * size : page * size]
    )
    buttons = [("首页", 1), ("上一页", max(1, page - 1)), ("下一页", min(pages, page + 1)), ("尾页", pages)]
    pager = " ".join(
        f'<a href="javascript:void(0);" onclick="goPage({n})">{label}</a>' for label, n in buttons
    )
    years = "".join(
        f'<option value="{y}"{" selected" if y == year else ""}>{y}年</option>' for y in column["years"]
    )
    block = (
        f'<ul class="result-list">\n{rows}</ul>\n'
        f'<div class="pagination"><span>共{len(items)}条 共{pages}页 当前第{page}页</span> {pager}</div>\n'
        '<form id="pageForm" name="pageForm" method="post" action="/search/list.do">\n'
        f'<input type="hidden" name="columnId" value="{html.escape(form.get("columnId", ""))}">\n'
        f'<input type="hidden" name="pageNo" id="pageNo" value="{page}">\n'
        f'<input type="hidden" name="pageSize" value="{size}">\n'
        f'标题：<input type="text" name="title" value="{html.escape(title)}"> 年份：<select name="year">'
        f'<option value="">全部</option>{years}</select> <button type="submit">查询</button>\n</form>\n'
    )
    return _resp(app, column["template"].replace("<!--LIST-->", block), "text/html;charset=UTF-8")


HANDLERS = {"prov_trs_search": trs_search, "prov_column_list": column_list, "prov_list_do": list_do}
