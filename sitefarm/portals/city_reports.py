"""Publishing the city portal's reports: inline, attachment-only or both, in every office format."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..formats import NAME as FORMAT_NAME
from ..formats import content_type, ext
from ..manifest import Change, Location, Version
from ..portal import PortalBuild
from ..slots import Slot, fixed_version
from ..timeline import EDIT_DATE, at, visible
from .city_pages import Crumbs, article, post_path

BROKEN_PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pa"
)


@dataclass
class Special:
    """Per-report oddities decided by the portal (wrong Content-Type, broken PDF, edit, repost)."""

    served_type: dict[str, str] = field(default_factory=dict)
    broken_pdf: set[str] = field(default_factory=set)
    edited: set[str] = field(default_factory=set)
    reposts: dict[str, tuple[str, Crumbs]] = field(default_factory=dict)


def publish(
    pb: PortalBuild, slot: Slot, column: str, crumbs: Crumbs, special: Special
) -> tuple[str, str, date] | None:
    """Write a report's page(s) and files; returns the list item (href, title, date) or None."""
    if not visible(slot.published, pb.cfg.as_of):
        return None
    spec = slot.spec
    day = slot.published
    path = post_path(column, slot.rid)
    versions: tuple[Version, ...] = ()
    modified = day
    if slot.rid in special.edited:
        fixed = fixed_version(pb, slot)
        if visible(EDIT_DATE, pb.cfg.as_of):
            versions = (
                Version(day.isoformat(), dict(spec.values), spec.consistent),
                Version(EDIT_DATE.isoformat(), dict(fixed.values), fixed.consistent),
            )
            pb.changes.append(
                Change(EDIT_DATE.isoformat(), "edited", f"city:{slot.rid}", "city", path, path, 200)
            )
            spec, modified = fixed, EDIT_DATE
        else:
            versions = (Version(day.isoformat(), dict(spec.values), spec.consistent),)
    locations: list[Location] = []
    files: list[tuple[str, str]] = []
    if slot.attached:
        suffix = ext(slot.attach_fmt)
        post = path.rsplit("_", 1)[1].split(".")[0]
        store = f"/attachment/0/{int(post) % 389}/{int(post) % 7919}/{post}.{suffix}"
        served = special.served_type.get(slot.rid, content_type(slot.attach_fmt))
        if slot.rid in special.broken_pdf:
            pb.routes.file(store, BROKEN_PDF, served, modified)
            locations.append(
                Location(
                    store,
                    "attachment",
                    "pdf",
                    False,
                    None,
                    slot.style,
                    "copy",
                    served,
                    note="truncated PDF: must fail cleanly",
                )
            )
            pb.trap(store, "broken-pdf", title="PDF cut off after 120 bytes", report=f"city:{slot.rid}")
        else:
            pb.attach(store, spec, slot.attach_fmt, served, modified, style=slot.style, seed=slot.seed)
            locations.append(
                pb.location(
                    store,
                    "attachment",
                    slot.attach_fmt,
                    spec,
                    style=slot.style,
                    role="copy" if slot.inline else "primary",
                    content_type=served,
                )
            )
            if served != content_type(slot.attach_fmt):
                pb.trap(
                    store,
                    "wrong-content-type",
                    title=f"{slot.attach_fmt} served as {served}",
                    true_format=slot.attach_fmt,
                    served=served,
                )
        files.append((store, f"{spec.title}.{suffix}"))
    if slot.inline:
        body = pb.ctx.docs.now(spec, "body", slot.style, slot.seed).decode("utf-8")
    else:
        body = f'<p style="text-indent:2em">{spec.title}（{FORMAT_NAME[slot.attach_fmt]}格式）请下载附件查看。</p>'
    stamp = at(day, pb.rng("stamp", slot.rid))
    pages = [(path, crumbs, "primary")]
    if slot.rid in special.reposts:
        repost_col, repost_crumbs = special.reposts[slot.rid]
        pages.append((post_path(repost_col, "repost|" + slot.rid), repost_crumbs, "repost"))
    for i, (page_path, page_crumbs, role) in enumerate(pages):
        pb.routes.page(page_path, article(spec.title, stamp, spec.agency, page_crumbs, body, files), modified)
        loc = pb.location(page_path, "article", "body", spec, style=slot.style, holds=slot.inline, role=role)
        locations.insert(i, loc)
    pb.report(
        slot.rid,
        spec,
        slot.published,
        column,
        locations,
        versions=versions,
        known=slot.known,
        values=spec.values,
    )
    return path, spec.title, day
