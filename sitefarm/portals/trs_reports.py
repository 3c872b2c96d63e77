"""Publishing report slots and plain articles on a TRS-style portal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..chrome import e
from ..formats import NAME, content_type, ext
from ..manifest import Change, Location
from ..news import Article
from ..portal import PortalBuild
from ..slots import Slot
from ..timeline import MOVE_DATE, at, visible
from .trs_common import Item, article_path, attachment_name, docid, trs_article

ArticlePage = Callable[..., str]


@dataclass(frozen=True)
class Column:
    """A TRS column: path (ending in /), name, channel id, breadcrumb above it."""

    path: str
    name: str
    channel: int
    crumbs: tuple[tuple[str, str], ...]
    ext: str = "html"


def article_page(site_meta: str, header: str, footer: str, source: str) -> ArticlePage:
    """The detail-page renderer of one TRS portal: its chrome and 发布机构 around ``trs_article``."""

    def render(
        *,
        title: str,
        pubdate: str,
        doc: int,
        channel: int,
        column: Column,
        body: str,
        attachments: list[tuple[str, str, str]],
    ) -> str:
        return trs_article(
            site_meta=site_meta,
            header=header,
            footer=footer,
            crumbs=column.crumbs,
            title=title,
            pubdate=pubdate,
            source=source,
            doc=doc,
            channel=channel,
            column_name=column.name,
            body=body,
            attachments=attachments,
        )

    return render


def publish_report(
    pb: PortalBuild, col: Column, slot: Slot, make_page: ArticlePage, *, moved_to: date | None = None
) -> Item | None:
    """Write one report's article (and attachment); returns its list item, or None if not yet online.

    ``moved_to``: the report was republished on that day under a new docid; the old file is gone.
    """
    as_of = pb.cfg.as_of
    if not visible(slot.published, as_of):
        return None
    rng = pb.rng("trs-article", slot.rid)
    day = slot.published
    doc = docid(day, rng)
    old_path = article_path(col.path, day, doc, col.ext)
    if moved_to is not None and visible(moved_to, as_of):
        day, doc = moved_to, docid(moved_to, rng) + 17
    path = article_path(col.path, day, doc, col.ext)
    folder = path.rsplit("/", 1)[0] + "/"
    spec = slot.spec
    locations: list[Location] = []
    attachments = []
    if slot.attached:
        suffix = ext(slot.attach_fmt)
        name = attachment_name(day, doc, suffix)
        file_path = folder + name
        pb.attach(
            file_path,
            spec,
            slot.attach_fmt,
            content_type(slot.attach_fmt),
            day,
            style=slot.style,
            seed=slot.seed,
        )
        oldsrc = f"/protect/P0{day:%Y%m}/P0{day:%Y%m%d}/{name}"
        attachments.append(("./" + name, oldsrc, f"{spec.title}.{suffix}"))
        locations.append(
            pb.location(
                file_path,
                "attachment",
                slot.attach_fmt,
                spec,
                style=slot.style,
                role="primary" if not slot.inline else "copy",
                content_type=content_type(slot.attach_fmt),
            )
        )
        pb.trap(
            oldsrc, "dead-oldsrc", title="OLDSRC of an attachment: 404 on this site", attachment=file_path
        )
    if slot.inline:
        body = pb.ctx.docs.now(spec, "body", slot.style, slot.seed).decode("utf-8")
        locations.insert(0, pb.location(path, "article", "body", spec, style=slot.style))
    else:
        body = f'<p style="text-indent:2em;">{e(spec.title)}全文详见附件（{NAME[slot.attach_fmt]}格式）。</p>'
        locations.insert(0, pb.location(path, "article", "body", spec, holds=False, note="详见附件"))
    html = make_page(
        title=spec.title,
        pubdate=at(day, rng),
        doc=doc,
        channel=col.channel,
        column=col,
        body=body,
        attachments=attachments,
    )
    pb.routes.page(path, html, day)
    pb.report(slot.rid, spec, slot.published, col.path, locations, known=slot.known)
    if path != old_path:
        pb.changes.append(
            Change(
                moved_to.isoformat() if moved_to else "",
                "moved",
                f"{pb.info.id}:{slot.rid}",
                pb.info.id,
                old_path,
                path,
                404,
            )
        )
        pb.trap(
            old_path,
            "moved-report-old-url",
            title="report republished under a new docid",
            status=404,
            new_path=path,
        )
    return Item(spec.title, day, "./" + path[len(col.path) :])


def publish_article(pb: PortalBuild, col: Column, art: Article, make_page: ArticlePage) -> Item:
    rng = pb.rng("trs-news", col.path, art.title, art.day)
    doc = docid(art.day, rng)
    path = article_path(col.path, art.day, doc, col.ext)
    html = make_page(
        title=art.title,
        pubdate=at(art.day, rng),
        doc=doc,
        channel=col.channel,
        column=col,
        body=art.body(),
        attachments=[],
    )
    pb.routes.page(path, html, art.day)
    if art.kind != "news":
        pb.noise_page(path, art.kind, art.title)
    return Item(art.title, art.day, "./" + path[len(col.path) :])


__all__ = ["MOVE_DATE", "Column", "publish_article", "publish_report"]
