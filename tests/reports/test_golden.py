"""Every hand-checked real report in ../shared reproduces its *.expected.json.

A cell may be declined (left null with a warning) only where the published text itself lost
the cell boundaries and the template arithmetic cannot restore them; those cells are listed
here one by one, so any new gap or any wrong number fails the test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.reports import parse_report
from tests.conftest import shared_dir

# Flattened crawler text runs table 二's cells together ("规范性文件898989"); table 二 has no
# sums, so these cannot be split with certainty and the parser must say so, not guess.
_TABLE2_2019 = [
    f"active.{r}.{c}"
    for r in ("normative_documents", "licensing", "other_services", "penalty", "coercion")
    for c in ("made", "published", "total_public", "items_last_year", "items_change", "decisions")
]
DECLINED = {
    "pingtan-2019.page": set(_TABLE2_2019)
    | {
        "active.fees.items_last_year",
        "active.fees.items_change",
        "active.procurement.projects",
        "active.procurement.amount",
    },
    "pingtan-2023.page": {
        "active.normative_documents.issued",
        "active.normative_documents.repealed",
        "active.normative_documents.in_force",
    },
}


def _cases() -> list[tuple[Path, Path]]:
    root = shared_dir()
    if root is None:
        return []
    cases = []
    for exp in sorted([*root.glob("seeds/*.expected.json"), *root.glob("realdata/*.expected.json")]):
        stem = exp.name[: -len(".expected.json")]
        inputs = [p for p in exp.parent.glob(stem + ".*") if not p.name.endswith(".expected.json")]
        cases.append((inputs[0], exp))
    return cases


@pytest.mark.parametrize(("source", "expected"), _cases(), ids=lambda p: p.name.split(".expected")[0])
def test_report_matches_hand_checked_values(source: Path, expected: Path) -> None:
    want = json.loads(expected.read_text(encoding="utf-8"))
    got = parse_report(source.read_bytes(), source.name)
    stem = expected.name[: -len(".expected.json")]
    assert got.year == want["year"]
    assert got.template == want["template"]
    wrong, declined = [], []
    for key, value in want["values"].items():
        if value is None:
            continue
        if got.values.get(key) is None and key in DECLINED.get(stem, set()):
            declined.append(key)
        elif got.values.get(key) != value:
            wrong.append(f"{key}: want {value!r} got {got.values.get(key)!r}")
    assert not wrong, "\n".join(wrong)
    if declined:
        assert got.warnings, "declined cells must come with a warning"
    for label, value in (want.get("legacy_rows") or {}).items():
        matches = [
            v for k, v in got.legacy_rows.items() if _norm(label) in _norm(k) or _norm(k) in _norm(label)
        ]
        assert value in matches, f"legacy row {label}: want {value}, got {matches}"


def _norm(label: str) -> str:
    import re

    s = re.sub(r"\s+", "", label)
    s = re.sub(r"^(其中[:：]?)?([（(]?[一二三四五六七八九十0-9]+[）)、.．]\s*)*", "", s)
    return re.sub(r"[：:，,。（）()“”\"]", "", s)


@pytest.mark.skipif(shared_dir() is None, reason="../shared is not beside this checkout")
def test_golden_cases_found() -> None:
    assert len(_cases()) >= 13
