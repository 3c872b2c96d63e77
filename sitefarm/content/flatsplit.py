"""Which cells survive flattening: digits of adjacent cells run together in ``txt-flat`` text, so a
row can be read back only where its own arithmetic allows a single split.

A row is recoverable cell by cell: a cell is known when every split of the row's digit run that
fits the cell grammar (integers without leading zeros, a sign for 本年增/减, decimals for money)
and the row rules (R2 for table 三, R4 for each group of table 四) gives it the same value.
Rows with a blank cell are unrecoverable: the blank leaves no trace in the run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from .model import Layout, Table

_INT = re.compile(r"0|[1-9]\d*")
_SIGNED = re.compile(r"[+-]?(?:0|[1-9]\d*)")
_DECIMAL = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")
_LIMIT = 5000


def _pattern(key: str) -> re.Pattern[str]:
    if key.endswith("items_change"):
        return _SIGNED
    if key.endswith((".amount", "amount_wan_yuan")):
        return _DECIMAL
    return _INT


def _prefixes(s: str, pat: re.Pattern[str]) -> Iterator[str]:
    for end in range(1, len(s) + 1):
        if pat.fullmatch(s[:end]):
            yield s[:end]


def _free(s: str, pats: Sequence[re.Pattern[str]]) -> Iterator[tuple[str, ...]]:
    """Every split of ``s`` into one token per pattern."""
    if not pats:
        if not s:
            yield ()
        return
    for head in _prefixes(s, pats[0]):
        for tail in _free(s[len(head) :], pats[1:]):
            yield (head, *tail)


def _summed(s: str, n_parts: int) -> Iterator[tuple[tuple[str, ...], str]]:
    """Splits of a prefix of ``s`` into ``n_parts`` integers followed by their sum; yields
    (tokens, rest of s)."""

    def walk(rest: str, acc: tuple[str, ...], widest: int) -> Iterator[tuple[tuple[str, ...], str]]:
        if len(acc) == n_parts:
            total = str(sum(int(x) for x in acc))
            if rest.startswith(total):
                yield (*acc, total), rest[len(total) :]
            return
        need = n_parts - len(acc) - 1
        for head in _prefixes(rest, _INT):
            if len(rest) - len(head) < need + max(widest, len(head)):
                break
            yield from walk(rest[len(head) :], (*acc, head), max(widest, len(head)))

    yield from walk(s, (), 1)


def _groups(s: str, n_groups: int) -> Iterator[tuple[str, ...]]:
    if not n_groups:
        if not s:
            yield ()
        return
    for tokens, rest in _summed(s, 4):
        for tail in _groups(rest, n_groups - 1):
            yield (*tokens, *tail)


def _candidates(table: Table, keys: list[str], texts: list[str]) -> Iterator[tuple[str, ...]]:
    run = "".join(texts)
    if table.name == "requests":
        return (tokens for tokens, rest in _summed(run, 6) if not rest)
    if table.name == "appeals":
        return _groups(run, 3)
    if table.name.startswith("appeals-"):  # one group of table 四 printed as a table of its own
        return _groups(run, 1)
    return _free(run, [_pattern(k) for k in keys])


def _number(token: str) -> int | float:
    return float(token) if "." in token else int(token)


def recoverable(lay: Layout) -> dict[str, int | float | None]:
    """For every value cell of the tables, the value flat text still determines (else None)."""
    out: dict[str, int | float | None] = {}
    for table in (b for b in lay.blocks if isinstance(b, Table)):
        for row in table.rows:
            cells = [c for c in row if c.key]
            if not cells:
                continue
            keys = [c.key for c in cells if c.key]
            texts = [c.text for c in cells]
            if keys[-1] == "active.procurement.amount":  # a unit printed in the cell ends the run
                texts[-1] = re.match(r"[\d.]*", texts[-1]).group()  # type: ignore[union-attr]
            if any(not t for t in texts):
                out.update(dict.fromkeys(keys))
                continue
            seen: list[tuple[str, ...]] = []
            for cand in _candidates(table, keys, texts):
                seen.append(cand)
                if len(seen) > _LIMIT:
                    break
            for i, key in enumerate(keys):
                tokens = {cand[i] for cand in seen}
                out[key] = (
                    _number(tokens.pop().lstrip("+")) if len(tokens) == 1 and len(seen) <= _LIMIT else None
                )
    return out
