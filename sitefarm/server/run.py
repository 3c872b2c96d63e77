"""Serving a built farm: every portal on its own 127.0.0.1 port, plus a control port.

The control port (never linked from any portal) answers ``GET /portals`` (base URLs),
``GET /log?portal=<id>&since=<n>`` (requests seen, for politeness assertions) and
``POST /reset`` (forget fault counters and the log, so each test sees first-request faults;
``?chaos_seed=N`` also reseeds chaos) and, in chaos mode, ``GET /chaos`` (the faults injected).
"""

from __future__ import annotations

import asyncio
import json
import socket
from functools import partial
from pathlib import Path
from typing import Any

from .app import FarmRuntime, PortalApp
from .chaos import Chaos, ChaosConfig
from .http import Request, Response, serve_connection


class FarmServer:
    """All listeners of one farm in one asyncio loop."""

    def __init__(
        self,
        build_dir: Path,
        *,
        host: str = "127.0.0.1",
        port_base: int = 0,
        challenge_ttl: float | None = None,
        chaos: ChaosConfig | None = None,
        chaos_log: Path | None = None,
    ) -> None:
        spec_path = build_dir / "farm.json"
        try:
            spec = json.loads(spec_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"build dir {build_dir}: no readable farm.json ({exc})") from exc
        self.host = host
        self.port_base = port_base
        self.runtime = FarmRuntime(build_dir)
        if chaos is not None:
            self.runtime.chaos = Chaos(chaos, chaos_log, self.runtime.base_urls)
        self.apps = [PortalApp(self.runtime, p, challenge_ttl) for p in spec["portals"]]
        self._servers: list[asyncio.base_events.Server] = []
        self.control_url = ""

    @property
    def base_urls(self) -> dict[str, str]:
        return dict(self.runtime.base_urls)

    async def start(self) -> dict[str, str]:
        for i, app in enumerate(self.apps):
            port = await self._listen(app, self.port_base + i if self.port_base else 0)
            self.runtime.base_urls[app.id] = f"http://{self.host}:{port}"
        control_port = self.port_base + len(self.apps) if self.port_base else 0
        port = await self._listen(self._control, control_port)
        self.control_url = f"http://{self.host}:{port}"
        return self.base_urls

    async def _listen(self, handler: Any, port: int) -> int:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, port))
        except OSError as exc:
            sock.close()
            raise OSError(f"port {port} on {self.host}: cannot bind ({exc})") from exc
        sock.listen(1024)
        bound = sock.getsockname()[1]
        server = await asyncio.start_server(
            partial(_connection, handler=handler, port=bound), sock=sock, limit=64 * 1024
        )
        self._servers.append(server)
        return int(bound)

    async def stop(self) -> None:
        for server in self._servers:
            server.close()
        for server in self._servers:
            try:
                await asyncio.wait_for(server.wait_closed(), 1.0)
            except TimeoutError:
                pass
        self._servers.clear()
        if self.runtime.chaos is not None:
            self.runtime.chaos.close()

    def reset(self, chaos_seed: int | None = None) -> None:
        for app in self.apps:
            app.reset()
        self.runtime.log.clear()
        self.runtime.log_offset = 0
        if self.runtime.chaos is not None:
            self.runtime.chaos.reset(chaos_seed)

    async def _control(self, req: Request) -> Response:
        resp = Response(200, [("Content-Type", "application/json")])
        if req.path == "/portals":
            resp.body = json.dumps(self.base_urls).encode()
        elif req.path == "/log":
            since = int(req.query.get("since", "0") or 0)
            portal = req.query.get("portal")
            start = max(0, since - self.runtime.log_offset)
            entries = [e for e in list(self.runtime.log)[start:] if not portal or e["portal"] == portal]
            resp.body = json.dumps(
                {"next": self.runtime.log_offset + len(self.runtime.log), "entries": entries},
                ensure_ascii=False,
            ).encode()
        elif req.path == "/reset" and req.method == "POST":
            seed = req.query.get("chaos_seed")
            self.reset(int(seed) if seed and seed.lstrip("-").isdigit() else None)
            resp.body = b'{"ok": true}'
        elif req.path == "/chaos" and self.runtime.chaos is not None:
            chaos = self.runtime.chaos
            resp.body = json.dumps({"chaos": chaos.config.spec(), "entries": chaos.entries},
                                   ensure_ascii=False).encode()
        else:
            resp.status, resp.body = 404, b'{"error": "unknown control path"}'
        return resp


async def _connection(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, handler: Any, port: int
) -> None:
    await serve_connection(reader, writer, handler, port)
