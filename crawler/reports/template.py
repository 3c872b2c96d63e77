"""The State Council report templates as data: tables, rows, columns and field keys.

Two generations share the layout of tables 三 and 四 and differ in table 二 and in row （六）
of table 三: ``2019`` (国办公开办函〔2019〕60号) and ``2021`` (国办公开办函〔2021〕30号).
Field keys are those of ``fields.tsv`` (``<table>.<row>.<column>``). Row patterns are regular
expressions over label text; the extractor lets any whitespace stand between two characters,
because PDFs and Word exports break labels anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Row:
    """A data row of a template table."""

    key: str
    """Key segment, e.g. ``granted`` in ``requests.granted.total``."""
    label: str
    """The label as printed in the official template."""
    pattern: str
    """Regular expression that finds the label in report text (numbering included)."""


@dataclass(frozen=True)
class Column:
    """A numeric column of a template table."""

    key: str
    label: str


@dataclass(frozen=True)
class ActiveBlock:
    """One 第二十条 block of table 二: a caption, its columns and its rows."""

    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Template:
    """One generation of the report format."""

    name: str
    active: tuple[ActiveBlock, ...]
    request_rows: tuple[Row, ...]
    request_columns: tuple[Column, ...]
    appeal_groups: tuple[Column, ...]
    appeal_columns: tuple[Column, ...]

    def active_keys(self) -> list[str]:
        return [f"active.{r.key}.{c.key}" for b in self.active for r in b.rows for c in b.columns]

    def request_keys(self) -> list[str]:
        return [f"requests.{r.key}.{c.key}" for r in self.request_rows for c in self.request_columns]

    def appeal_keys(self) -> list[str]:
        return [f"appeals.{g.key}.{c.key}" for g in self.appeal_groups for c in self.appeal_columns]

    def keys(self) -> list[str]:
        """Every field key of this template, in table order (as in fields.tsv)."""
        keys = self.active_keys()
        if self.name == "2019":
            keys.append("active.procurement.amount_unit")
        return keys + self.request_keys() + self.appeal_keys()


# Item numbers as printed: "1." "1．" "1、" "（一）" "(一)" "一、"; single digits only, so that a
# run of digits from the previous row is never eaten as an item number in flattened text.
_ITEM = r"(?:[1-9][.．、]?\s*)?"
_PAREN = r"(?:[（(]\s*[一二三四五六七]\s*[)）]\s*)?"

_CASE = r"(?:（区分处理的，只计这一情形，不计其他情形）)?"

REQUEST_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("social_welfare", "社会公益组织"),
    Column("legal_services", "法律服务机构"),
    Column("other_org", "其他"),
    Column("total", "总计"),
)

_HEAD_ROWS = (
    Row(
        "new_received",
        "一、本年新收政府信息公开申请数量",
        r"(?:一\s*[、.．]\s*)?本\s*年\s*新\s*收\s*(?:到\s*)?(?:的\s*)?政\s*府\s*信\s*息\s*公\s*开\s*申\s*请\s*(?:数\s*量)?",
    ),
    Row(
        "carried_over",
        "二、上年结转政府信息公开申请数量",
        r"(?:二\s*[、.．]\s*)?上\s*年\s*(?:度\s*)?(?:结\s*转|转\s*结)\s*政\s*府\s*信\s*息\s*公\s*开\s*申\s*请\s*(?:数\s*量)?",
    ),
    Row("granted", "（一）予以公开", _PAREN + r"予\s*以\s*公\s*开"),
    Row(
        "partially_granted",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        # the note in brackets, but never the numbers a PDF/OCR line break put inside it
        _PAREN + r"部\s*分\s*公\s*开(?:\s*[（(][^）)\d]{0,40}[）)])?",
    ),
    Row("denied_state_secret", "1.属于国家秘密", _ITEM + r"(?:属\s*于\s*)?国\s*家\s*秘\s*密"),
    Row(
        "denied_prohibited_by_law",
        "2.其他法律行政法规禁止公开",
        _ITEM + r"其\s*他\s*法\s*律\s*(?:行\s*政\s*)?法\s*规\s*禁\s*止\s*公\s*开",
    ),
    Row(
        "denied_three_safeties",
        "3.危及“三安全一稳定”",
        _ITEM + r"危\s*及\s*[“\"”']?\s*三\s*安\s*全\s*一\s*稳\s*定\s*[”\"“']?",
    ),
    Row("denied_third_party", "4.保护第三方合法权益", _ITEM + r"保\s*护\s*第\s*三\s*方\s*合\s*法\s*权\s*益"),
    Row(
        "denied_internal_affairs",
        "5.属于三类内部事务信息",
        _ITEM + r"属\s*于\s*三\s*类\s*内\s*部\s*事\s*务\s*(?:信\s*息)?",
    ),
    Row(
        "denied_process_info",
        "6.属于四类过程性信息",
        _ITEM + r"属\s*于\s*四\s*类\s*过\s*程\s*性\s*(?:信\s*息)?",
    ),
    Row("denied_enforcement_files", "7.属于行政执法案卷", _ITEM + r"属\s*于\s*行\s*政\s*执\s*法\s*案\s*卷"),
    Row("denied_query_matters", "8.属于行政查询事项", _ITEM + r"属\s*于\s*行\s*政\s*查\s*询\s*(?:事\s*项)?"),
    Row(
        "unable_not_held",
        "1.本机关不掌握相关政府信息",
        _ITEM + r"本\s*机\s*关\s*不\s*掌\s*握\s*(?:相\s*关\s*)?(?:政\s*府\s*信\s*息)?",
    ),
    Row(
        "unable_needs_creation",
        "2.没有现成信息需要另行制作",
        _ITEM + r"没\s*有\s*现\s*成\s*信\s*息\s*需\s*要\s*另\s*行\s*制\s*作",
    ),
    Row(
        "unable_unclear",
        "3.补正后申请内容仍不明确",
        _ITEM + r"补\s*正\s*后\s*申\s*请\s*内\s*容\s*仍\s*不\s*明\s*确",
    ),
    Row(
        "rejected_petition",
        "1.信访举报投诉类申请",
        _ITEM + r"信\s*访\s*举\s*报\s*投\s*诉\s*类\s*(?:申\s*请)?",
    ),
    Row("rejected_duplicate", "2.重复申请", _ITEM + r"重\s*复\s*申\s*请"),
    Row(
        "rejected_publication", "3.要求提供公开出版物", _ITEM + r"要\s*求\s*提\s*供\s*公\s*开\s*出\s*版\s*物"
    ),
    Row(
        "rejected_excessive",
        "4.无正当理由大量反复申请",
        _ITEM + r"无\s*正\s*当\s*理\s*由\s*大\s*量\s*反\s*复\s*(?:申\s*请)?",
    ),
    Row(
        "rejected_confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
        _ITEM
        + r"要\s*求\s*行\s*政\s*机\s*关\s*确\s*认\s*或\s*重\s*新\s*出(?:\s*具\s*(?:已\s*获\s*取\s*(?:信\s*息)?)?)?",
    ),
)

_TAIL_ROWS = (
    Row("total_handled", "（七）总计", _PAREN + r"总\s*计"),
    Row(
        "carried_forward",
        "四、结转下年度继续办理",
        r"(?:四\s*[、.．]\s*)?结\s*转\s*下\s*(?:一\s*)?年\s*度\s*继\s*续\s*办\s*理",
    ),
)

_OTHER_2019 = (Row("other", "（六）其他处理", _PAREN + r"其\s*他\s*处\s*理"),)

_OTHER_2021 = (
    Row(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        _ITEM + r"申\s*请\s*人\s*无\s*正\s*当\s*理\s*由\s*逾\s*期\s*不\s*补\s*正\s*[、，,]?\s*"
        r"(?:行\s*政\s*机\s*关\s*不\s*再\s*处\s*理\s*其\s*(?:政\s*府\s*信\s*息\s*公\s*开\s*申\s*请)?)?",
    ),
    Row(
        "other_unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        _ITEM
        + r"申\s*请\s*人\s*逾\s*期\s*未\s*按\s*收\s*费\s*通\s*知\s*要\s*求\s*缴\s*纳\s*费\s*用\s*[、，,]?\s*"
        r"(?:行\s*政\s*机\s*关\s*不\s*再\s*处\s*理\s*其\s*(?:政\s*府\s*信\s*息\s*公\s*开\s*申\s*请)?)?",
    ),
    Row("other_other", "3.其他", r"[3３]\s*[.．、]?\s*其\s*他(?!\s*(?:法|处|结|对|组))"),
)

APPEAL_GROUPS = (
    Column("review", "行政复议"),
    Column("suit_direct", "未经复议直接起诉"),
    Column("suit_after_review", "复议后起诉"),
)
APPEAL_COLUMNS = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)


def _row(key: str, label: str, pattern: str | None = None) -> Row:
    return Row(key, label, pattern or r"\s*".join(label))


_ACTIVE_2019 = (
    ActiveBlock(
        "第二十条第（一）项",
        (
            Column("made", "本年新制作数量"),
            Column("published", "本年新公开数量"),
            Column("total_public", "对外公开总数量"),
        ),
        (
            _row("regulations", "规章"),
            _row("normative_documents", "规范性文件", r"(?:行\s*政\s*)?规\s*范\s*性\s*文\s*件"),
        ),
    ),
    ActiveBlock(
        "第二十条第（五）项",
        (
            Column("items_last_year", "上一年项目数量"),
            Column("items_change", "本年增/减"),
            Column("decisions", "处理决定数量"),
        ),
        (_row("licensing", "行政许可"), _row("other_services", "其他对外管理服务事项")),
    ),
    ActiveBlock(
        "第二十条第（六）项",
        (
            Column("items_last_year", "上一年项目数量"),
            Column("items_change", "本年增/减"),
            Column("decisions", "处理决定数量"),
        ),
        (_row("penalty", "行政处罚"), _row("coercion", "行政强制")),
    ),
    ActiveBlock(
        "第二十条第（八）项",
        (Column("items_last_year", "上一年项目数量"), Column("items_change", "本年增/减")),
        (_row("fees", "行政事业性收费"),),
    ),
    ActiveBlock(
        "第二十条第（九）项",
        (Column("projects", "采购项目数量"), Column("amount", "采购总金额")),
        (_row("procurement", "政府集中采购"),),
    ),
)

_ACTIVE_2021 = (
    ActiveBlock(
        "第二十条第（一）项",
        (
            Column("issued", "本年制发件数"),
            Column("repealed", "本年废止件数"),
            Column("in_force", "现行有效件数"),
        ),
        (
            _row("regulations", "规章"),
            _row("normative_documents", "行政规范性文件", r"(?:行\s*政\s*)?规\s*范\s*性\s*文\s*件"),
        ),
    ),
    ActiveBlock(
        "第二十条第（五）项", (Column("decisions", "本年处理决定数量"),), (_row("licensing", "行政许可"),)
    ),
    ActiveBlock(
        "第二十条第（六）项",
        (Column("decisions", "本年处理决定数量"),),
        (_row("penalty", "行政处罚"), _row("coercion", "行政强制")),
    ),
    ActiveBlock(
        "第二十条第（八）项",
        (Column("amount_wan_yuan", "本年收费金额（单位：万元）"),),
        (_row("fees", "行政事业性收费"),),
    ),
)

TEMPLATES: dict[str, Template] = {
    "2019": Template(
        "2019",
        _ACTIVE_2019,
        _HEAD_ROWS + _OTHER_2019 + _TAIL_ROWS,
        REQUEST_COLUMNS,
        APPEAL_GROUPS,
        APPEAL_COLUMNS,
    ),
    "2021": Template(
        "2021",
        _ACTIVE_2021,
        _HEAD_ROWS + _OTHER_2021 + _TAIL_ROWS,
        REQUEST_COLUMNS,
        APPEAL_GROUPS,
        APPEAL_COLUMNS,
    ),
}

#: Rows of table 三 whose sum is （七）总计 (rule R3), per template.
RESULT_ROWS = {
    name: tuple(
        r.key
        for r in t.request_rows
        if r.key not in ("new_received", "carried_over", "total_handled", "carried_forward")
    )
    for name, t in TEMPLATES.items()
}


@cache
def field_keys(template: str) -> tuple[str, ...]:
    """The canonical keys of ``fields.tsv`` for a template, in file order."""
    from importlib.resources import files

    text = files("crawler.reports").joinpath("fields.tsv").read_text(encoding="utf-8")
    return tuple(line.split("\t")[0] for line in text.splitlines()[1:] if line.split("\t")[1:2] == [template])
