"""The farm's ground truth: what each portal holds, where, and what a correct crawl must find.

Written at build time with URL *paths* (ports are chosen when serving); :meth:`Manifest.url`
resolves a path against the base URLs of a running farm. The JSON mirrors these dataclasses
field by field (see :meth:`Manifest.to_json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

SCHEMA = 1


@dataclass(frozen=True)
class PortalInfo:
    """One portal: which real style it imitates and where its disclosure section is."""

    id: str
    style: str
    """``trs-wcm``, ``hanweb-jcms``, ``gkmlpt``, ``ruishu``, ``jiasule``, ``city-cms``, ``bulk``."""
    imitates: str
    """A sentence a person can read: the real sites and behaviours this portal copies."""
    name: str
    """Site name (SiteName meta), e.g. ``示范市人民政府``."""
    domain: str
    """The domain it pretends to be (never resolved; links use the served base URL)."""
    home: str
    disclosure: str
    """Path of the 政府信息公开 section page."""
    report_columns: tuple[str, ...]
    """Paths of the annual-report column(s) as linked (hash routes included)."""
    charset: str
    challenge: str | None = None
    """``ruishu`` (412 + JS cookie) or ``jiasule`` (521 + JS cookie) when every page is gated."""
    client_rendered: bool = False
    robots_disallow: tuple[str, ...] = ()
    soft_404: bool = False


@dataclass(frozen=True)
class Location:
    """One URL at which a report (or part of it) can be fetched."""

    path: str
    kind: str
    """``article`` (HTML page), ``attachment`` (file), ``api`` (JSON/XML holding the body)."""
    format: str
    """Rendering: ``body``, ``html``, ``pdf``, ``docx``, ``doc``, ``wps``, ``xls``, ``xlsx``, ``scan-pdf``…"""
    holds_values: bool
    """True when a correct parser reads the expected values from this URL alone."""
    expected: Mapping[str, Any] | None = None
    """Field values a correct parser reads here (None when it holds no table values)."""
    style: str = "word"
    role: str = "primary"
    """``primary``, ``repost`` (same report in a second column) or ``copy`` (attachment of an article)."""
    content_type: str = ""
    """Content-Type as served (deliberately wrong on some attachments)."""
    via: tuple[str, ...] = ()
    """Paths that redirect here (e.g. Hanweb ``downfile.jsp``), in link order."""
    needs_browser: bool = False
    charset: str = ""
    note: str = ""


@dataclass(frozen=True)
class Version:
    """The values a report showed from ``since`` on (edited reports have two)."""

    since: str
    values: Mapping[str, Any]
    consistent: bool


@dataclass(frozen=True)
class ReportEntry:
    """One 政府信息公开工作年度报告 as published on one portal."""

    id: str
    """Stable across ``as_of``: ``<portal>:<unit>:<year>``."""
    portal: str
    agency: str
    year: int
    template: str
    title: str
    published: str
    column: str
    """Path of the list column that links it."""
    consistent: bool
    values: Mapping[str, Any]
    legacy_rows: Mapping[str, Any]
    locations: tuple[Location, ...]
    versions: tuple[Version, ...] = ()
    known: str = ""
    """Name of the seed/realdata case it comes from, if any."""

    def paths(self) -> list[str]:
        return [loc.path for loc in self.locations]


@dataclass(frozen=True)
class PageEntry:
    """A noise page or a trap/fault, with what it is."""

    portal: str
    path: str
    kind: str
    title: str = ""
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """Something that happened to a published report on ``date`` (on or before ``as_of``)."""

    date: str
    kind: str
    """``edited``, ``removed``, ``moved`` (``new`` is implied by ``ReportEntry.published``)."""
    report: str
    portal: str
    old_path: str = ""
    new_path: str = ""
    old_status: int = 0
    """What the old path answers now (404 for moved/removed TRS files, 200 for edits)."""


@dataclass(frozen=True)
class Manifest:
    """Everything a test needs to judge a crawl of the farm."""

    seed: int
    as_of: str
    size: str
    portals: tuple[PortalInfo, ...]
    reports: tuple[ReportEntry, ...]
    noise: tuple[PageEntry, ...]
    traps: tuple[PageEntry, ...]
    browser_pages: tuple[PageEntry, ...]
    changes: tuple[Change, ...]
    counts: Mapping[str, Any] = field(default_factory=dict)
    base_urls: Mapping[str, str] = field(default_factory=dict)
    schema: int = SCHEMA

    # -- lookups -----------------------------------------------------------------------------
    def portal(self, portal_id: str) -> PortalInfo:
        for p in self.portals:
            if p.id == portal_id:
                return p
        raise KeyError(f"portal {portal_id!r} not in manifest")

    def report(self, report_id: str) -> ReportEntry:
        for r in self.reports:
            if r.id == report_id:
                return r
        raise KeyError(f"report {report_id!r} not in manifest")

    def reports_of(self, portal_id: str) -> list[ReportEntry]:
        return [r for r in self.reports if r.portal == portal_id]

    def traps_of(self, kind: str) -> list[PageEntry]:
        return [t for t in self.traps if t.kind == kind]

    def iter_locations(self) -> Iterator[tuple[ReportEntry, Location]]:
        for r in self.reports:
            for loc in r.locations:
                yield r, loc

    # -- URLs --------------------------------------------------------------------------------
    def with_base_urls(self, base_urls: Mapping[str, str]) -> Manifest:
        """This manifest bound to a running farm's ``{portal id: "http://127.0.0.1:port"}``."""
        missing = {p.id for p in self.portals} - set(base_urls)
        if missing:
            raise ValueError(f"base_urls: no URL for portals {sorted(missing)}")
        return replace(self, base_urls=dict(base_urls))

    def url(self, portal_id: str, path: str) -> str:
        if not self.base_urls:
            raise RuntimeError("manifest has no base URLs: call with_base_urls() with the served farm's")
        return self.base_urls[portal_id].rstrip("/") + path

    def home_url(self, portal_id: str) -> str:
        return self.url(portal_id, self.portal(portal_id).home)

    # -- JSON --------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Manifest:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"manifest schema {data.get('schema')!r}: this code reads schema {SCHEMA}")

        def tup(item: Any) -> Any:
            return tuple(item) if isinstance(item, list) else item

        portals = tuple(PortalInfo(**{k: tup(v) for k, v in p.items()}) for p in data["portals"])
        reports = tuple(
            ReportEntry(
                **{k: v for k, v in r.items() if k not in ("locations", "versions")},
                locations=tuple(Location(**{k: tup(v) for k, v in loc.items()}) for loc in r["locations"]),
                versions=tuple(Version(**v) for v in r["versions"]),
            )
            for r in data["reports"]
        )

        def pages(key: str) -> tuple[PageEntry, ...]:
            return tuple(PageEntry(**e) for e in data[key])

        return cls(
            seed=data["seed"],
            as_of=data["as_of"],
            size=data["size"],
            portals=portals,
            reports=reports,
            noise=pages("noise"),
            traps=pages("traps"),
            browser_pages=pages("browser_pages"),
            changes=tuple(Change(**c) for c in data["changes"]),
            counts=data.get("counts", {}),
            base_urls=data.get("base_urls", {}),
        )

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"manifest {path}: cannot read ({exc})") from exc
        return cls.from_json(data)
