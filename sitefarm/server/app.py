"""One portal as the server sees it: its routes, gate, faults, conditional requests, not-found page."""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..antibot.common import Verdict
from ..antibot.jiasule import JiasuleGate
from ..antibot.ruishu import RuishuGate
from . import handlers
from .http import Request, Response

if TYPE_CHECKING:
    from .chaos import Chaos

HUGE_CHUNK = 256 * 1024


@dataclass
class FarmRuntime:
    """State shared by every portal of one served farm."""

    build_dir: Path
    base_urls: dict[str, str] = field(default_factory=dict)
    log: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=500_000))
    log_offset: int = 0
    chaos: Chaos | None = None
    """Seeded fault injection over every answer (``--chaos``), or None."""
    _blobs: dict[str, bytes] = field(default_factory=dict)
    _linked: dict[str, bytes] = field(default_factory=dict)

    def blob(self, digest: str) -> bytes:
        data = self._blobs.get(digest)
        if data is None:
            data = (self.build_dir / "blobs" / digest).read_bytes()
            self._blobs[digest] = data
        return data

    def linked_blob(self, digest: str) -> bytes:
        """A blob with its placeholders replaced, computed once per blob."""
        data = self._linked.get(digest)
        if data is None:
            data = self._linked[digest] = self.link(self.blob(digest))
        return data

    def link(self, data: bytes) -> bytes:
        """Replace ``{{farm:<portal>}}`` placeholders with served base URLs."""
        for pid, base in self.base_urls.items():
            data = data.replace(b"{{farm:" + pid.encode() + b"}}", base.encode())
        return data.replace(b"{{farm:", b"http://127.0.0.1:9/{{")

    def record(self, entry: dict[str, Any]) -> None:
        if len(self.log) == self.log.maxlen:
            self.log_offset += 1
        self.log.append(entry)


def _gate(spec: dict[str, Any] | None, ttl: float | None) -> RuishuGate | JiasuleGate | None:
    if not spec:
        return None
    if spec["kind"] == "ruishu":
        return RuishuGate(spec["secret"], spec["prefix"], spec["script_path"], ttl or spec["ttl"])
    return JiasuleGate(spec["secret"], ttl or spec["ttl"], spec.get("wait_ms", 300))


class PortalApp:
    """Answers every request to one portal's port."""

    def __init__(self, farm: FarmRuntime, spec: dict[str, Any], challenge_ttl: float | None = None) -> None:
        self.farm = farm
        self.id: str = spec["id"]
        self.server_header: str = spec.get("server", "nginx")
        self.etag_style: str = spec.get("etag", "nginx")
        self.not_found: dict[str, Any] = spec["not_found"]
        self.gate = _gate(spec.get("gate"), challenge_ttl)
        self.gate_exempt: set[str] = set(spec.get("gate_exempt", []))
        self.data: dict[str, Any] = spec.get("data", {})
        self.fallback: str | None = spec.get("fallback")
        routes_path = farm.build_dir / spec["routes"]
        self.routes: dict[str, dict[str, Any]] = json.loads(routes_path.read_text(encoding="utf-8"))
        self.hits: defaultdict[str, int] = defaultdict(int)

    def reset(self) -> None:
        self.hits.clear()

    async def __call__(self, req: Request) -> Response:
        started = time.time()
        resp = await self._answer(req)
        if self.farm.chaos is not None:
            resp = await self.farm.chaos.apply(self, req, resp)
        self.farm.record(
            {
                "t": round(started, 4),
                "portal": self.id,
                "method": req.method,
                "target": req.target,
                "status": 0 if resp.reset else resp.status,
                "ua": req.header("user-agent"),
                "referer": req.header("referer"),
                "cookie": bool(req.header("cookie")),
                "bytes": resp.length if resp.stream else len(resp.body),
            }
        )
        return resp

    async def _answer(self, req: Request) -> Response:
        path = req.path
        if self.gate is not None and path not in self.gate_exempt:
            verdict = self.gate.check(req.header("cookie"), req.header("user-agent"))
            if not verdict.passed:
                return self._challenge(verdict)
        route = self.routes.get(path)
        faults = route.get("f") if route is not None else None
        if route is not None and route.get("t") == "alias":
            route = self.routes.get(route["to"])
            faults = faults or (route or {}).get("f")
        if faults:
            faulted = await self._faults(path, faults)
            if faulted is not None:
                return faulted
        if route is None or route["t"] == "missing":
            if path + "/" in self.routes:
                return self._base(301).header("Location", path + "/")
            if self.fallback:
                return await handlers.dispatch(self.fallback, self, req, {})
            return self._not_found()
        kind = route["t"]
        if kind == "redir":
            return self._base(route["s"]).header("Location", route["l"])
        if kind == "handler":
            return await handlers.dispatch(route["n"], self, req, route["p"])
        if req.method not in ("GET", "HEAD"):
            return self._base(405).header("Allow", "GET, HEAD")
        if kind == "huge":
            return self._huge(req, route)
        return self._file(req, route)

    # -- pieces ------------------------------------------------------------------------------
    def _base(self, status: int, content_type: str = "text/html") -> Response:
        resp = Response(status)
        resp.header("Server", self.server_header)
        if status not in (301, 302, 304):
            resp.header("Content-Type", content_type)
        return resp

    def _challenge(self, verdict: Verdict) -> Response:
        resp = self._base(verdict.status, "text/html; charset=utf-8")
        resp.header("Cache-Control", "no-cache, no-store")
        for cookie in verdict.set_cookies:
            resp.header("Set-Cookie", cookie)
        resp.body = verdict.body
        return resp

    async def _faults(self, path: str, faults: list[dict[str, Any]]) -> Response | None:
        self.hits[path] += 1
        n = self.hits[path]
        for f in faults:
            if f["k"] == "slow":
                await asyncio.sleep(f["d"])
            elif f["k"] == "reset" and (f["n"] == 0 or n <= f["n"]):
                return Response(reset=True)
            elif f["k"] == "fail" and n <= f["n"]:
                resp = self._base(f["s"], "text/html; charset=utf-8")
                if f.get("ra") is not None:
                    resp.header("Retry-After", str(f["ra"]))
                resp.body = _error_page(f["s"])
                return resp
        return None

    def _not_found(self) -> Response:
        nf = self.not_found
        resp = self._base(nf["s"], nf["ct"])
        resp.body = self.farm.blob(nf["b"])
        return resp

    def validators(self, mtime: int, size: int) -> tuple[str, str]:
        # Tomcat: W/"size-mtime_ms"; nginx: "mtime_hex-size_hex". Both stay put while the file does.
        etag = f'W/"{size}-{mtime * 1000}"' if self.etag_style == "tomcat" else f'"{mtime:x}-{size:x}"'
        return etag, formatdate(mtime, usegmt=True)

    def _not_modified(self, req: Request, etag: str, mtime: int) -> bool:
        inm = req.header("if-none-match")
        if inm:
            return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        ims = req.header("if-modified-since")
        if ims:
            try:
                return mtime <= parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def _file(self, req: Request, route: dict[str, Any]) -> Response:
        body = self.farm.linked_blob(route["b"]) if route.get("x") else self.farm.blob(route["b"])
        etag, last_modified = self.validators(route["m"], len(body))
        if route["s"] == 200 and self._not_modified(req, etag, route["m"]):
            return self._base(304).header("ETag", etag).header("Last-Modified", last_modified)
        resp = self._base(route["s"], route["ct"])
        if route["s"] == 200:
            resp.header("ETag", etag).header("Last-Modified", last_modified)
        resp.header("Accept-Ranges", "bytes")
        for name, value in route["h"]:
            resp.header(name, value)
        resp.body = body
        return resp

    def _huge(self, req: Request, route: dict[str, Any]) -> Response:
        size: int = route["size"]
        etag, last_modified = self.validators(route["m"], size)
        resp = self._base(200, route["ct"]).header("ETag", etag).header("Last-Modified", last_modified)

        async def chunks() -> AsyncIterator[bytes]:
            block = bytes(range(256)) * (HUGE_CHUNK // 256)
            sent = 0
            while sent < size:
                piece = block[: min(HUGE_CHUNK, size - sent)]
                sent += len(piece)
                yield piece

        resp.stream = chunks
        resp.length = size
        return resp


def _error_page(status: int) -> bytes:
    title = {
        429: "访问过于频繁，请稍后再试",
        500: "500 Internal Server Error",
        502: "502 Bad Gateway",
        503: "503 Service Temporarily Unavailable",
    }.get(status, f"{status} Error")
    return (
        f"<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center>"
        "<hr><center>nginx</center></body></html>"
    ).encode()
