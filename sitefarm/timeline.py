"""When reports appear and what happens to them later, so that ``as_of`` can travel in time.

Rules from the 条例 (2019 revision, 第五十条): departments publish the previous year's report
by 31 January, local governments by 31 March; before 2019 everyone had until 31 March. Late
publication happens. The three post-publication events fall between the two reference dates
(2026-02-01 and 2027-02-01) so that re-crawling a year later sees each of them once.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

EDIT_DATE = date(2026, 5, 12)
"""One report is corrected in place (same URL, new numbers)."""
REMOVE_DATE = date(2026, 8, 3)
"""One report is taken down (its page 404s, its list item disappears)."""
MOVE_DATE = date(2026, 10, 20)
"""One report is republished under a new URL (TRS gives it a new docid; the old file 404s)."""

FIRST_YEAR = 2014


def publication_date(rng: random.Random, year: int, government: bool) -> date:
    """When the report for ``year`` goes online."""
    start = date(year + 1, 1, 1)
    if year < 2019:
        return start + timedelta(days=rng.randint(14, 89))
    if government:
        return start + timedelta(days=rng.randint(40, 89))
    late = rng.random() < 0.12
    return start + timedelta(days=rng.randint(31, 70) if late else rng.randint(5, 30))


def visible(published: date, as_of: date) -> bool:
    """A page exists on ``as_of`` when it was published before that day."""
    return published < as_of


def report_years(as_of: date) -> range:
    """Years whose reports may exist on ``as_of``."""
    return range(FIRST_YEAR, as_of.year)


def at(day: date, rng: random.Random) -> str:
    """A PubDate-style timestamp on ``day`` during office hours."""
    return f"{day.isoformat()} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
