"""A report to place on a portal: who, which year, when published, and how (inline / attachment)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from .portal import PortalBuild
from .timeline import publication_date

STYLES = ("word", "word", "word", "clean", "split", "blank-total", "sparse")
BROKEN_SHARE = 0.06


@dataclass(frozen=True)
class Slot:
    """One report on one portal."""

    rid: str
    """Portal-local id: ``<unit>:<year>`` (stable across as_of)."""
    spec: Any
    published: date
    mode: str
    """``inline`` (article body), ``attachment`` (article says 详见附件), ``both``."""
    attach_fmt: str
    style: str
    seed: int
    known: str = ""
    scale: str = "department"

    @property
    def year(self) -> int:
        return int(self.spec.year)

    @property
    def inline(self) -> bool:
        return self.mode in ("inline", "both")

    @property
    def attached(self) -> bool:
        return self.mode in ("attachment", "both")


def _content() -> Any:
    import sitefarm.content as content

    return content


def make_slot(
    pb: PortalBuild,
    unit: str,
    agency: str,
    year: int,
    *,
    government: bool,
    scale: str = "department",
    modes: tuple[tuple[str, float], ...] = (("inline", 0.7), ("both", 0.2), ("attachment", 0.1)),
    formats: tuple[str, ...] = ("pdf",),
    broken: bool | None = None,
    style: str | None = None,
) -> Slot:
    """A generated report; every random choice is keyed by (portal, unit, year)."""
    rng = pb.rng("report", unit, year)
    published = publication_date(rng, year, government)
    is_broken = rng.random() < BROKEN_SHARE if broken is None else broken
    spec = _content().generate_report(pb.rng("spec", unit, year), agency, year, broken=is_broken, scale=scale)
    mode = rng.choices([m for m, _ in modes], weights=[w for _, w in modes])[0]
    return Slot(
        f"{unit}:{year}",
        spec,
        published,
        mode,
        rng.choice(formats),
        style or rng.choice(STYLES),
        rng.randrange(2**31),
        scale=scale,
    )


def known_slot(
    pb: PortalBuild,
    name: str,
    spec: Any,
    *,
    government: bool,
    mode: str = "inline",
    attach_fmt: str = "pdf",
    style: str = "clean",
) -> Slot:
    """A hand-checked report (seeds, realdata) placed as-is; ``name`` is its known-report name."""
    rng = pb.rng("known", name)
    return Slot(
        f"known-{name.rsplit('/', 1)[-1]}:{spec.year}",
        spec,
        publication_date(rng, spec.year, government),
        mode,
        attach_fmt,
        style,
        rng.randrange(2**31),
        known=name,
    )


def fixed_version(pb: PortalBuild, slot: Slot) -> Any:
    """The corrected spec of an edited report: same generator draw, without the deliberate error.

    The original is generated ``broken`` so that the 更正 fixes a 勾稽 error, as real corrections do.
    """
    spec = slot.spec
    unit = slot.rid.rsplit(":", 1)[0]
    fixed = _content().generate_report(
        pb.rng("spec", unit, slot.year), spec.agency, slot.year, broken=False, scale=slot.scale
    )
    return replace(fixed, title=spec.title)
