"""What the spider hands to the pipelines: report documents as archived, with provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ReportDocument:
    """One document of a report: its HTML page or an attachment, as fetched and archived."""

    report_url: str
    """URL of the report's page (for an attachment listed on its own: the attachment URL)."""
    url: str
    """URL this document was fetched from (after redirects)."""
    role: str
    """``html_body`` or ``attachment``."""
    body: bytes
    """The payload as received (decompressed), or the rendered DOM for a rendered page."""
    content_type: str | None
    capture_record: str | None
    """WARC-Record-ID of the archived record (its capture row is found by it); None when the
    document could not be fetched."""
    site_key: str
    link_title: str | None = None
    """Text of the link that led here (a list item's title)."""
    filename: str | None = None
    """File name from Content-Disposition or the URL, for format sniffing and messages."""
    attachments: tuple[str, ...] = ()
    """For a page: the attachment URLs it links to (the report is complete when all arrived)."""
    error: str | None = None
    """Why the document could not be fetched (then ``body`` is empty)."""
    rendered: bool = False
    meta: dict[str, str] = field(default_factory=dict)
    """Page metadata (ArticleTitle, PubDate, ContentSource…)."""

    def held(self) -> dict[str, object]:
        """Everything but the bytes, JSON-safe: what the frontier holds until the report is stored."""
        from dataclasses import asdict

        out = asdict(self)
        del out["body"]
        out["attachments"] = list(self.attachments)
        return out

    @classmethod
    def from_held(cls, held: dict[str, Any], body: bytes) -> ReportDocument:
        """The document again, with its bytes read back from the archive."""
        fields = dict(held)
        fields["attachments"] = tuple(fields.get("attachments") or ())
        return cls(body=body, **fields)
