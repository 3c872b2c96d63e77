"""Who publishes: fictional cities, districts and the departments a Chinese city government has.

Departments carry the name they had before the 2018–2019 institutional reform where it changed,
because old reports stay in the new department's column under the old name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """A publishing unit: slug (URL-safe), current name, and its name before 2019 if different."""

    slug: str
    name: str
    old_name: str = ""

    def name_in(self, year: int) -> str:
        """The name printed on that year's report (published the following year)."""
        return self.old_name if self.old_name and year < 2018 else self.name


DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("fgw", "发展和改革委员会", ""),
    ("jyj", "教育局", ""),
    ("kjj", "科学技术局", ""),
    ("gxj", "工业和信息化局", "经济和信息化委员会"),
    ("gaj", "公安局", ""),
    ("mzj", "民政局", ""),
    ("sfj", "司法局", ""),
    ("czj", "财政局", ""),
    ("rsj", "人力资源和社会保障局", ""),
    ("zrzyj", "自然资源和规划局", "国土资源局"),
    ("sthjj", "生态环境局", "环境保护局"),
    ("zjj", "住房和城乡建设局", ""),
    ("jtj", "交通运输局", ""),
    ("slj", "水利局", ""),
    ("nyncj", "农业农村局", "农业局"),
    ("swj", "商务局", ""),
    ("wglj", "文化广电和旅游局", "文化广电新闻出版局"),
    ("wjw", "卫生健康委员会", "卫生和计划生育委员会"),
    ("tyjrj", "退役军人事务局", ""),
    ("yjj", "应急管理局", "安全生产监督管理局"),
    ("sjj", "审计局", ""),
    ("scjgj", "市场监督管理局", "工商行政管理局"),
    ("tjj", "统计局", ""),
    ("ybj", "医疗保障局", ""),
    ("lyj", "林业局", ""),
    ("cgj", "城市管理局", ""),
    ("xfj", "信访局", ""),
    ("xzspj", "行政审批局", ""),
    ("tyj", "体育局", ""),
    ("rfb", "人民防空办公室", ""),
    ("jgswj", "机关事务管理局", ""),
    ("jrj", "地方金融监督管理局", "金融工作办公室"),
    ("sjzyj", "数据资源管理局", ""),
    ("lsj", "粮食和物资储备局", "粮食局"),
)

# Units created by the 2018 reform publish from 2019 on only.
NEW_IN_2019 = frozenset({"tyjrj", "ybj", "yjj", "sjzyj", "xzspj"})


def departments(prefix: str, count: int | None = None) -> list[Unit]:
    """The city's departments, names prefixed with the city (``示范市``)."""
    chosen = DEPARTMENTS if count is None else DEPARTMENTS[:count]
    return [Unit(s, prefix + n, prefix + o if o else "") for s, n, o in chosen]


DISTRICT_BUREAUS: tuple[tuple[str, str], ...] = (
    ("fgj", "发展和改革局"),
    ("jyj", "教育局"),
    ("mzj", "民政局"),
    ("czj", "财政局"),
    ("rsj", "人力资源和社会保障局"),
    ("zjj", "住房和城乡建设局"),
    ("wjj", "卫生健康局"),
    ("scjgj", "市场监督管理局"),
    ("sjj", "审计局"),
)
