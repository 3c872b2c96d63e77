"""Which document a report's values come from when it has several (page and attachments)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crawler.reports import ParseResult


@dataclass(frozen=True)
class Candidate:
    role: str
    url: str
    result: ParseResult | None


def _cells(r: ParseResult) -> int:
    return sum(1 for k, v in r.values.items() if v is not None and not k.endswith("_unit")) + len(r.legacy_rows)


def _score(c: Candidate) -> tuple[int, int, int, int]:
    r = c.result
    if r is None or r.template is None:
        return (0, 0, 0, 0)
    failed = sum(not ch.ok for ch in r.checks)
    return (1, -failed, _cells(r), 1 if c.role == "html_body" else 0)


def choose(candidates: Sequence[Candidate]) -> tuple[int | None, str]:
    """Index of the document to take values from, and a sentence saying why."""
    with_table = [i for i, c in enumerate(candidates) if c.result is not None and c.result.template]
    if not with_table:
        return None, "no document holds a statistics table"
    best = max(with_table, key=lambda i: _score(candidates[i]))
    chosen = candidates[best]
    assert chosen.result is not None
    others = [candidates[i] for i in with_table if i != best]
    if not others:
        return best, f"the only document with a table ({chosen.role})"
    differ = [o for o in others if o.result is not None and _disagree(chosen.result, o.result)]
    if not differ:
        return best, f"{chosen.role} chosen; the {len(others)} other document(s) agree on every cell both read"
    o = differ[0]
    assert o.result is not None
    n = _disagree(chosen.result, o.result)
    reason = (f"{chosen.role} and {o.role} disagree on {n} cell(s); chose {chosen.role} "
              f"({_cells(chosen.result)} cells read, {sum(not c.ok for c in chosen.result.checks)} failed checks "
              f"vs {_cells(o.result)} and {sum(not c.ok for c in o.result.checks)})")
    return best, reason


def _disagree(a: ParseResult, b: ParseResult) -> int:
    return sum(1 for k, v in a.values.items()
               if v is not None and b.values.get(k) is not None and b.values.get(k) != v)
