"""Place names read from agency names, and the bigram tokens of the search index."""

from __future__ import annotations

import pytest

from crawler.web.fulltext import query_tokens, tokens
from crawler.web.regions import region_of


@pytest.mark.parametrize(
    ("name", "province", "city", "county"),
    [
        ("江苏省南京市鼓楼区人民政府办公室", "江苏省", "南京市", "鼓楼区"),
        ("苏州市财政局", None, "苏州市", None),
        ("北京市朝阳区司法局", "北京市", "北京市", "朝阳区"),
        ("浙江省杭州市市场监督管理局", "浙江省", "杭州市", None),
        ("湖北省恩施土家族苗族自治州利川市人民政府", "湖北省", "恩施土家族苗族自治州", "利川市"),
        ("广西壮族自治区南宁市青秀区教育局", "广西壮族自治区", "南宁市", "青秀区"),
        ("江苏省人民政府", "江苏省", None, None),
        ("国务院办公厅", None, None, None),
        ("市场监督管理局", None, None, None),
    ],
)
def test_region_of(name: str, province: str | None, city: str | None, county: str | None) -> None:
    r = region_of(name)
    assert (r.province, r.city, r.county) == (province, city, county)


def test_municipality_is_named_once() -> None:
    assert region_of("北京市朝阳区司法局").label == "北京市 朝阳区"


def test_tokens_are_bigrams_of_cjk_runs_and_words() -> None:
    assert tokens("信息公开") == [tokens("信息")[0], tokens("息公")[0], tokens("公开")[0]]
    assert tokens("2023年 PDF") == ["w2023", tokens("年")[0], "wpdf"]
    assert all(t.isalnum() and t.isascii() for t in tokens("政府信息公开（依申请）"))


def test_query_tokens_dedupe() -> None:
    assert query_tokens("公开公开") == query_tokens("公开公")
