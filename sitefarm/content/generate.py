"""Generated reports whose numbers look like real ones and satisfy (or break) the 勾稽 rules."""

from __future__ import annotations

import random

from crawler.reports.template import RESULT_ROWS, TEMPLATES, field_keys

from .legacy import generate_legacy_rows
from .prose import generate_prose
from .spec import ReportSpec, Value, rule_failures

# Share of handled requests per result row (予以公开 and 不掌握 dominate in real reports).
_OUTCOME_WEIGHTS = {
    "granted": 40,
    "partially_granted": 12,
    "denied_state_secret": 1,
    "denied_prohibited_by_law": 2,
    "denied_three_safeties": 1,
    "denied_third_party": 2,
    "denied_internal_affairs": 2,
    "denied_process_info": 3,
    "denied_enforcement_files": 1,
    "denied_query_matters": 3,
    "unable_not_held": 22,
    "unable_needs_creation": 4,
    "unable_unclear": 2,
    "rejected_petition": 3,
    "rejected_duplicate": 2,
    "rejected_publication": 1,
    "rejected_excessive": 1,
    "rejected_confirmation": 1,
    "other": 3,
    "other_no_correction": 3,
    "other_unpaid_fee": 1,
    "other_other": 2,
}
_ORG_COLUMNS = ("commercial", "research", "social_welfare", "legal_services", "other_org")
_TITLE_FORMS = (
    "{agency}{year}年政府信息公开工作年度报告",
    "{agency}{year}年政府信息公开工作年度报告",
    "{agency}{year}年度政府信息公开工作年度报告",
    "{agency}{year}年政府信息公开年度报告",
    "{year}年{agency}政府信息公开工作年度报告",
)


def template_for_year(year: int) -> str:
    """The template a report of ``year`` normally uses (stragglers pass one explicitly)."""
    return "legacy" if year < 2019 else "2019" if year < 2021 else "2021"


def _applicants(rng: random.Random, scale: str) -> dict[str, int]:
    """New applications per applicant column: mostly 自然人, a few companies, rare others."""
    if scale == "city":
        natural = rng.randint(150, 4000)
        cols = {
            "natural_person": natural,
            "commercial": rng.randint(0, natural // 20 + 1),
            "research": rng.choice([0, 0, 1, 2]),
            "social_welfare": rng.choice([0, 0, 0, 1]),
            "legal_services": rng.randint(0, natural // 40 + 1),
            "other_org": rng.randint(0, 6),
        }
    else:
        natural = rng.choice([0, 0, 0, 1, 1, 2, 3, 5, 8, 13, 21, 40])
        cols = {c: 0 for c in _ORG_COLUMNS} | {"natural_person": natural}
        if rng.random() < 0.3:
            cols["commercial"] = rng.randint(1, 3)
        if rng.random() < 0.1:
            cols["legal_services"] = 1
    return cols


def _spread(rng: random.Random, n: int, rows: tuple[str, ...]) -> dict[str, int]:
    """Split ``n`` handled requests over the result rows by the real-world weights."""
    out = dict.fromkeys(rows, 0)
    weights = [_OUTCOME_WEIGHTS[r] for r in rows]
    for row in rng.choices(rows, weights=weights, k=n) if n < 400 else ():
        out[row] += 1
    if n >= 400:
        shares = [round(n * w / sum(weights) * rng.uniform(0.6, 1.4)) for w in weights]
        while sum(shares) > n:
            shares[shares.index(max(shares))] -= (
                sum(shares) - n if max(shares) >= sum(shares) - n else max(shares)
            )
        shares[0] += n - sum(shares)
        out = dict(zip(rows, shares, strict=True))
    return out


def _requests(rng: random.Random, template: str, scale: str) -> dict[str, int]:
    rows = RESULT_ROWS[template]
    new = _applicants(rng, scale)
    values: dict[str, int] = {}
    for col, n_new in new.items():
        carried = rng.randint(0, max(1, n_new // 15)) if n_new and rng.random() < 0.4 else 0
        forward = rng.randint(0, max(1, (n_new + carried) // 12)) if n_new and rng.random() < 0.4 else 0
        forward = min(forward, n_new + carried)
        spread = _spread(rng, n_new + carried - forward, rows)
        cells = {
            "new_received": n_new,
            "carried_over": carried,
            "carried_forward": forward,
            "total_handled": n_new + carried - forward,
        } | spread
        values |= {f"requests.{row}.{col}": n for row, n in cells.items()}
    for row in (r.key for r in TEMPLATES[template].request_rows):
        values[f"requests.{row}.total"] = sum(values[f"requests.{row}.{c}"] for c in new)
    return values


def _appeals(rng: random.Random, scale: str) -> dict[str, int]:
    values: dict[str, int] = {}
    for group in ("review", "suit_direct", "suit_after_review"):
        city = scale == "city"
        busy = city or rng.random() < 0.12
        choices = [0, 0, 1, 2, 3, 5, 9, 14, 30, 72] if city else [0, 0, 0, 1, 1, 2, 3]
        parts = [rng.choice(choices) if busy else 0 for _ in range(4)]
        for col, n in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            values[f"appeals.{group}.{col}"] = n
        values[f"appeals.{group}.total"] = sum(parts)
    return values


def _decisions(rng: random.Random, scale: str, busy: float) -> int:
    if scale == "city":
        return rng.randint(1000, 500000)
    return rng.randint(1, 3000) if rng.random() < busy else 0


def _active(rng: random.Random, template: str, scale: str) -> dict[str, Value]:
    city = scale == "city"
    v: dict[str, Value] = {}
    if template == "2019":
        made = rng.randint(0, 3) if city else 0
        v |= {
            "regulations.made": made,
            "regulations.published": made,
            "regulations.total_public": made + (rng.randint(5, 60) if city else 0),
        }
        docs = rng.randint(0, 40) if city else rng.choice([0, 0, 0, 1, 2, 4])
        v |= {
            "normative_documents.made": docs,
            "normative_documents.published": docs,
            "normative_documents.total_public": docs + rng.choice([0, docs, rng.randint(0, 200)]),
        }
        for row, busy in (("licensing", 0.5), ("other_services", 0.2), ("penalty", 0.5), ("coercion", 0.2)):
            last = _decisions(rng, scale, busy) // 50
            change = rng.choice([0, 0, 0, -1, 1, 2, -3]) if last else 0
            v |= {
                f"{row}.items_last_year": last,
                f"{row}.items_change": change,
                f"{row}.decisions": _decisions(rng, scale, busy),
            }
        fees = rng.randint(0, 40) if city or rng.random() < 0.3 else 0
        v |= {"fees.items_last_year": fees, "fees.items_change": rng.choice([0, 0, -1, -2]) if fees else 0}
        projects = rng.randint(1, 300) if city else rng.choice([0, 0, 1, 2, 3, 8])
        unit = rng.choice(["万元", "万元", "元", None])
        amount: Value = 0
        if projects:
            wan = rng.uniform(5, 90000 if city else 800) * projects**0.5
            amount = round(wan * 10000, 2) if unit == "元" else round(wan, rng.choice([2, 4]))
        v |= {"procurement.projects": projects, "procurement.amount": amount}
        out = {f"active.{k}": x for k, x in v.items()}
        out["active.procurement.amount_unit"] = unit
        return out
    issued = rng.randint(0, 3) if city else 0
    v |= {
        "regulations.issued": issued,
        "regulations.repealed": rng.randint(0, 2) if city else 0,
        "regulations.in_force": rng.randint(5, 60) if city else 0,
    }
    docs = rng.randint(0, 40) if city else rng.choice([0, 0, 0, 1, 2, 4])
    v |= {
        "normative_documents.issued": docs,
        "normative_documents.repealed": rng.choice([0, 0, rng.randint(0, docs + 10)]),
        "normative_documents.in_force": docs + (rng.randint(0, 400) if city else rng.choice([0, 3, 12])),
    }
    v |= {
        "licensing.decisions": _decisions(rng, scale, 0.5),
        "penalty.decisions": _decisions(rng, scale, 0.5),
        "coercion.decisions": _decisions(rng, scale, 0.2),
    }
    charged = city or rng.random() < 0.25
    v["fees.amount_wan_yuan"] = (
        round(rng.uniform(0.5, 100000 if city else 3000), rng.choice([2, 2, 4])) if charged else 0
    )
    return {f"active.{k}": x for k, x in v.items()}


def _break(rng: random.Random, template: str, values: dict[str, Value]) -> str:
    """Make exactly one rule fail, the way published tables do; returns the rule id."""
    req = TEMPLATES[template].request_rows
    totals = [
        r.key for r in req if r.key in RESULT_ROWS[template] and (values[f"requests.{r.key}.total"] or 0)
    ]
    rules = ["R1", "R3", "R4"] + (["R2"] if totals else [])
    rule = rng.choice(rules)

    def bump(key: str, by: int) -> None:
        values[key] = int(values[key] or 0) + by

    col = rng.choice(["natural_person", "natural_person", "commercial"])
    if rule == "R1":  # 结转下年度 off by one in one column and its total
        bump(f"requests.carried_forward.{col}", 1)
        bump("requests.carried_forward.total", 1)
    elif rule == "R2":  # the 总计 column shifted between two result rows
        src = rng.choice(totals)
        dst = rng.choice([r for r in RESULT_ROWS[template] if r != src])
        bump(f"requests.{src}.total", -1)
        bump(f"requests.{dst}.total", 1)
    elif rule == "R3":  # a result row counted twice: （七） no longer the sum
        row = rng.choice(RESULT_ROWS[template])
        bump(f"requests.{row}.{col}", 1)
        bump(f"requests.{row}.total", 1)
    else:  # appeal total left at 0 or off by one (洪泽区 2023 prints 10|1|0|0| 总计 0)
        group = rng.choice(["review", "suit_direct", "suit_after_review"])
        key = f"appeals.{group}.total"
        values[key] = 0 if values[key] else 1
    return rule


def generate_report(
    rng: random.Random,
    agency: str,
    year: int,
    *,
    template: str | None = None,
    broken: bool = False,
    scale: str = "department",
) -> ReportSpec:
    """A realistic report of ``agency`` for ``year``; ``broken`` makes exactly one 勾稽 rule fail."""
    template = template or template_for_year(year)
    if template not in ("2019", "2021", "legacy"):
        raise ValueError(f"template {template!r}: expected 2019, 2021 or legacy")
    if scale not in ("department", "city"):
        raise ValueError(f"scale {scale!r}: expected department or city")
    title = rng.choice(_TITLE_FORMS).format(agency=agency, year=year)
    if template == "legacy":
        rows = generate_legacy_rows(rng, year, scale)
        prose = generate_prose(rng, agency, year, template, {}, rows)
        return ReportSpec(agency, year, template, title, {}, rows, True, prose)
    values: dict[str, Value] = (
        _active(rng, template, scale) | _requests(rng, template, scale) | _appeals(rng, scale)
    )
    if broken:
        _break(rng, template, values)
    ordered = {k: values[k] for k in field_keys(template)}
    consistent = not rule_failures(template, ordered)
    prose = generate_prose(rng, agency, year, template, ordered, {})
    return ReportSpec(agency, year, template, title, ordered, {}, consistent, prose)
