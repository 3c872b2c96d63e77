"""Title, year, agency and template generation of a report."""

from __future__ import annotations

import re
from collections import Counter

from crawler.documents.model import Document
from crawler.reports.stream import fuzzy

_REPORT_WORDS = re.compile(r"报\s*告|年\s*报")
_DISCLOSURE = re.compile(r"信\s*息\s*公\s*开|政\s*务\s*公\s*开")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_CN_YEAR = re.compile(r"([二][〇○零][〇○零一二三四五六七八九]{2})\s*年")
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_LABEL_PREFIX = re.compile(r"^\s*(?:#+\s*|标\s*题\s*[:：]\s*|题\s*目\s*[:：]\s*)")

_MARKERS = {
    "2021": [
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年收费金额",
        "本年处理决定数量",
        "逾期不补正",
        "缴纳费用",
    ],
    "2019": [
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "采购项目数量",
        "政府集中采购",
        "采购总金额",
    ],
}
_LEGACY = [re.compile(fuzzy(w)) for w in ("统计指标", "指标名称")]
_REQUEST_TABLE = re.compile(fuzzy("本年新收") + "|" + fuzzy("予以公开") + r"[^\n]{0,40}\d")


def find_title(doc: Document, lines: list[str]) -> str | None:
    """The report's title as printed: container metadata, else the first title-like line."""
    if doc.title and _REPORT_WORDS.search(doc.title) and _DISCLOSURE.search(doc.title):
        return doc.title.strip()
    for i, raw in enumerate(lines[:40]):
        line = _LABEL_PREFIX.sub("", raw).strip()
        if not line or len(line) > 80 or "\t" in raw:
            continue
        if _DISCLOSURE.search(line) and not re.search(r"[。；;]", line):
            if _REPORT_WORDS.search(line):
                return line
            nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
            if nxt and len(nxt) <= 12 and _REPORT_WORDS.search(nxt):
                return line + nxt
    return doc.title.strip() if doc.title else None


def find_year(title: str | None, text: str) -> int | None:
    """The year the report covers: from the title, else the statistics period, else the text."""
    if title:
        year = _year_in(title)
        if year:
            return year
    m = _PERIOD.search(text[:6000])
    if m:
        return int(m.group(1))
    years = [int(y) for y in _YEAR.findall(text[:3000])]
    if years:
        counts = Counter(years)
        best = max(counts.values())
        return next(y for y in years if counts[y] == best)
    return None


def _year_in(s: str) -> int | None:
    m = _YEAR.search(s)
    if m:
        return int(m.group(1))
    m = _CN_YEAR.search(s)
    if m:
        return int(m.group(1).translate(_CN_DIGITS))
    return None


def find_agency(title: str | None, meta: dict[str, str]) -> str | None:
    """The publishing agency: the title's words before the year (or before 政府信息公开)."""
    if title:
        t = re.sub(r"\s+", "", title)
        m = re.match(r"^(.*?)(?:(?:19|20)\d{2}年度?|[二][〇○零].{2}年度?)(.*)$", t)
        head = m.group(1) if m else ""
        if not head and m:
            head = re.split(r"政府信息公开|政务公开|信息公开", m.group(2))[0]
        if not m:
            head = re.split(r"政府信息公开|政务公开|信息公开", t)[0]
        head = head.strip("《》“”\"' ")
        if head:
            return head
    for key in ("ContentSource", "发布机构", "SiteName"):
        if meta.get(key):
            return meta[key].strip()
    return None


_MARKER_RX = {name: [re.compile(fuzzy(w)) for w in words] for name, words in _MARKERS.items()}


def detect_template(text: str, year: int | None) -> str | None:
    """2019, 2021 or legacy by the table headers present; the year only breaks a tie."""
    score = {name: sum(bool(rx.search(text)) for rx in rxs) for name, rxs in _MARKER_RX.items()}
    if score["2021"] or score["2019"]:
        if score["2021"] != score["2019"]:
            return "2021" if score["2021"] > score["2019"] else "2019"
        return "2021" if (year or 0) >= 2021 else "2019"
    if _REQUEST_TABLE.search(text):
        return "2021" if (year or 0) >= 2021 else "2019"
    if any(p.search(text) for p in _LEGACY):
        return "legacy"
    return None
