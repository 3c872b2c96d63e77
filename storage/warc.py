"""WARC/1.1 writer: one gzip member per record, a file series per crawl run, CDXJ on the side.

Record bytes come from :mod:`storage.warcrecord` (SHA-256 digests, raw header bytes kept);
reading and checking use warcio. The clock and record-id source are injectable, so identical
inputs give byte-identical files (tests compare bytes).

Our own record headers (WARC allows extension fields; the ``WARC-X-`` prefix keeps clear of
future standard names):

- ``WARC-X-Nianbao-Run``: the crawl run id (every request, response, revisit and resource);
- ``WARC-X-Nianbao-Rendered``: ``true`` when the page went through the browser, else ``false``;
- ``WARC-X-Nianbao-Discovered-From``: URL of the page whose link led to this fetch;
- ``WARC-X-Nianbao-Resource-Type``: ``rendered-dom`` on the resource record holding a browser's DOM.

A response body must be given de-chunked (as Scrapy and browsers deliver it); a
``Transfer-Encoding`` header is then kept as ``X-Archive-Orig-Transfer-Encoding`` so readers do
not try to de-chunk it again. Content-Encoding is untouched: the body stays as compressed as served.
"""

from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from storage import cdxj
from storage.coltypes import utcnow
from storage.warcrecord import (
    HDR_DISCOVERED_FROM,
    HDR_RENDERED,
    HDR_RESOURCE_TYPE,
    HDR_RUN,
    HTTP_REQUEST,
    HTTP_RESPONSE,
    PROFILE_IDENTICAL,
    PROFILE_NOT_MODIFIED,
    RESERVED,
    HeaderList,
    build_record,
    default_id,
    gzip_member,
    header_value,
    http_request_head,
    http_response_head,
    sha256_b32,
    warc_date,
    warc_fields,
)

__all__ = ["DEFAULT_MAX_SIZE", "WarcWriter", "WrittenRecord", "next_serial", "series_files", "sha256_b32"]

DEFAULT_MAX_SIZE = 1_000_000_000
"""Roll over to the next file past 1 GB, as Heritrix and Browsertrix do."""


@dataclass(frozen=True)
class WrittenRecord:
    """Where a record landed: enough to store a capture row and to read the record back."""

    filename: str
    """WARC file name (no folder)."""
    offset: int
    """Byte offset of the record's gzip member."""
    length: int
    """Compressed length of the member."""
    record_id: str
    """WARC-Record-ID."""
    date: datetime
    """WARC-Date (UTC)."""
    record_type: str
    """response, revisit or resource."""
    payload_digest: str | None
    """sha256:<base32> of the payload (for a revisit, the original's)."""
    payload_size: int | None
    """Payload length in bytes; None for a revisit (it holds no payload)."""


@dataclass(frozen=True)
class _Spec:
    """A record to write: built into bytes only once its file (and warcinfo id) is known."""

    type: str
    id: str
    headers: list[tuple[str, str]]
    content_type: str
    block: bytes
    digest: str | None = None
    index: tuple[str, datetime, str | None, str] | None = None
    payload_size: int | None = None


class WarcWriter:
    """Writes one crawl run's records to ``<prefix>-<run>-<serial>.warc.gz`` files in ``archive_dir``.

    Files are opened lazily, never appended to after a restart (a resumed run starts the next
    serial), and rolled over once the next record group would pass ``max_size``; each starts with
    a ``warcinfo`` record. Every record group is flushed before its position is returned;
    ``fsync=True`` also forces it to disk (survives power loss, not only a killed process).
    """

    def __init__(
        self,
        archive_dir: str | Path,
        run_id: int | str,
        *,
        prefix: str = "nianbao",
        max_size: int = DEFAULT_MAX_SIZE,
        settings: Mapping[str, Any] | None = None,
        operator: str | None = None,
        hostname: str | bool | None = None,
        software: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        id_source: Callable[[], str] = default_id,
        fsync: bool = False,
        compress_level: int = 6,
        index: bool = True,
    ) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_.]+", prefix):
            raise ValueError(f"WARC prefix {prefix!r}: use letters, digits, '_' or '.' only")
        if max_size <= 0:
            raise ValueError(f"WARC max_size {max_size}: must be positive")
        self.archive_dir = Path(archive_dir)
        self.run_id = str(run_id)
        self.prefix = prefix
        self.max_size = max_size
        self.settings = dict(settings or {})
        self.operator = operator
        self.hostname = socket.gethostname() if hostname is True else (hostname or None)
        if software is None:
            from crawler import __version__

            software = f"nianbao/{__version__}"
        self.software = software
        self.clock = clock
        self.id_source = id_source
        self.fsync = fsync
        self.compress_level = compress_level
        self.index = index
        self.files: list[Path] = []
        """Every file this writer created, in order."""
        self._fh: IO[bytes] | None = None
        self._cdx: IO[bytes] | None = None
        self._size = 0
        self._records_in_file = 0
        self._warcinfo_id = ""

    # -- public API --------------------------------------------------------------------------

    @property
    def current_path(self) -> Path | None:
        """The file being written, if one is open."""
        return self.files[-1] if self._fh is not None else None

    def write_exchange(
        self,
        url: str,
        *,
        status: int,
        response_headers: HeaderList,
        body: bytes,
        fetched_at: datetime,
        method: str = "GET",
        request_headers: HeaderList = (),
        request_body: bytes = b"",
        reason: str | None = None,
        protocol: str = "HTTP/1.1",
        ip: str | None = None,
        rendered: bool = False,
        discovered_from: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        truncated: str | None = None,
    ) -> WrittenRecord:
        """Write a ``request`` then a ``response`` record of one fetch; returns the response's place.

        ``body`` is the payload exactly as received (de-chunked, still content-encoded); the
        payload digest is computed over it. ``reason`` defaults to the standard phrase.
        ``truncated`` (``length``, ``time``…) marks a body cut short: ``WARC-Truncated`` on the
        response record.
        """
        what = f"WARC record for {url}"
        req_block = http_request_head(method, url, request_headers, what) + request_body
        resp_head = http_response_head(status, reason, response_headers, protocol, what)
        common = self._common(url, fetched_at, ip, rendered, discovered_from, extra_headers)
        req_id, resp_id = self._ids(2)
        digest = sha256_b32(body)
        mime = header_value(response_headers, "content-type")
        return self._write_group(
            [
                _Spec("request", req_id, [*common, ("WARC-Concurrent-To", resp_id)], HTTP_REQUEST, req_block),
                _Spec(
                    "response",
                    resp_id,
                    [*common, ("WARC-Concurrent-To", req_id), *([("WARC-Truncated", truncated)] if truncated else [])],
                    HTTP_RESPONSE,
                    resp_head + body,
                    digest,
                    (url, fetched_at, mime, str(status)),
                    len(body),
                ),
            ]
        )

    def write_revisit(
        self,
        url: str,
        *,
        original_record_id: str,
        original_uri: str,
        original_date: datetime,
        digest: str,
        status: int,
        response_headers: HeaderList,
        fetched_at: datetime,
        not_modified: bool = False,
        method: str = "GET",
        request_headers: HeaderList = (),
        reason: str | None = None,
        protocol: str = "HTTP/1.1",
        ip: str | None = None,
        rendered: bool = False,
        discovered_from: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> WrittenRecord:
        """Write a ``request`` and a ``revisit`` record for a payload already archived.

        The identical-payload-digest profile is used when the new payload hashed to ``digest``;
        ``not_modified=True`` (a 304 answer to a conditional request) uses server-not-modified.
        The revisit holds the new response's status line and headers, no payload.
        """
        what = f"WARC revisit for {url}"
        req_block = http_request_head(method, url, request_headers, what)
        head = http_response_head(status, reason, response_headers, protocol, what)
        common = self._common(url, fetched_at, ip, rendered, discovered_from, extra_headers)
        req_id, rev_id = self._ids(2)
        refs = [
            ("WARC-Concurrent-To", req_id),
            ("WARC-Profile", PROFILE_NOT_MODIFIED if not_modified else PROFILE_IDENTICAL),
            ("WARC-Refers-To", original_record_id),
            ("WARC-Refers-To-Target-URI", original_uri),
            ("WARC-Refers-To-Date", warc_date(original_date)),
        ]
        return self._write_group(
            [
                _Spec("request", req_id, [*common, ("WARC-Concurrent-To", rev_id)], HTTP_REQUEST, req_block),
                _Spec(
                    "revisit",
                    rev_id,
                    [*common, *refs],
                    HTTP_RESPONSE,
                    head,
                    digest,
                    (url, fetched_at, "warc/revisit", str(status)),
                    None,
                ),
            ]
        )

    def write_rendered(
        self,
        url: str,
        dom_html: str | bytes,
        refers_to_record_id: str | None,
        *,
        rendered_at: datetime | None = None,
        discovered_from: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> WrittenRecord:
        """Write the browser's DOM of ``url`` as a ``resource`` record linked to its response
        (``refers_to_record_id``; None when the page was only ever fetched by the browser)."""
        at = rendered_at or self.clock()
        body = dom_html.encode("utf-8") if isinstance(dom_html, str) else dom_html
        links = (
            [("WARC-Refers-To", refers_to_record_id), ("WARC-Concurrent-To", refers_to_record_id)]
            if refers_to_record_id
            else []
        )
        headers = [
            *self._common(url, at, None, True, discovered_from, extra_headers),
            *links,
            (HDR_RESOURCE_TYPE, "rendered-dom"),
        ]
        (rec_id,) = self._ids(1)
        spec = _Spec(
            "resource",
            rec_id,
            headers,
            "text/html; charset=utf-8",
            body,
            sha256_b32(body),
            (url, at, "text/html", "200"),
            len(body),
        )
        return self._write_group([spec])

    def close(self) -> None:
        """Close the current file and sort its CDXJ index."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        if self._cdx is not None:
            self._cdx.close()
            self._cdx = None
            cdxj.sort_file(cdxj.index_path(self.files[-1]))

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- internals ---------------------------------------------------------------------------

    def _common(
        self,
        url: str,
        at: datetime,
        ip: str | None,
        rendered: bool,
        discovered_from: str | None,
        extra: Mapping[str, str] | None,
    ) -> list[tuple[str, str]]:
        headers = [("WARC-Target-URI", url), ("WARC-Date", warc_date(at))]
        if ip:
            headers.append(("WARC-IP-Address", ip))
        headers.append((HDR_RUN, self.run_id))
        headers.append((HDR_RENDERED, "true" if rendered else "false"))
        if discovered_from:
            headers.append((HDR_DISCOVERED_FROM, discovered_from))
        for name, value in (extra or {}).items():
            if name.lower() in RESERVED:
                raise ValueError(f"extra WARC header {name!r} for {url}: set by the writer itself")
            headers.append((name, value))
        return headers

    def _member(self, spec: _Spec) -> bytes:
        record = build_record(
            spec.type, spec.id, spec.headers, spec.content_type, spec.block, spec.digest, self._warcinfo_id
        )
        return gzip_member(record, self.compress_level)

    def _ids(self, n: int) -> list[str]:
        # The file is opened first so its warcinfo id is drawn before the records' ids, and
        # every record can name the warcinfo of its file.
        if self._fh is None:
            self._open_next()
        return [self.id_source() for _ in range(n)]

    def _write_group(self, specs: list[_Spec]) -> WrittenRecord:
        """Write records to one file (rolling over first if they would overflow it); returns the last's place."""
        members = [self._member(s) for s in specs]
        if self._records_in_file and self._size + sum(map(len, members)) > self.max_size:
            self.close()
            self._open_next()
            members = [self._member(s) for s in specs]
        assert self._fh is not None
        name = self.files[-1].name
        lines = []
        offset = self._size
        self._fh.write(b"".join(members))
        for spec, member in zip(specs, members, strict=True):
            offset = self._size
            self._size += len(member)
            if spec.index is not None and self.index:
                url, at, mime, status = spec.index
                lines.append(
                    cdxj.line(
                        url,
                        at,
                        mime=mime,
                        status=status,
                        digest=spec.digest or "",
                        length=len(member),
                        offset=offset,
                        filename=name,
                    )
                )
        self._records_in_file += len(members)
        self._flush()
        if lines and self._cdx is not None:
            self._cdx.write("".join(lines).encode("utf-8"))
            self._cdx.flush()
        last = specs[-1]
        date = dict(last.headers)["WARC-Date"]
        return WrittenRecord(
            filename=name,
            offset=offset,
            length=len(members[-1]),
            record_id=last.id,
            date=datetime.fromisoformat(date.replace("Z", "+00:00")),
            record_type=last.type,
            payload_digest=last.digest,
            payload_size=last.payload_size,
        )

    def _flush(self) -> None:
        assert self._fh is not None
        self._fh.flush()
        if self.fsync:
            os.fsync(self._fh.fileno())

    def _open_next(self) -> None:
        self.archive_dir.mkdir(parents=True, exist_ok=True)
        serial = next_serial(self.archive_dir, self.prefix, self.run_id)
        path = self.archive_dir / f"{self.prefix}-{self.run_id}-{serial:05d}.warc.gz"
        self._fh = path.open("xb")
        self.files.append(path)
        self._size = 0
        self._records_in_file = 0
        if self.index:
            self._cdx = cdxj.index_path(path).open("xb")
        self._warcinfo_id = ""
        info_id = self.id_source()
        fields = {
            "software": self.software,
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "isPartOf": f"{self.prefix}-run-{self.run_id}",
            "operator": self.operator,
            "hostname": self.hostname,
            "settings": json.dumps(
                masked_settings(self.settings), ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                default=str,
            ),
        }
        info = build_record(
            "warcinfo",
            info_id,
            [("WARC-Date", warc_date(self.clock())), ("WARC-Filename", path.name)],
            "application/warc-fields",
            warc_fields(fields),
        )
        member = gzip_member(info, self.compress_level)
        self._fh.write(member)
        self._size = len(member)
        self._flush()
        self._warcinfo_id = info_id


_URL_PASSWORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*):[^/@]*@")


def masked_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """``settings`` with the password of every URL value (``scheme://user:password@host``, the
    proxy or the database) replaced by ``***``: a warcinfo is shared with the archive, a
    credential never is."""
    return {k: _URL_PASSWORD.sub(r"\1:***@", v) if isinstance(v, str) else v for k, v in settings.items()}


def series_files(archive_dir: str | Path, prefix: str, run_id: int | str) -> list[Path]:
    """The run's WARC files in serial order."""
    pattern = re.compile(rf"{re.escape(prefix)}-{re.escape(str(run_id))}-(\d+)\.warc\.gz")
    found = [
        (int(m.group(1)), p) for p in Path(archive_dir).glob("*.warc.gz") if (m := pattern.fullmatch(p.name))
    ]
    return [p for _, p in sorted(found)]


def next_serial(archive_dir: str | Path, prefix: str, run_id: int | str) -> int:
    """The serial of the run's next file: one past the highest on disk (0 for a new run)."""
    files = series_files(archive_dir, prefix, run_id)
    if not files:
        return 0
    return int(files[-1].name.rsplit("-", 1)[1].split(".")[0]) + 1
