"""Reading tables from documents built by hand: grids with merged cells, text layouts."""

from __future__ import annotations

from crawler.documents.model import Block, Document, Table
from crawler.reports import parse_document
from crawler.reports.template import TEMPLATES

T21 = TEMPLATES["2021"]


def _request_grid(values: dict[str, list[int | None]]) -> Table:
    """Table 三 as a real grid: three header rows, row groups with rowspan (None slots)."""
    rows: list[tuple[str | None, ...]] = [
        (
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            None,
            None,
            "申请人情况",
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (None, None, None, "自然人", "法人或其他组织", None, None, None, None, "总计"),
        (None, None, None, None, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", None),
    ]
    for r in T21.request_rows:
        cells = ["" if v is None else str(v) for v in values.get(r.key, [0] * 7)]
        if r.key in ("new_received", "carried_over", "carried_forward"):
            rows.append((r.label, None, None, *cells))
        elif r.key == "total_handled":
            rows.append((None, r.label, None, *cells))
        elif r.key in ("granted", "partially_granted"):
            rows.append(("三、本年度办理结果" if r.key == "granted" else None, r.label, None, *cells))
        else:
            group = {
                "denied_state_secret": "（三）不予公开",
                "unable_not_held": "（四）无法提供",
                "rejected_petition": "（五）不予处理",
                "other_no_correction": "（六）其他处理",
            }.get(r.key)
            rows.append((None, group, r.label, *cells))
    return Table(tuple(rows))


def _doc(*blocks: Block, name: str = "t.html") -> Document:
    return Document(name=name, kind="html", blocks=blocks)


def test_grid_with_merged_cells_and_blank_total_repaired() -> None:
    vals = {
        "new_received": [3, 1, 0, 0, 0, 0, 4],
        "granted": [2, 1, 0, 0, 0, 0, None],  # blank 总计 cell, as many reports print it
        "unable_not_held": [1, 0, 0, 0, 0, 0, 1],
        "total_handled": [3, 1, 0, 0, 0, 0, 4],
    }
    doc = _doc(
        Block(text="示范市交通运输局2023年政府信息公开工作年度报告"),
        Block(text="三、收到和处理政府信息公开申请情况"),
        Block(table=_request_grid(vals)),
    )
    r = parse_document(doc)
    assert (r.year, r.template, r.agency) == (2023, "2021", "示范市交通运输局")
    assert r.values["requests.new_received.natural_person"] == 3
    assert r.values["requests.granted.commercial"] == 1
    assert r.values["requests.granted.total"] == 3
    assert r.sources["requests.granted.total"] == "repaired"
    assert r.sources["requests.granted.natural_person"] == "published"
    assert r.values["requests.other_other.total"] == 0
    assert all(c.ok for c in r.checks)
    assert {c.rule for c in r.checks} == {"R1", "R2", "R3"}


def test_inconsistent_table_is_reported_not_fixed() -> None:
    vals = {
        "new_received": [3, 0, 0, 0, 0, 0, 3],
        "granted": [3, 0, 0, 0, 0, 0, 3],
        "total_handled": [3, 0, 0, 0, 0, 0, 4],
    }  # 总计 printed as 4
    r = parse_document(
        _doc(Block(text="某局2022年政府信息公开工作年度报告"), Block(table=_request_grid(vals)))
    )
    assert r.values["requests.total_handled.total"] == 4
    failed = {(c.rule, c.scope) for c in r.checks if not c.ok}
    assert ("R2", "requests.total_handled.*") in failed
    assert ("R3", "requests.*.total") in failed
    assert r.consistent is False


def test_tab_text_appeals_with_blank_review_cells() -> None:
    lines = [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议\t\t\t\t\t行政诉讼",
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉",
        "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
        "\t\t\t\t\t1\t0\t0\t0\t1\t0\t0\t0\t2\t2",
    ]
    rows = tuple(tuple(line.split("\t")) for line in lines[1:])
    width = max(len(r) for r in rows)
    grid = Table(tuple(r + ("",) * (width - len(r)) for r in rows))
    r = parse_document(
        _doc(
            Block(text="某局2020年政府信息公开工作年度报告"),
            Block(text="信息内容 上一年项目数量"),  # a table 二 header: the 2019 template
            Block(text=lines[0]),
            Block(table=grid),
        )
    )
    assert r.values["appeals.review.upheld"] is None
    assert r.values["appeals.suit_direct.upheld"] == 1
    assert r.values["appeals.suit_after_review.total"] == 2


def test_prose_only_report_has_no_template() -> None:
    r = parse_document(
        _doc(
            Block(text="某街道办事处2018年政府信息公开工作年度报告"),
            Block(text="本年度未收到政府信息公开申请。"),
        )
    )
    assert r.template is None
    assert r.values == {}
    assert r.year == 2018


def test_legacy_table_rows() -> None:
    grid = Table(
        (
            ("统计指标", "单位", "统计数"),
            ("一、主动公开情况", "——", ""),
            ("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", "120"),
            ("其中：主动公开规范性文件数", "条", "8"),
            ("四、行政复议数量", "件", "0"),
        )
    )
    r = parse_document(_doc(Block(text="某区2016年政府信息公开工作年度报告"), Block(table=grid)))
    assert r.template == "legacy"
    assert r.legacy_rows == {
        "（一）主动公开政府信息数": 120,
        "其中：主动公开规范性文件数": 8,
        "四、行政复议数量": 0,
    }
    assert r.legacy_units["四、行政复议数量"] == "件"
