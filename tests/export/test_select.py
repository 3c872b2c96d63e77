"""Export filters as typed on the command line: read, or refused naming the input."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.export.documents import file_name, hex_of_digest
from crawler.export.select import _like, parse_changed_since, parse_templates, parse_years


def test_years() -> None:
    assert parse_years("2023,2024") == (2023, 2024)
    assert parse_years("2019-2021, 2024") == (2019, 2020, 2021, 2024)
    assert parse_years(None) == ()
    for bad in ("20x3", "2024-2019", "二〇二三"):
        with pytest.raises(ValueError, match="--year"):
            parse_years(bad)


def test_templates() -> None:
    assert parse_templates(["2019,2021", "legacy", "2019"]) == ("2019", "2021", "legacy")
    with pytest.raises(ValueError, match="--template '2020'"):
        parse_templates(["2020"])


def test_changed_since_is_a_run_or_a_shanghai_day() -> None:
    assert parse_changed_since("7") == (None, 7)
    assert parse_changed_since("2026-02-01") == (datetime(2026, 1, 31, 16, tzinfo=UTC), None)
    with pytest.raises(ValueError, match="--changed-since 'yesterday'"):
        parse_changed_since("yesterday")


def test_like_takes_wildcards_literally() -> None:
    assert _like("江苏") == "%江苏%"
    assert _like("100%_a\\") == "%100\\%\\_a\\\\%"


def test_document_file_names() -> None:
    assert file_name(4, "http://www.huaian.gov.cn/zwgk/P020%E9%99%84%E4%BB%B6.xlsx", "xlsx") == "4-P020附件.xlsx"
    assert file_name(5, "http://www.gulou.gov.cn/jyj/ndbg/", "html") == "5-ndbg.html"
    assert file_name(6, "http://a.gov.cn/", "pdf") == "6-index.pdf"
    assert file_name(7, "http://a.gov.cn/a/8180664.pdf", "unknown") == "7-8180664.pdf"
    assert file_name(8, "http://a.gov.cn/a/x?..", "weird") == "8-x.bin"


def test_hex_of_digest() -> None:
    from storage.warc import sha256_b32

    body = "淮安市财政局2023年政府信息公开工作年度报告".encode()
    assert hex_of_digest(sha256_b32(body)) == hashlib.sha256(body).hexdigest()
    assert hex_of_digest("sha1:ABC") is None and hex_of_digest(None) is None


def test_a_table_longer_than_a_sheet_goes_on_in_the_next(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from crawler.export.datasets import Column, Dataset
    from crawler.export.writers import XlsxWriter

    cols = (Column("report_id", "integer", "report_id", "."), Column("agency", "string", "agency", "."))
    writer = XlsxWriter(tmp_path / "t.xlsx", max_rows=3)
    writer.append(Dataset("facts", "数据", ".", cols, ((1, "淮安市财政局"), (2, None), (3, "南京市鼓楼区教育局"))))
    writer.append(Dataset("facts", "数据", ".", cols, ((4, "平潭"),)))
    writer.append(Dataset("reports", "年度报告", ".", cols, ()))
    writer.close()
    assert writer.sheets == {"facts": ["facts", "facts_2"], "reports": ["reports"]}
    book = load_workbook(tmp_path / "t.xlsx", read_only=True)
    rows = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    assert rows["facts"] == [("report_id", "agency"), (1, "淮安市财政局"), (2, None)]
    assert rows["facts_2"] == [("report_id", "agency"), (3, "南京市鼓楼区教育局"), (4, "平潭")]
    assert rows["reports"] == [("report_id", "agency")]
