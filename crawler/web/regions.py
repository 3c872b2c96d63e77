"""The place an agency belongs to, read from its name where the name says it unambiguously.

Chinese agency names start with their place: 江苏省南京市鼓楼区人民政府办公室, 苏州市财政局,
北京市朝阳区司法局. Until the portal registry carries region fields, the province, city and
county facets come from here: a name that begins with a province-level name gives the province,
and the 市/州/地区/盟 and 区/县/旗 that follow give city and county. A city named without its
province (苏州市…) gives only the city: mapping cities to provinces would need a gazetteer, and
guessing is worse than a blank facet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省",
    "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
    "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
    "香港特别行政区", "澳门特别行政区",
)
"""Province-level divisions by their full names, as agency names print them."""

_MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
_PROVINCE_RX = re.compile("^(?:" + "|".join(map(re.escape, PROVINCES)) + ")")
# A prefecture-level place: 2–6 characters then 市 / 自治州 / 地区 / 盟, but not words that end
# in 市 without being a place (市场监督管理局 begins 市场…, so 市 must not be followed by 场).
_CITY_RX = re.compile(r"^([\u4e00-\u9fff]{2,10}?(?:自治州|地区|盟|市(?!场|政|民|容)))")
_COUNTY_RX = re.compile(r"^([\u4e00-\u9fff]{1,6}?(?:自治县|自治旗|新区|区|县|旗|市(?!场|政|民|容)))")
# Agency words that may follow a place name directly: a county match must not swallow them.
_NOT_PLACE = re.compile(r"^(?:人民|政府|财政|司法|公安|教育|民政|发展|生态|交通|卫生|审计|统计|应急|商务|文化|农业)")


@dataclass(frozen=True)
class Region:
    """Province, city and county named by an agency name (None where it names none)."""

    province: str | None = None
    city: str | None = None
    county: str | None = None

    @property
    def label(self) -> str | None:
        """The place in words, e.g. 江苏省 苏州市 吴中区 (a municipality named once)."""
        return region_label(self.province, self.city, self.county)


def region_label(province: str | None, city: str | None, county: str | None) -> str | None:
    """Province, city and county joined by spaces, a municipality (city = province) once."""
    parts = [p for p in (province, city if city != province else None, county) if p]
    return " ".join(parts) or None


def region_of(name: str | None) -> Region:
    """The region an agency (or portal) name begins with; an empty Region when it names none."""
    if not name:
        return Region()
    rest = re.sub(r"\s+", "", name)
    province = None
    m = _PROVINCE_RX.match(rest)
    if m:
        province = m.group(0)
        rest = rest[m.end() :]
    city = None
    if province in _MUNICIPALITIES:
        city = province  # a municipality is its own prefecture: the next place is a district
    else:
        m = _CITY_RX.match(rest)
        if m and not _NOT_PLACE.match(m.group(1)):
            city = m.group(1)
            rest = rest[m.end() :]
    county = None
    if city is not None:
        m = _COUNTY_RX.match(rest)
        if m and not _NOT_PLACE.match(m.group(1)):
            county = m.group(1)
    return Region(province, city, county)
