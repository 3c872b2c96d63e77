"""A test-only walker that reaches farm pages the way a browser user would, without a browser.

It follows ``<a href>`` links and also does what each portal's scripts do: expands TRS
``createPageHTML`` pagers (WAS5 beyond the static pages), reads Hanweb inline datastores and
POSTs to ``dataproxy.jsp``, and calls the gkmlpt JSON API behind hash routes. It obeys
robots.txt, retries 429/5xx/resets, caps redirects and refuses huge bodies. It is a yardstick
for the farm, not the product crawler.
"""

from __future__ import annotations

import http.client
import json
import re
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlencode, urljoin, urlsplit

import lxml.html
from protego import Protego

MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Fetched:
    """One URL as finally answered (after redirects and retries)."""

    url: str
    status: int
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    redirects: list[str] = field(default_factory=list)
    attempts: int = 1
    error: str = ""


def fetch(
    url: str,
    *,
    method: str = "GET",
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    retries: int = 4,
    max_redirects: int = 8,
    max_bytes: int = MAX_BYTES,
) -> Fetched:
    """GET/POST with manual redirects, retries on 429/5xx/resets (honouring Retry-After), size cap."""
    chain: list[str] = []
    attempts = 0
    while True:
        attempts += 1
        parts = urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        hdrs = {"User-Agent": "farm-walker/1", **(headers or {})}
        if data is not None:
            hdrs.setdefault("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
        try:
            conn.request(method, target or "/", body=data, headers=hdrs)
            resp = conn.getresponse()
            head = {k.lower(): v for k, v in resp.getheaders()}
            length = int(head.get("content-length", "0") or 0)
            if length > max_bytes:
                conn.close()
                return Fetched(
                    url,
                    resp.status,
                    head.get("content-type", ""),
                    head,
                    b"",
                    chain,
                    attempts,
                    f"refused: {length} bytes",
                )
            body = resp.read()
        except (ConnectionError, http.client.HTTPException) as exc:
            conn.close()
            if attempts <= retries:
                continue
            return Fetched(url, 0, redirects=chain, attempts=attempts, error=repr(exc))
        conn.close()
        if resp.status in (429, 500, 502, 503) and attempts <= retries:
            time.sleep(min(float(head.get("retry-after", "0.1") or 0.1), 3.0))
            continue
        if resp.status in (301, 302, 303, 307) and "location" in head:
            chain.append(url)
            url = urljoin(url, head["location"])
            if url in chain or len(chain) > max_redirects:
                return Fetched(url, resp.status, redirects=chain, attempts=attempts, error="redirect loop")
            method, data, attempts = ("GET", None, 0) if resp.status != 307 else (method, data, 0)
            continue
        return Fetched(url, resp.status, head.get("content-type", ""), head, body, chain, attempts)


def decode(f: Fetched) -> str:
    """Header charset first, then the meta charset, then GB18030 (what a careful browser user sees)."""
    m = re.search(r"charset=([\w-]+)", f.content_type)
    tried = [m.group(1)] if m else []
    meta = re.search(rb"charset=[\"']?([\w-]+)", f.body[:2048])
    if meta:
        tried.append(meta.group(1).decode())
    for cs in [*tried, "utf-8", "gb18030"]:
        cs = "gb18030" if cs.lower() in ("gb2312", "gbk") else cs
        try:
            return f.body.decode(cs)
        except (UnicodeDecodeError, LookupError):
            continue
    return f.body.decode("utf-8", "replace")


class Walker:
    """Breadth-first over one portal, recording every answer."""

    def __init__(self, base: str, *, skip_params: tuple[str, ...] = ("date", "searchWord")) -> None:
        self.base = base.rstrip("/")
        self.skip_params = skip_params
        self.seen: dict[str, Fetched] = {}
        robots = fetch(self.base + "/robots.txt")
        self.robots = Protego.parse(robots.body.decode("utf-8", "replace") if robots.status == 200 else "")
        self.blocked: set[str] = set()

    def key(self, url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def allowed(self, url: str) -> bool:
        if not url.startswith(self.base + "/"):
            return False
        if any(f"{p}=" in urlsplit(url).query for p in self.skip_params):
            return False
        if not self.robots.can_fetch(url, "farm-walker"):
            self.blocked.add(self.key(url))
            return False
        return True

    def walk(self, start: str = "/", limit: int = 20000) -> dict[str, Fetched]:
        queue: deque[str] = deque([self.base + start])
        done: set[tuple[str, str]] = set()
        while queue and len(self.seen) < limit:
            url, frag = urldefrag(queue.popleft())
            if (self.key(url), frag) in done:
                continue
            done.add((self.key(url), frag))
            f = self.seen.get(self.key(url)) or fetch(url)
            self.seen[self.key(url)] = f
            self.seen.setdefault(self.key(f.url), f)
            for nxt in self.links(f, frag):
                plain, nfrag = urldefrag(nxt)
                if self.allowed(plain) and (self.key(plain), nfrag) not in done:
                    queue.append(nxt)
        return self.seen

    # -- what scripts would do ---------------------------------------------------------------
    def links(self, f: Fetched, frag: str = "") -> list[str]:
        if f.status != 200 or not (
            "html" in f.content_type or "xml" in f.content_type or "json" in f.content_type
        ):
            return []
        text = decode(f)
        out: list[str] = []
        if "json" in f.content_type:
            return [a["url"] for a in json.loads(text).get("articles", [])]
        if text.strip():
            doc = lxml.html.fromstring(text) if "<" in text else None
            if doc is not None:
                out += [
                    urljoin(f.url, h)
                    for h in doc.xpath("//a/@href")
                    if not h.startswith(("javascript:", "mailto:"))
                ]
        out += self._trs_pager(f.url, text)
        out += self._datastore(f.url, text)
        out += self._gkmlpt(f.url, text, frag)
        return out

    def _trs_pager(self, url: str, text: str) -> list[str]:
        m = re.search(r'createPageHTML\(\s*countPage\s*,\s*currentPage\s*,\s*"(\w+)"\s*,\s*"(\w+)"', text)
        count = re.search(r"var countPage = (\d+)", text)
        if not m or not count:
            return []
        static = re.search(r"var maxStaticPage = (\d+)", text)
        was5 = re.search(r'var was5Url = "([^"]+)"', text)
        out = []
        for i in range(int(count.group(1))):
            if static and was5 and i >= int(static.group(1)):
                out.append(urljoin(url, f"{was5.group(1)}&page={i + 1}"))
            else:
                out.append(
                    urljoin(url, f"{m.group(1)}.{m.group(2)}" if i == 0 else f"{m.group(1)}_{i}.{m.group(2)}")
                )
        return out

    def _datastore(self, url: str, text: str) -> list[str]:
        store = re.search(r'<script type="text/xml">(.*?)</script>', text, re.S)
        if not store:
            return []
        records = re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", store.group(1), re.S)
        hrefs = [h for r in records for h in re.findall(r"href='([^']+)'", r)]
        param = re.search(r"var param_(\w+) = \{(.*?)\};", text, re.S)
        total = int(re.search(r"totalRecord:(\d+)", text).group(1))  # type: ignore[union-attr]
        per = int(re.search(r"perPage:(\d+)", text).group(1))  # type: ignore[union-attr]
        group = int(re.search(r"groupSize:(\d+)", text).group(1))  # type: ignore[union-attr]
        form = dict(re.findall(r"(\w+):'?([^,']*)'?", param.group(2))) if param else {}
        start = len(records) + 1
        while start <= total:
            end = start + per * group - 1
            q = urlencode({"startrecord": start, "endrecord": end, "perpage": per})
            got = fetch(
                urljoin(url, f"/module/web/jpage/dataproxy.jsp?{q}"),
                method="POST",
                data=urlencode(form).encode(),
                headers={"X-Requested-With": "XMLHttpRequest", "Referer": url},
            )
            self.seen[f"/module/web/jpage/dataproxy.jsp?{q}"] = got
            new = re.findall(r"href='([^']+)'", got.body.decode("utf-8"))
            if not new:
                break
            hrefs += new
            start = end + 1
        return [urljoin(url, h) for h in hrefs]

    def _gkmlpt(self, url: str, text: str, frag: str) -> list[str]:
        m = re.search(r"window\._CONFIG = (\{.*?\});</script>", text, re.S)
        if not m:
            return []
        config = json.loads(m.group(1))
        out = []
        if "DETAIL" in config:
            out += [urljoin(url, a["url"]) for a in config["DETAIL"].get("attachments", [])]
            doc = lxml.html.fromstring(f"<div>{config['DETAIL']['content']}</div>")
            out += [urljoin(url, h) for h in doc.xpath("//a/@href")]
            return out
        cols = {str(frag.split("/")[0]) if frag else str(config.get("DEFAULT_COL"))}
        for col in cols:
            page = 1
            while True:
                api = f"/gkmlpt/api/all/{col}?page={page}&sid={config['SID']}"
                got = fetch(urljoin(url, api))
                self.seen[api] = got
                data = json.loads(got.body)
                out += [a["url"] for a in data["articles"]]
                if page * 100 >= data["total"]:
                    break
                page += 1
        return out
