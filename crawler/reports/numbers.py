"""Reading one printed number: full-width digits, units, signs, decimals and blank markers."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Full-width digits and punctuation as Word and some PDF fonts print them.
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，＋－−", "0123456789.,+--")
_UNITS = ("万元", "元", "件", "条", "个", "项", "次", "人次", "篇", "人", "家", "期")
UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_NUMBER = re.compile(
    rf"^(?P<sign>[+\-])?\s*(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<frac>\.\d+)?\s*(?P<unit>{UNIT_RE})?$"
)
#: Cell contents that mean "no value" in published tables.
BLANK_MARKS = frozenset({"", "-", "--", "—", "——", "/", "／", "无", "\\", "–", "空", "×"})


@dataclass(frozen=True)
class Num:
    """A number as printed: its value, the digits as written and a unit if one was attached."""

    value: int | float
    raw: str
    unit: str | None = None

    @property
    def is_digit_run(self) -> bool:
        """An integer of several digits (sign allowed, no unit): possibly adjacent cells run together."""
        digits = self.raw.lstrip("+-")
        return isinstance(self.value, int) and digits.isdigit() and len(digits) > 1 and self.unit is None


def normalise(text: str) -> str:
    """Map full-width digits and punctuation to ASCII and odd spaces to plain ones."""
    return text.translate(_FULLWIDTH).replace("\u3000", " ").replace("\xa0", " ")


MAX_DIGITS = 30
"""Longer digit runs are not numbers of a report (glued cells, serial numbers)."""


def parse_number(piece: str) -> Num | None:
    """The number a cell or token holds, or None when it is not (only) a number."""
    m = _NUMBER.match(normalise(piece).strip())
    if not m:
        return None
    digits = m["num"].replace(",", "")
    if len(digits) > MAX_DIGITS:  # no count anyone publishes; and int() refuses 4,300+ digits
        return None
    sign = -1 if m["sign"] == "-" else 1
    if m["frac"]:
        return Num(sign * float(digits + m["frac"]), (m["sign"] or "") + digits + m["frac"], m["unit"])
    return Num(sign * int(digits), (m["sign"] or "") + digits, m["unit"])


def is_blank_mark(piece: str) -> bool:
    """True for a cell printed as blank, a dash, a slash or 无."""
    return normalise(piece).strip() in BLANK_MARKS
