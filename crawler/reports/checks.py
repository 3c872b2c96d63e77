"""The template's own arithmetic (勾稽关系): checking it, and filling a blank cell from it.

R1  table 三, every column: 一 + 二 = （七）总计 + 四 (stated in the template's header cell).
R2  table 三, every row: 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他.
R3  table 三, every column: （七）总计 = the sum of the result rows （一）…（六）.
R4  table 四, each group: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from crawler.reports.result import Check
from crawler.reports.template import APPEAL_COLUMNS, APPEAL_GROUPS, REQUEST_COLUMNS, RESULT_ROWS, TEMPLATES

_APPLICANTS = [c.key for c in REQUEST_COLUMNS if c.key != "total"]


@dataclass(frozen=True)
class Rule:
    """total = sum(parts) - sum(minus): one equation over field keys."""

    rule: str
    scope: str
    total: tuple[str, ...]
    parts: tuple[str, ...]


@cache
def rules(template: str) -> tuple[Rule, ...]:
    """Every equation the template implies, for 2019 and 2021."""
    if template not in TEMPLATES:
        return ()
    out: list[Rule] = []
    cols = [c.key for c in REQUEST_COLUMNS]
    for col in cols:
        out.append(
            Rule(
                "R1",
                f"requests.*.{col}",
                (f"requests.total_handled.{col}", f"requests.carried_forward.{col}"),
                (f"requests.new_received.{col}", f"requests.carried_over.{col}"),
            )
        )
    for row in TEMPLATES[template].request_rows:
        out.append(
            Rule(
                "R2",
                f"requests.{row.key}.*",
                (f"requests.{row.key}.total",),
                tuple(f"requests.{row.key}.{c}" for c in _APPLICANTS),
            )
        )
    for col in cols:
        out.append(
            Rule(
                "R3",
                f"requests.*.{col}",
                (f"requests.total_handled.{col}",),
                tuple(f"requests.{r}.{col}" for r in RESULT_ROWS[template]),
            )
        )
    for group in APPEAL_GROUPS:
        out.append(
            Rule(
                "R4",
                f"appeals.{group.key}",
                (f"appeals.{group.key}.total",),
                tuple(f"appeals.{group.key}.{c.key}" for c in APPEAL_COLUMNS if c.key != "total"),
            )
        )
    return tuple(out)


def _num(v: object) -> float | None:
    return v if isinstance(v, int | float) and not isinstance(v, bool) else None  # type: ignore[return-value]


def evaluate(values: Mapping[str, object], template: str) -> list[Check]:
    """Each rule whose cells are all known, with both sides and the verdict."""
    checks = []
    for r in rules(template):
        left = [_num(values.get(k)) for k in r.total]
        right = [_num(values.get(k)) for k in r.parts]
        if None in left or None in right:
            continue
        lsum, rsum = _clean(sum(left)), _clean(sum(right))  # type: ignore[arg-type]
        checks.append(Check(r.rule, r.scope, abs(lsum - rsum) < 1e-6, lsum, rsum, r.total + r.parts))
    return checks


def _clean(x: float) -> int | float:
    if isinstance(x, int):  # float() of a huge integer overflows
        return x
    return int(x) if x.is_integer() else round(x, 6)


def repair(
    values: MutableMapping[str, Any], sources: MutableMapping[str, str], template: str
) -> list[str]:
    """Fill cells left blank where one rule leaves a single non-negative value; return notes.

    Only blank cells are filled, one unknown per equation, and each filled cell is marked
    ``repaired``: published numbers are never changed.
    """
    notes: list[str] = []
    changed = True
    all_rules = rules(template)
    while changed:
        changed = False
        for r in all_rules:
            keys = r.total + r.parts
            unknown = [k for k in keys if _num(values.get(k)) is None]
            if len(unknown) != 1 or unknown[0] not in values:
                continue
            k = unknown[0]
            tot = sum(_num(values[x]) or 0 for x in r.total if x != k)
            parts = sum(_num(values[x]) or 0 for x in r.parts if x != k)
            val = parts - tot if k in r.total else tot - parts
            if val < 0:
                continue
            values[k] = _clean(val)
            sources[k] = "repaired"
            notes.append(f"{k} was blank; {r.rule} gives {values[k]}")
            changed = True
    return notes
