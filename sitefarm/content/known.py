"""Real reports with hand-checked values: the five seeds and ../shared/realdata, copied into ``data/``
so the farm never reads ../shared at run time."""

from __future__ import annotations

import json
import random
import re
from importlib.resources import files
from importlib.resources.abc import Traversable

from crawler.reports.template import field_keys

from .prose import generate_prose
from .spec import ReportSpec, rule_failures

_SUFFIX = re.compile(r"(?:关于)?(?:\d{4}年度?)?政府信息公开(?:工作)?(?:年度)?报告$")
_YEAR = re.compile(r"\d{4}年度?")


def agency_from_title(title: str) -> str:
    """The unit named in a title: ``淮安市人民政府2024年政府信息公开工作年度报告`` → ``淮安市人民政府``."""
    compact = re.sub(r"\s+", "", title)
    return _YEAR.sub("", _SUFFIX.sub("", compact)) or compact


def _prose_from_text(text: str) -> tuple[str, ...]:
    """Paragraphs of an extracted report text outside its tables (lines without tabs)."""
    paras: list[str] = []
    in_tables = False
    for raw in text.splitlines()[1:]:
        line = raw.strip().lstrip("#").strip()
        if not line or "\t" in raw or line.isdigit():
            continue
        if line.startswith("二、"):
            in_tables = True
        elif line.startswith("五、"):
            in_tables = False
        if not in_tables and paras[-1:] != [line]:
            paras.append(line)
    return tuple(p for p in paras if not p.endswith("报告") or len(p) > 40)


def _spec(name: str, doc: dict, text: Traversable | None) -> ReportSpec:
    template = doc["template"]
    values = dict(doc.get("values") or {})
    if template in ("2019", "2021"):
        missing = set(field_keys(template)) - set(values)
        if missing:
            raise ValueError(f"{name}: expected values lack {sorted(missing)[:3]}")
        values = {k: values[k] for k in field_keys(template)}
    legacy = dict(doc.get("legacy_rows") or {})
    agency = agency_from_title(doc["title"])
    prose = _prose_from_text(text.read_text(encoding="utf-8")) if text is not None else ()
    if not any(p.startswith("五、") for p in prose):
        prose = generate_prose(random.Random(name), agency, doc["year"], template, values, legacy)
    consistent = not rule_failures(template, values)
    return ReportSpec(agency, doc["year"], template, doc["title"], values, legacy, consistent, prose)


def known_report_names() -> list[str]:
    """Names of the known reports (``seeds/000_…``, ``realdata/huaian-city-gov-2024``), in order."""
    root = files("sitefarm.content").joinpath("data")
    names = []
    for folder in ("seeds", "realdata"):
        names += sorted(
            f"{folder}/{p.name.removesuffix('.expected.json')}"
            for p in root.joinpath(folder).iterdir()
            if p.name.endswith(".expected.json")
        )
    return names


def known_reports() -> list[ReportSpec]:
    """The seeds and realdata reports with their hand-checked values, in :func:`known_report_names` order."""
    root = files("sitefarm.content").joinpath("data")
    out = []
    for name in known_report_names():
        doc = json.loads(root.joinpath(f"{name}.expected.json").read_text(encoding="utf-8"))
        text = root.joinpath(f"{name}.txt")
        out.append(_spec(name, doc, text if text.is_file() else None))
    return out
