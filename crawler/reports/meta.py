"""Title, year, agency and template generation of a report."""

from __future__ import annotations

import re
from collections import Counter

from crawler.documents.model import Document
from crawler.reports.stream import fuzzy
from crawler.reports.template import TEMPLATES

_REPORT_WORDS = re.compile(r"报\s*告|年\s*报")
_DISCLOSURE = re.compile(r"信\s*息\s*公\s*开|政\s*务\s*公\s*开")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_CN_YEAR = re.compile(r"([二][〇○零][〇○零一二三四五六七八九]{2})\s*年")
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_YEAR_START = re.compile(r"^\s*(?:(?:19|20)\d{2}|[二][〇○零][〇○零一二三四五六七八九]{2})\s*年")
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


def find_title(doc: Document, lines: list[str]) -> str | None:
    """The report's title as printed: container metadata, else the first title-like line."""
    if doc.title and _REPORT_WORDS.search(doc.title) and _DISCLOSURE.search(doc.title):
        return doc.title.strip()
    for i, raw in enumerate(lines[:40]):
        line = _LABEL_PREFIX.sub("", raw).strip()
        if not line or len(line) > 80 or "\t" in raw:
            continue
        if _DISCLOSURE.search(line) and not re.search(r"[。；;]", line):
            head = _agency_above(lines, i, line)
            if _REPORT_WORDS.search(line):
                return head + line
            nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
            if nxt and len(nxt) <= 12 and _REPORT_WORDS.search(nxt):
                return head + line + nxt
    return doc.title.strip() if doc.title else None


def _agency_above(lines: list[str], i: int, line: str) -> str:
    """The agency name printed on its own line above a title that starts with the year
    (PDFs of 洪泽区人民政府 / 淮安市人民政府: ``洪泽区人民政府`` then ``2023 年政府信息公开…``)."""
    if i == 0 or not _YEAR_START.match(line):
        return ""
    above = _LABEL_PREFIX.sub("", lines[i - 1]).strip()
    return above if _agency_like(above) and _AGENCY_END.search(above) and len(above) <= 30 else ""


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


_SEGMENT_SPLIT = re.compile(r"[_|｜]|\s+[-－—–]+\s+|——|--")
_YEAR_HEAD = re.compile(
    r"^(.*?)(?:(?:19|20)\d{2}\s*年度?|[二][〇○零][〇○零一二三四五六七八九]{2}\s*年度?)(.*)$"
)
_DISCLOSURE_SPLIT = re.compile(r"政府信息公开|政务公开|信息公开")
_HEAD_JUNK = re.compile(r"^(?:[《“\"'【\[（(]|关于|印发|转发|公布|发布)+|(?:关于|的|[》”\"'】\]（(]|\s)+$")
_AGENCY_END = re.compile(
    r"(?:局|委员会|委|办公室|办|厅|署|中心|院|会|处|所|站|队|社|馆|行|司|部|室|组|团|"
    r"人民政府|政府|街道|街道办事处|办事处|镇|乡|区|县|市|州|盟|旗|省|管委会|管理委员会|"
    r"集团|公司|法院|检察院|银行|分局|支局|监狱|学校|大学)$"
)
_NOT_AGENCY = re.compile(
    r"通知|通报|函|报送|督查|评议|印发|转发|公告|公示|年报|报告|本网|网站|门户|^年度|"
    r"^(?:做好|开展|公布|发布|编制|提交|上报|加强|规范|推进|落实|有关|附件)"
)
_PUBLISHER_KEYS = (
    "ContentSource",
    "contentsource",
    "发布机构",
    "发文机关",
    "来源",
    "Source",
    "author",
    "Author",
)
_PORTAL_KEYS = ("SiteName", "sitename")
_PAGE_PUBLISHER = re.compile(
    r"(?:发布机构|发文机关|发布单位|公开主体|信息来源|来\s*源)\s*[:：]?\s*([\u4e00-\u9fa5（）()]{2,40})"
)


def agency_in_title(title: str | None) -> str | None:
    """The agency a report's own title names: the words before the year, else before
    政府信息公开 (``福清市国家税务局2013年政府信息公开工作年度报告``,
    ``2013年度福清市国税局政府信息公开工作年度报告``). A page ``<title>`` often carries the
    portal's name after ``_`` or `` - ``; only the segment that names the report is read, and
    heads that are not agency names (``关于报送``, a bare portal label) give None."""
    if not title:
        return None
    segments = [s for s in _SEGMENT_SPLIT.split(title) if s.strip()]
    seg = next((s for s in segments if _DISCLOSURE.search(s) or _REPORT_WORDS.search(s)), None)
    if seg is None:
        return None  # "附件1", a file name: no title of a report
    t = re.sub(r"\s+", "", seg)
    m = _YEAR_HEAD.match(t)
    head = m.group(1) if m else _DISCLOSURE_SPLIT.split(t)[0]
    if m and not _HEAD_JUNK.sub("", head):
        head = _DISCLOSURE_SPLIT.split(m.group(2))[0]
    head = _HEAD_JUNK.sub("", head)
    return head if _agency_like(head) else None


def _agency_like(name: str) -> bool:
    """A name that can be an agency's: 2–40 characters, not a notice's words or a portal label."""
    return 2 <= len(name) <= 40 and not _NOT_AGENCY.search(name) and not re.search(r"\d", name)


def publisher_in_meta(meta: dict[str, str]) -> str | None:
    """The publisher a page's metadata names (TRS/Hanweb ``ContentSource``, ``发布机构``, ``来源``);
    not ``SiteName``, which is the portal's."""
    for key in _PUBLISHER_KEYS:
        value = re.sub(r"\s+", "", meta.get(key) or "")
        if value and _agency_like(value):
            return value
    return None


def publisher_in_text(text: str) -> str | None:
    """The publisher a report page prints in its 索引号 table or byline (``发布机构：XX局``,
    ``来源：XX局``) in its first lines; only a name with an agency's ending counts (``来源：本网``
    does not)."""
    for m in _PAGE_PUBLISHER.finditer(text[:3000]):
        name = m.group(1)
        if _agency_like(name) and _AGENCY_END.search(name):
            return name
    return None


def agency_with_source(
    title: str | None, meta: dict[str, str], text: str = ""
) -> tuple[str | None, str | None]:
    """The publishing agency and where it was read: ``title`` (the report's own title), ``meta``
    (the page's publisher metadata), ``page`` (the 索引号 table or byline), ``portal``
    (``SiteName``: the portal's own name, the last resort — a county column holds the reports of
    its tax bureaus and offices too, each named in its title)."""
    for source, found in (
        ("title", lambda: agency_in_title(title)),
        ("meta", lambda: publisher_in_meta(meta)),
        ("page", lambda: publisher_in_text(text)),
    ):
        name = found()
        if name:
            return name, source
    for key in _PORTAL_KEYS:
        if meta.get(key, "").strip():
            return meta[key].strip(), "portal"
    return None, None


def find_agency(title: str | None, meta: dict[str, str], text: str = "") -> str | None:
    """The publishing agency: the report's title, else the page's publisher metadata, else the
    publisher printed on the page, else the portal (see :func:`agency_with_source`)."""
    return agency_with_source(title, meta, text)[0]


_MARKER_RX = {name: [re.compile(fuzzy(w)) for w in words] for name, words in _MARKERS.items()}
# Words of a table 二 header besides the markers: a marker beside one of them is a header cell.
_HEADER_WORDS = re.compile("|".join(fuzzy(w) for w in ("信息内容", "第二十条")))
_PROSE_STOP = re.compile(r"[。；;，,！？]")
_CLUSTER = 80
# What may stand between two row labels of table 三 in any rendering: cells, tabs, bars,
# blank marks. Prose between them ("15件，上年结转") has words and punctuation.
_CELL = r"(?>\d[\d.,]*\d|\d)"  # atomic: a digit run is split one way, not every way (no backtracking blow-up)
_GAP = r"[\s|—\-/无]"
_CELLS_ONLY = re.compile(rf"^{_GAP}*{_CELL}(?:{_GAP}+{_CELL}|{_CELL})*{_GAP}*$")


# A table cell holding only a number: after a tab, a line start or a label glued to it (flat
# text), and not followed by a unit or date word (prose and link titles: "8条", "2019年", "60号").
_DATA_CELL = re.compile(
    r"(?:^|\t|(?<=[\u4e00-\u9fff）)]))[ ]*[+\-]?\d[\d,]*(?:\.\d+)?[ ]*"
    r"(?=$|\t|[\u4e00-\u9fff])(?![年月日号条件项个次人篇元万届期第])",
    re.M,
)
_DATA_WINDOW = 300


def _header_marker(text: str, m: re.Match[str], others: list[re.Pattern[str]]) -> bool:
    """True when a marker stands in a table header: beside another header word (no sentence
    punctuation between, line breaks allowed, as the header cells of a grid row, of a
    flattened table or of one-cell-per-line text are), with data cells after it. Prose and
    page furniture (sidebars, related links) name header words without cells of numbers. A
    grid row (tab-joined cells) with two header words is a header by itself."""
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", m.end())
    line = (start, len(text) if end < 0 else end)
    in_grid = "\t" in text[line[0] : line[1]]
    if in_grid:
        lo, hi = line
    elif _DATA_CELL.search(text, m.end(), min(len(text), m.end() + _DATA_WINDOW)):
        lo, hi = max(0, m.start() - _CLUSTER), min(len(text), m.end() + _CLUSTER)
    else:
        return False
    for rx in [*others, _HEADER_WORDS]:
        for o in rx.finditer(text, lo, hi):
            if o.start() == m.start():
                continue
            between = text[min(m.end(), o.end()) : max(m.start(), o.start())]
            if not _PROSE_STOP.search(between):
                return True
    return False


def _header_score(text: str, rxs: list[re.Pattern[str]]) -> int:
    return sum(any(_header_marker(text, m, rxs) for m in rx.finditer(text)) for rx in rxs)


def _request_table(text: str) -> bool:
    """Table 三 is there: a row label with cells after it on its line, or two consecutive row
    labels with nothing but cells between them (flattened and one-cell-per-line text)."""
    rows = TEMPLATES["2019"].request_rows
    for i in range(3):
        first, second = re.compile(rows[i].pattern), re.compile(rows[i + 1].pattern)
        for m in first.finditer(text):
            end = text.find("\n", m.end())
            line = text[m.end() : end if end >= 0 else len(text)]
            if "\t" in line and re.search(r"\d", line) and not _PROSE_STOP.search(line):
                return True
            nxt = second.search(text, m.end(), m.end() + 400)
            if nxt and _CELLS_ONLY.match(text[m.end() : nxt.start()]):
                return True
    return False


def detect_template(text: str, year: int | None) -> str | None:
    """2019, 2021 or legacy by the headers of the tables present; the year only breaks a tie.

    Only a table's own header counts: a prose-only report is ``None`` even when its text
    names 政府集中采购 or 本年新收 applications, and a pre-2019 report whose page links to
    the 2019 template elsewhere is still ``legacy``.
    """
    score = {name: _header_score(text, rxs) for name, rxs in _MARKER_RX.items()}
    if score["2021"] or score["2019"]:
        if score["2021"] != score["2019"]:
            return "2021" if score["2021"] > score["2019"] else "2019"
        return "2021" if (year or 0) >= 2021 else "2019"
    if _request_table(text):
        return "2021" if (year or 0) >= 2021 else "2019"
    if any(p.search(text) for p in _LEGACY):
        return "legacy"
    return None
