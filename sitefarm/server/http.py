"""A small HTTP/1.1 server on asyncio streams: keep-alive, HEAD, request bodies, streaming.

Why not Twisted or http.server: the crawler under test runs Scrapy on Twisted, whose reactor
cannot share a process with a second one, and ThreadingHTTPServer spends a thread per
connection. One asyncio loop serves every portal's port with a few hundred lines we control,
which is what fault injection (resets, stalls, 300 MB streams) needs anyway.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from urllib.parse import parse_qsl, unquote, urlsplit

MAX_HEAD = 64 * 1024
MAX_BODY = 4 * 1024 * 1024

REASONS = {
    200: "OK",
    206: "Partial Content",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    412: "Precondition Failed",
    413: "Payload Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    521: "",
}


@dataclass
class Request:
    """One parsed request; header names are lower-case."""

    method: str
    target: str
    version: str
    headers: dict[str, str]
    body: bytes = b""
    port: int = 0

    @property
    def path(self) -> str:
        return unquote(urlsplit(self.target).path) or "/"

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.target).query, keep_blank_values=True))

    def form(self) -> dict[str, str]:
        """The urlencoded body of a POST (what jpage and search forms send)."""
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name, default)


@dataclass
class Response:
    """What to send back; ``stream`` replaces ``body`` for bodies too large to hold."""

    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    stream: Callable[[], AsyncIterator[bytes]] | None = None
    length: int | None = None
    reset: bool = False
    """Abort the connection with a TCP RST instead of answering."""
    close: bool = False
    """Close the connection after this response (a stream may also raise ConnectionError to abort)."""

    def header(self, name: str, value: str) -> Response:
        self.headers.append((name, value))
        return self


Handler = Callable[[Request], Awaitable[Response]]


def _head_bytes(resp: Response, keep_alive: bool, length: int) -> bytes:
    reason = REASONS.get(resp.status, "")
    lines = [f"HTTP/1.1 {resp.status} {reason}".rstrip()]
    names = set()
    for name, value in resp.headers:
        names.add(name.lower())
        lines.append(f"{name}: {value}")
    if "date" not in names:
        lines.append(f"Date: {formatdate(usegmt=True)}")
    if resp.status != 304 and "content-length" not in names:
        lines.append(f"Content-Length: {length}")
    lines.append("Connection: keep-alive" if keep_alive else "Connection: close")
    # Latin-1 carries raw bytes: real servers send GBK file names in Content-Disposition.
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


def _abort(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.transport.abort()


async def _read_request(reader: asyncio.StreamReader, port: int) -> Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        return None
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3:
        return Request("BAD", "/", "HTTP/1.0", {}, port=port)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            key = name.strip().lower()
            headers[key] = (
                f"{headers[key]}; {value.strip()}" if key == "cookie" and key in headers else value.strip()
            )
    body = b""
    length = headers.get("content-length", "0")
    if length.isdigit() and int(length) > 0:
        if int(length) > MAX_BODY:
            return Request("TOOBIG", parts[1], parts[2], headers, port=port)
        try:
            body = await reader.readexactly(int(length))
        except (asyncio.IncompleteReadError, ConnectionError):
            return None
    return Request(parts[0].upper(), parts[1], parts[2], headers, body, port)


async def serve_connection(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, handler: Handler, port: int
) -> None:
    """Answer requests on one connection until the client or a response closes it."""
    try:
        while True:
            req = await _read_request(reader, port)
            if req is None:
                break
            if req.method in ("BAD", "TOOBIG"):
                status = 400 if req.method == "BAD" else 413
                writer.write(_head_bytes(Response(status), False, 0))
                break
            resp = await handler(req)
            if resp.reset:
                _abort(writer)
                return
            conn = req.header("connection").lower()
            keep_alive = not resp.close and conn != "close" and (req.version == "HTTP/1.1" or conn == "keep-alive")
            if resp.stream is None:
                body = b"" if req.method == "HEAD" or resp.status in (204, 304) else resp.body
                writer.write(_head_bytes(resp, keep_alive, len(resp.body)) + body)
                if writer.transport.get_write_buffer_size() > 256 * 1024:
                    await writer.drain()
            else:
                writer.write(_head_bytes(resp, keep_alive, resp.length or 0))
                if req.method != "HEAD":
                    async for chunk in resp.stream():
                        writer.write(chunk)
                        await writer.drain()
            if not keep_alive:
                await writer.drain()
                break
    except ConnectionError:
        _abort(writer)
        return
    except asyncio.CancelledError:
        _abort(writer)
        raise
    try:
        writer.close()
    except RuntimeError:
        pass
