"""Title, year, agency and template detection (crawler.reports.meta)."""

from __future__ import annotations

import pytest

from crawler.documents.model import Document
from crawler.reports.meta import detect_template, find_agency, find_title, find_year


def _title(lines: list[str], meta_title: str | None = None) -> str | None:
    return find_title(Document("x", "text", (), title=meta_title), lines)


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (
            ["", "# 金水区商务局2020年政府信息公开工作年度报告", "## 一、总体情况"],
            "金水区商务局2020年政府信息公开工作年度报告",
        ),
        (
            ["标题: 平潭综合实验区2019年度政府信息公开工作年度报告", "发布时间: 2020-01-20"],
            "平潭综合实验区2019年度政府信息公开工作年度报告",
        ),
        (
            ["正文", "2024 年上海市科委政府信息公开工作", "年度报告", "根据《条例》……"],
            "2024 年上海市科委政府信息公开工作年度报告",
        ),
    ],
)
def test_title_from_text(lines: list[str], title: str) -> None:
    assert _title(lines) == title


def test_title_prefers_article_meta() -> None:
    assert (
        _title(["首页 > 信息公开"], "某县民政局2021年政府信息公开工作年度报告")
        == "某县民政局2021年政府信息公开工作年度报告"
    )


@pytest.mark.parametrize(
    ("title", "text", "year"),
    [
        ("市商务局 2020 年政府信息公开年度报告", "", 2020),
        ("商务局政府信息公开工作年度报告", "2019年，商务局认真贯彻……2020年1月发布", 2019),
        (
            "某局政府信息公开年报",
            "本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。2023年3月",
            2022,
        ),
        ("某市二〇一七年政府信息公开工作年度报告", "", 2017),
    ],
)
def test_year(title: str, text: str, year: int) -> None:
    assert find_year(title, text) == year


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        ("市商务局 2020 年政府信息公开年度报告", "市商务局"),
        ("2024年上海市科委政府信息公开工作年度报告", "上海市科委"),
        ("商务局政府信息公开工作年度报告", "商务局"),
        ("淮安市洪泽区人民政府2024年政府信息公开工作年度报告", "淮安市洪泽区人民政府"),
    ],
)
def test_agency(title: str, agency: str) -> None:
    assert find_agency(title, {}) == agency


@pytest.mark.parametrize(
    ("text", "year", "template"),
    [
        ("信息内容\t本年制发件数\t本年废止件数\t现行有效件数", 2019, "2021"),  # headers beat the year
        ("信息内容\t本年新\n制作数量\t本年新公开数量", 2021, "2019"),
        ("统计指标\t单位\t统计数\n主动公开政府信息数\t条\t3", 2016, "legacy"),
        ("一、本年新收政府信息公开申请数量\t1\t0", 2022, "2021"),
        ("本年度未收到申请。", 2022, None),
    ],
)
def test_template(text: str, year: int, template: str | None) -> None:
    assert detect_template(text, year) == template
