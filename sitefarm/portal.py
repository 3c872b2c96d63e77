"""What a portal generator fills in: routes, server behaviour, and its part of the manifest."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .config import FarmConfig
from .documents import DocRef, Documents
from .manifest import Change, Location, PageEntry, PortalInfo, ReportEntry, Version
from .routes import BlobStore, Fault, RouteTable, epoch

NOT_FOUND_HTML = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 页面不存在</title></head><body>'
    '<div class="err"><h1>抱歉，您访问的页面不存在或已删除！</h1><p>请检查网址是否正确，或返回'
    '<a href="/">网站首页</a>。</p></div></body></html>'
)


@dataclass
class BuildContext:
    """Shared by every portal generator of one build."""

    config: FarmConfig
    docs: Documents
    blobs: BlobStore
    secret: str
    known: list[tuple[str, Any]] = field(default_factory=list)
    """(name, spec) of hand-checked reports (seeds, realdata) not yet placed on a portal."""

    def take_known(self, *needles: str) -> list[tuple[str, Any]]:
        """Remove and return the known reports whose agency contains any of ``needles`` (all if none)."""
        taken = [(n, s) for n, s in self.known if not needles or any(x in s.agency for x in needles)]
        self.known = [k for k in self.known if k not in taken]
        return taken


@dataclass
class PortalBuild:
    """One portal in the making."""

    info: PortalInfo
    ctx: BuildContext
    server: dict[str, Any] = field(default_factory=dict)
    reports: list[ReportEntry] = field(default_factory=list)
    noise: list[PageEntry] = field(default_factory=list)
    traps: list[PageEntry] = field(default_factory=list)
    browser_pages: list[PageEntry] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    """Handler data shipped in farm.json (jpage records, gkmlpt articles, …)."""

    def __post_init__(self) -> None:
        self.routes = RouteTable(self.ctx.blobs)

    @property
    def cfg(self) -> FarmConfig:
        return self.ctx.config

    def rng(self, *key: object) -> random.Random:
        return self.cfg.rng(self.info.id, *key)

    # -- documents ---------------------------------------------------------------------------
    def attach(
        self,
        path: str,
        spec: Any,
        fmt: str,
        content_type: str,
        modified: date,
        *,
        style: str = "word",
        seed: int = 0,
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        """A report rendering served as a file (rendered at the end of the build)."""
        ref = self.ctx.docs.later(spec, fmt, style, seed)
        self.routes._add(
            path,
            {
                "t": "file",
                "ref": ref.key,
                "ct": content_type,
                "s": 200,
                "m": epoch(modified),
                "h": [list(h) for h in headers],
            },
        )

    def resolve_docs(self) -> None:
        for entry in self.routes.routes.values():
            key = entry.pop("ref", None)
            if key is not None:
                entry["b"] = self.ctx.blobs.put(self.ctx.docs.data(DocRef(key, key.rsplit(".", 1)[1])))

    # -- manifest ----------------------------------------------------------------------------
    def report(
        self,
        rid: str,
        spec: Any,
        published: date,
        column: str,
        locations: list[Location],
        *,
        versions: tuple[Version, ...] = (),
        known: str = "",
        values: Any = None,
    ) -> ReportEntry:
        entry = ReportEntry(
            id=f"{self.info.id}:{rid}",
            portal=self.info.id,
            agency=spec.agency,
            year=spec.year,
            template=spec.template,
            title=spec.title,
            published=published.isoformat(),
            column=column,
            consistent=spec.consistent,
            values=dict(spec.values if values is None else values),
            legacy_rows=dict(spec.legacy_rows),
            locations=tuple(locations),
            versions=versions,
            known=known,
        )
        self.reports.append(entry)
        return entry

    def location(
        self,
        path: str,
        kind: str,
        fmt: str,
        spec: Any,
        *,
        style: str = "word",
        holds: bool = True,
        **extra: Any,
    ) -> Location:
        """A manifest location; ``expected`` comes from the content package for ``fmt``/``style``."""
        expected = self.ctx.docs.expected(spec, "body" if fmt == "body" else fmt, style) if holds else None
        return Location(
            path=path, kind=kind, format=fmt, holds_values=holds, expected=expected, style=style, **extra
        )

    def noise_page(self, path: str, kind: str, title: str, **detail: Any) -> None:
        self.noise.append(PageEntry(self.info.id, path, kind, title, detail))

    def trap(self, path: str, kind: str, **detail: Any) -> None:
        self.traps.append(PageEntry(self.info.id, path, kind, detail.pop("title", ""), detail))

    def needs_browser(self, path: str, reason: str) -> None:
        self.browser_pages.append(PageEntry(self.info.id, path, reason))

    def fault(self, path: str, fault: Fault, kind: str, **detail: Any) -> None:
        self.routes.fault(path, fault)
        self.trap(path, kind, **fault.to_json(), **detail)

    # -- output ------------------------------------------------------------------------------
    def server_spec(self) -> dict[str, Any]:
        """This portal's entry in farm.json."""
        nf_status = 200 if self.info.soft_404 else 404
        spec = {
            "id": self.info.id,
            "routes": f"portals/{self.info.id}/routes.json",
            "server": "nginx",
            "etag": "nginx",
            "data": self.data,
            "not_found": {
                "b": self.ctx.blobs.put(NOT_FOUND_HTML.encode()),
                "s": nf_status,
                "ct": "text/html; charset=utf-8",
            },
        }
        spec.update(self.server)
        return spec

    def with_info(self, **changes: Any) -> None:
        self.info = replace(self.info, **changes)
