"""Numbers a report states in its own prose, as evidence for cells its tables lost.

A flattened table 二 runs a row's cells together (``行政规范性文件77132470`` for 77, 132, 470)
and has no sums to separate them; but the running text of the same report usually repeats
them ("本年度制发的规范性文件77件", "废止规章2件"). This module reads such statements in
general terms — a subject (the row: 规章, 规范性文件, 行政许可 …), a verb (the column: 制发,
废止, 现行有效 …) and a count with its unit, in one sentence — and picks, among the splits of a
row's digits, those the statements agree with. A statement no split agrees with is about
something else (a region-wide library, another year) and is ignored; when the statements
leave more than one split, only the cells they all agree on are kept. Nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache

from crawler.reports.numbers import Num

Value = int | float | None

# Row subjects as prose names them (the table labels, shortened the way reports write them).
_SUBJECTS: dict[str, str] = {
    "regulations": r"规\s*章",
    "normative_documents": r"规\s*范\s*性\s*文\s*件",
    "licensing": r"行\s*政\s*许\s*可",
    "other_services": r"其\s*他\s*对\s*外\s*管\s*理\s*服\s*务\s*事\s*项",
    "penalty": r"行\s*政\s*处\s*罚",
    "coercion": r"行\s*政\s*强\s*制",
    "fees": r"行\s*政\s*事\s*业\s*性\s*收\s*费",
    "procurement": r"政\s*府\s*集\s*中\s*采\s*购",
}
# Column verbs, per column key of table 二 (both templates).
_VERBS: dict[str, str] = {
    "issued": r"制\s*发|印\s*发|出\s*台|新\s*制\s*定|制\s*定|发\s*布",
    "made": r"新\s*制\s*作|制\s*作|制\s*发|印\s*发",
    "repealed": r"废\s*止|废\s*除|宣\s*布\s*失\s*效",
    "in_force": r"现\s*行\s*有\s*效|有\s*效",
    "published": r"新\s*公\s*开|公\s*开",
    "total_public": r"对\s*外\s*公\s*开\s*总|累\s*计\s*公\s*开",
    "decisions": r"处\s*理\s*决\s*定|作\s*出|办\s*理|办\s*结",
    "projects": r"采\s*购\s*项\s*目",
}
_COUNT = re.compile(r"(\d[\d,]*)\s*(?:件|个|项|部|份|次|宗)")
_SENTENCE = re.compile(r"[^。；;\n]+")
_CLAUSE_END = re.compile(r"[，,、：:]")


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def statements(prose: str) -> dict[tuple[str, str], set[int]]:
    """(row key, column key) → the counts the prose states for it.

    A count belongs to the last row subject named before it in its sentence and to the last
    column verb before it in its clause (else in its sentence, before the count): "制发规章
    2件、规范性文件15件" gives (regulations, issued) 2 and (normative_documents, issued) 15.
    """
    out: dict[tuple[str, str], set[int]] = {}
    for sentence in _SENTENCE.finditer(prose):
        s = sentence.group()
        subjects = [(m.end(), key) for key, p in _SUBJECTS.items() for m in _rx(p).finditer(s)]
        if not subjects:
            continue
        verbs = [(m.end(), m.start(), key) for key, p in _VERBS.items() for m in _rx(p).finditer(s)]
        for count in _COUNT.finditer(s):
            at = count.start()
            subject = max((e, k) for e, k in subjects if e <= at) if any(e <= at for e, _ in subjects) else None
            if subject is None:
                continue
            clause_start = max((m.end() for m in _CLAUSE_END.finditer(s, 0, at)), default=0)
            before = [(e, st, k) for e, st, k in verbs if e <= at]
            in_clause = [v for v in before if v[1] >= clause_start]
            chosen = in_clause or before
            if not chosen:
                continue
            last = max(e for e, _, _ in chosen)
            for e, _, verb in chosen:
                if e == last:  # several verbs end at the same place ("新制作" and "制作")
                    out.setdefault((subject[1], verb), set()).add(int(count.group(1).replace(",", "")))
    return out


def splits(found: Sequence[Num], n: int, signed: frozenset[int] = frozenset()) -> list[tuple[Value, ...]]:
    """Every way to cut the digit runs of ``found`` into exactly ``n`` cells: no leading zeros,
    a sign belongs to the first number of its run, only ``signed`` cells may be negative
    (at most ``_MAX_SPLITS``; an empty list beyond, which decides nothing)."""
    out: list[tuple[Value, ...]] = []

    def walk(ti: int, acc: tuple[Value, ...]) -> None:
        if len(acc) > n or len(out) > _MAX_SPLITS:
            return
        if ti == len(found):
            if len(acc) == n:
                out.append(acc)
            return
        tok = found[ti]
        if not tok.is_digit_run:
            walk(ti + 1, (*acc, tok.value))
            return
        cut(tok.raw.lstrip("+-"), -1 if tok.raw.startswith("-") else 1, ti, acc)

    def cut(rest: str, sign: int, ti: int, acc: tuple[Value, ...]) -> None:
        for length in range(1, len(rest) + 1):
            part = rest[:length]
            if length > 1 and part[0] == "0":
                break
            value = sign * int(part)
            if value < 0 and len(acc) not in signed:
                continue
            if length == len(rest):
                walk(ti + 1, (*acc, value))
            elif len(acc) + 1 < n:
                cut(rest[length:], 1, ti, (*acc, value))

    walk(0, ())
    return [] if len(out) > _MAX_SPLITS else out


_MAX_SPLITS = 2000


def choose(
    readings: Sequence[tuple[Value, ...]], columns: Sequence[str], row: str, stated: Mapping[tuple[str, str], set[int]]
) -> tuple[Value, ...] | None:
    """The cells of a row that the prose decides among its possible ``readings``: a statement
    counts when some reading agrees with it; the readings every counting statement agrees
    with are kept, and so are the cells they all share. None when no statement counts."""
    kept = list(readings)
    used = False
    for i, col in enumerate(columns):
        said = stated.get((row, col))
        if not said:
            continue
        agree = [r for r in kept if r[i] in said]
        if agree:
            kept, used = agree, True
    if not used or not kept:
        return None
    return tuple(col[0] if len(set(col)) == 1 else None for col in zip(*kept, strict=True))
