"""Chaos mode: seeded, transient faults on any request of the served farm.

``python -m sitefarm serve --chaos SEED:RATE[:KINDS]`` (or ``serve_in_process(chaos=…)``) turns
a fraction RATE of the farm's answers into what real portals and their gateways do on a bad day
(all kinds, or the comma-separated KINDS; ``recoverable``: all but the silent ones, below):

- ``reset``        part of the body is sent, then the connection is aborted (TCP RST);
- ``gzip-cut``     the body is sent gzip-encoded (to clients that accept gzip) and the gzip stream
                   ends early, with an honest Content-Length for the bytes sent (a gateway that
                   passed on a cut upstream answer);
- ``length-long``  Content-Length promises more bytes than are sent, then the connection closes;
- ``length-short`` Content-Length declares fewer bytes than the body (the connection closes after
                   it): the tail beyond the declared length is lost, and *no client can tell*;
- ``stall``        the answer waits a few seconds before its headers;
- ``stall-body``   part of the body, a pause of a few seconds, then the rest (a pause longer than a
                   crawler's minimum-rate window on a small body looks like a trickling host);
- ``status``       500, 502, 503 or 429, sometimes with ``Retry-After: 1|2``;
- ``challenge``    an anti-bot challenge for this one request: the portal's own gate (瑞数 412 /
                   加速乐 521) as if its cookie had expired, or a 加速乐 step-1 page on portals with
                   no gate (a WAF switched on for a moment); the browser's reload then passes.

Every decision is a pure function of (seed, request key, attempt): the key is the portal, the
method and the request target (path and query; a POST's body digest too), and the attempt counts
requests with that key since the last reset, from 1. **Faults are transient**: an attempt
≥ ``clean_after`` (3) is always answered correctly, so a crawler that retries a failed request
at least ``clean_after - 1`` times gets every document. The same seed and the same sequence of
requests per key give the same faults, whatever the interleaving across keys.

A kind that needs a body meets an answer without one (HEAD, 304, a redirect's empty body, a
streamed huge file) as a ``status`` fault instead; ``gzip-cut`` to a client that does not accept
gzip becomes a ``reset``.

Each injected fault is appended to an in-memory log (``GET /chaos`` on the control port) and,
when a path is given, to a JSONL file: one line with ``t``, ``portal``, ``url``, ``method``,
``target``, ``attempt``, ``fault``, its ``detail``, and ``client`` (``browser`` when the request
carried Fetch Metadata headers, as Chromium's do, else ``plain``) with the browser's ``dest``
(``document``, ``script``, ``empty`` for XHR/fetch…).
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, Protocol

from ..antibot.common import Verdict
from ..antibot.jiasule import UID, JiasuleGate
from .app import _error_page as error_page
from .http import Request, Response

KINDS: tuple[str, ...] = ("reset", "gzip-cut", "length-long", "length-short", "stall", "stall-body", "status", "challenge")
"""Every fault kind, in the order the seeded draw picks them (each equally likely)."""

BODY_KINDS = frozenset({"reset", "gzip-cut", "length-long", "length-short", "stall-body"})
"""Kinds that need a body to cut; an answer without one (HEAD, 304, a streamed body) gets a
``status`` fault instead."""

SILENT = frozenset({"length-short", "gzip-cut"})
"""Kinds a lenient client takes for a complete answer. A shorter Content-Length cannot be noticed
by any client (the answer is well-formed HTTP); a cut gzip stream could be (its trailer is
missing), but Scrapy's and Chromium's decoders return what they got. A crawler cannot retry what
it does not notice, so these may lose documents; the recoverable kinds may not. (nianbao checks
the stream of its plain requests itself, crawler/middlewares/encoding.py; a rendered page's
document is still taken as Chromium decoded it.)"""

RECOVERABLE = tuple(k for k in KINDS if k not in SILENT)

STATUSES = (500, 502, 503, 429)


@dataclass(frozen=True)
class ChaosConfig:
    """How much chaos: the seed, the share of faulted answers, when answers turn clean."""

    seed: int
    rate: float
    clean_after: int = 3
    """Attempts from this one on are answered correctly (the first is attempt 1)."""
    stall_s: tuple[float, float] = (1.0, 5.0)
    """Range of stall seconds (below a crawler's total timeout; its upper part above a short
    minimum-rate window)."""
    kinds: tuple[str, ...] = KINDS
    """The kinds drawn from (each equally likely)."""

    @classmethod
    def parse(cls, spec: str) -> ChaosConfig:
        """``SEED:RATE[:KIND,KIND…]`` (``7:0.1``, ``7:0.1:reset,status``; ``recoverable`` names
        every kind but the silent ones); ValueError naming what is wrong."""
        parts = spec.split(":")
        try:
            seed, rate = int(parts[0]), float(parts[1])
        except (ValueError, IndexError):
            raise ValueError(f"--chaos {spec!r}: expected SEED:RATE[:KINDS], e.g. 7:0.1") from None
        if len(parts) > 3 or not 0.0 <= rate <= 1.0:
            raise ValueError(f"--chaos {spec!r}: expected SEED:RATE[:KINDS] with 0 ≤ RATE ≤ 1")
        kinds = KINDS
        if len(parts) == 3:
            names = [k.strip() for k in parts[2].split(",") if k.strip()]
            kinds = RECOVERABLE if names == ["recoverable"] else tuple(names)
            unknown = [k for k in kinds if k not in KINDS]
            if unknown or not kinds:
                raise ValueError(f"--chaos {spec!r}: unknown kinds {unknown}; known: {', '.join(KINDS)}")
        return cls(seed, rate, kinds=kinds)

    def spec(self) -> str:
        base = f"{self.seed}:{self.rate:g}"
        return base if self.kinds == KINDS else base + ":" + ",".join(self.kinds)


@dataclass(frozen=True)
class Fault:
    """One decided fault: its kind and the seeded fraction that sizes it (cut point, seconds…)."""

    kind: str
    u: float
    pick: int


def request_key(portal: str, req: Request) -> str:
    """What identifies "the same request" across retries: portal, method, target, POST body."""
    key = f"{portal} {req.method} {req.target}"
    if req.body:
        key += " " + hashlib.sha1(req.body).hexdigest()[:16]
    return key


def decide(config: ChaosConfig, key: str, attempt: int) -> Fault | None:
    """The fault for attempt ``attempt`` (1-based) of ``key``, or None: pure and seeded."""
    if attempt >= config.clean_after or config.rate <= 0:
        return None
    h = hashlib.sha256(f"{config.seed}\x00{key}\x00{attempt}".encode()).digest()
    if int.from_bytes(h[:8], "big") / 2**64 >= config.rate:
        return None
    kind = config.kinds[int.from_bytes(h[8:12], "big") % len(config.kinds)]
    return Fault(kind, int.from_bytes(h[12:20], "big") / 2**64, int.from_bytes(h[20:24], "big"))


class Portal(Protocol):
    """What chaos needs of a portal app (sitefarm.server.app.PortalApp)."""

    id: str
    gate: Any

    def _challenge(self, verdict: Verdict) -> Response: ...


@dataclass
class Chaos:
    """The running chaos of one served farm: attempt counters and the fault log."""

    config: ChaosConfig
    log_path: Path | None = None
    base_urls: dict[str, str] = field(default_factory=dict)
    entries: list[dict[str, Any]] = field(default_factory=list)
    _attempts: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    _fh: IO[str] | None = None

    def reset(self, seed: int | None = None) -> None:
        """Forget attempts and the in-memory log (the file keeps its lines); optionally reseed."""
        self._attempts.clear()
        self.entries.clear()
        if seed is not None:
            self.config = replace(self.config, seed=seed)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    async def apply(self, app: Portal, req: Request, resp: Response) -> Response:
        """``resp`` (the correct answer to ``req``) as this attempt's fault makes it."""
        key = request_key(app.id, req)
        self._attempts[key] += 1
        attempt = self._attempts[key]
        fault = decide(self.config, key, attempt)
        if fault is None:
            return resp
        kind = fault.kind
        has_body = bool(resp.body) and resp.stream is None and req.method != "HEAD" and resp.status != 304
        if kind in BODY_KINDS and not has_body:
            kind = "status"
        if kind == "gzip-cut" and "gzip" not in req.header("accept-encoding").lower():
            kind = "reset" if "reset" in self.config.kinds else "status"
        out, detail = await self._make(kind, fault, app, req, resp)
        self._record(app.id, req, attempt, kind, detail)
        return out

    async def _make(
        self, kind: str, fault: Fault, app: Portal, req: Request, resp: Response
    ) -> tuple[Response, dict[str, Any]]:
        body = resp.body
        low, high = self.config.stall_s
        seconds = round(low + fault.u * (high - low), 2)
        # Cut points between a tenth and nine tenths of the body: never nothing, never all.
        cut = max(1, min(len(body) - 1, int(len(body) * (0.1 + 0.8 * fault.u)))) if body else 0
        if kind == "stall":
            await asyncio.sleep(seconds)
            return resp, {"seconds": seconds}
        if kind == "status":
            status = STATUSES[fault.pick % len(STATUSES)]
            out = Response(status, [("Server", _server(resp)), ("Content-Type", "text/html; charset=utf-8")])
            out.body = error_page(status)
            retry_after = (1, 2, None)[fault.pick // 7 % 3] if status in (429, 503) else None
            if retry_after is not None:
                out.header("Retry-After", str(retry_after))
            return out, {"status": status, "retry_after": retry_after}
        if kind == "challenge":
            return self._challenge(app, req, resp), {"gate": "portal" if app.gate is not None else "jiasule"}
        if kind == "reset":
            resp.stream, resp.length = _pieces(body[:cut], reset=True), len(body)
            return resp, {"after_bytes": cut, "of": len(body)}
        if kind == "stall-body":
            resp.stream, resp.length = _pieces(body[:cut], seconds, body[cut:]), len(body)
            return resp, {"after_bytes": cut, "seconds": seconds, "of": len(body)}
        if kind == "gzip-cut":
            packed = gzip.compress(body, compresslevel=6, mtime=0)
            sent = max(1, int(len(packed) * (0.1 + 0.8 * fault.u)))
            _drop_header(resp, "content-length")
            resp.header("Content-Encoding", "gzip").header("Vary", "Accept-Encoding")
            resp.body = packed[:sent]
            return resp, {"gzip_bytes": sent, "of": len(packed), "body": len(body)}
        # length-long / length-short: the header lies, the body is the true one, then close.
        declared = len(body) + 1 + fault.pick % 4096 if kind == "length-long" else cut
        _drop_header(resp, "content-length")
        resp.header("Content-Length", str(declared))
        resp.close = True
        return resp, {"declared": declared, "sent": len(body)}

    def _challenge(self, app: Portal, req: Request, resp: Response) -> Response:
        if app.gate is not None:
            # The portal's own gate, as if the client's cookie had expired.
            return app._challenge(app.gate.check("", req.header("user-agent")))
        gate = JiasuleGate(f"chaos-{self.config.seed}")
        uid = gate.issue_uid(time.time())
        page = Verdict(False, 521, gate.step1_page(uid).encode(),
                       (f"{UID}={uid}; max-age=31536000; path=/; HttpOnly",), "521-1")
        return app._challenge(page)

    def _record(self, portal: str, req: Request, attempt: int, kind: str, detail: dict[str, Any]) -> None:
        entry = {
            "t": round(time.time(), 4),
            "portal": portal,
            "url": self.base_urls.get(portal, "") + req.target,
            "method": req.method,
            "target": req.target,
            "attempt": attempt,
            "fault": kind,
            "detail": detail,
            # Chromium sends Fetch Metadata headers, Scrapy does not: who met the fault.
            "client": "browser" if req.header("sec-fetch-mode") else "plain",
            "dest": req.header("sec-fetch-dest") or None,
        }
        self.entries.append(entry)
        if self.log_path is not None:
            if self._fh is None:
                self.log_path.parent.mkdir(parents=True, exist_ok=True)
                self._fh = self.log_path.open("a", encoding="utf-8")
            self._fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self._fh.flush()


def _pieces(first: bytes, pause: float = 0.0, rest: bytes = b"", *, reset: bool = False) -> Any:
    """A stream: ``first``, then a pause and ``rest``, or an abort (ConnectionResetError ends the
    connection with a RST in serve_connection)."""

    async def chunks() -> AsyncIterator[bytes]:
        yield first
        if reset:
            # Let the client read what was sent before the RST discards its receive buffer.
            await asyncio.sleep(0.05)
            raise ConnectionResetError("chaos: reset mid-body")
        await asyncio.sleep(pause)
        yield rest

    return chunks


def _drop_header(resp: Response, name: str) -> None:
    resp.headers = [(k, v) for k, v in resp.headers if k.lower() != name]


def _server(resp: Response) -> str:
    return next((v for k, v in resp.headers if k.lower() == "server"), "nginx")
