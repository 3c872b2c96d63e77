"""The knobs of one farm: seed, the date it is seen on, and its size; plus where builds are cached."""

from __future__ import annotations

import hashlib
import os
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DEFAULT_AS_OF = date(2026, 2, 1)
LARGE_PAGES = 50_000


@dataclass(frozen=True)
class FarmConfig:
    """What determines a build: the same config always yields the same bytes."""

    seed: int = 1
    as_of: date = DEFAULT_AS_OF
    size: str = "small"
    """``small`` (the test farm), ``large`` (adds a portal of ≥ 50,000 pages) or a page count."""

    @classmethod
    def parse(
        cls, seed: int | str = 1, as_of: str | date = DEFAULT_AS_OF, size: str | int = "small"
    ) -> FarmConfig:
        """A config from CLI-like values, with one-line errors naming the bad value."""
        try:
            seed_n = int(seed)
        except ValueError as exc:
            raise ValueError(f"seed {seed!r}: expected an integer") from exc
        if isinstance(as_of, str):
            try:
                as_of = date.fromisoformat(as_of)
            except ValueError as exc:
                raise ValueError(f"as_of {as_of!r}: expected YYYY-MM-DD") from exc
        if not date(2015, 1, 1) <= as_of <= date(2035, 12, 31):
            raise ValueError(f"as_of {as_of}: expected a date between 2015 and 2035")
        size_s = str(size)
        if size_s not in ("small", "large") and not (size_s.isdigit() and int(size_s) >= 100):
            raise ValueError(f"size {size!r}: expected small, large or a page count >= 100")
        return cls(seed_n, as_of, size_s)

    @property
    def bulk_pages(self) -> int:
        """Pages of the benchmark portal (0 for the small farm)."""
        if self.size == "small":
            return 0
        return LARGE_PAGES if self.size == "large" else int(self.size)

    def rng(self, *key: object) -> random.Random:
        """A generator for one named thing, independent of everything else generated.

        Keys, not draw order, decide values, so adding a portal or changing ``as_of`` never
        changes the reports already there.
        """
        text = "|".join(str(k) for k in (self.seed, *key))
        return random.Random(int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big"))

    def key(self) -> str:
        return f"s{self.seed}-{self.as_of.isoformat()}-{self.size}"


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def cache_root() -> Path:
    """``$SITEFARM_CACHE`` or ``.cache/sitefarm`` in the repository (gitignored)."""
    env = os.environ.get("SITEFARM_CACHE")
    return Path(env) if env else repo_root() / ".cache" / "sitefarm"


def code_version() -> str:
    """A hash of the farm's and the content generator's sources: a cached build is stale when it changes."""
    h = hashlib.sha256()
    pkg = Path(__file__).resolve().parent
    template = repo_root() / "crawler" / "reports"
    for path in sorted([*pkg.rglob("*.py"), *template.glob("*.py"), *template.glob("*.tsv")]):
        h.update(str(path.relative_to(repo_root())).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]
