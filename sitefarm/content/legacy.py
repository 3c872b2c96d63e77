"""Pre-2019 统计表 rows (template.md §8) and their generated values.

Two layouts: the 2014–2018 national 《政府信息公开情况统计表》 (统计指标 | 单位 | 统计数) and the
2008–2013 local tables (指标名称 | 计量单位 | YYYY年度 | 历年累计, as in 莆田 2009 and 平潭 2011).
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class LegacyRow:
    """One printed row: its label as printed, its key in ``legacy_rows`` and its unit."""

    printed: str
    key: str | None
    """``None`` for a section row that carries no number (printed with ``——``)."""
    unit: str


def _r(printed: str, key: str | None, unit: str = "条") -> LegacyRow:
    return LegacyRow(printed, key, unit)


NATIONAL_ROWS = (
    _r("一、主动公开情况", None, "——"),
    _r("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "主动公开政府信息数"),
    _r("其中：主动公开规范性文件数", "主动公开规范性文件数"),
    _r("制发规范性文件总数", "制发规范性文件总数", "件"),
    _r("（二）通过不同渠道和方式公开政府信息的情况", None, "——"),
    _r("1.政府公报公开政府信息数", "政府公报公开政府信息数"),
    _r("2.政府网站公开政府信息数", "政府网站公开政府信息数"),
    _r("3.政务微博公开政府信息数", "政务微博公开政府信息数"),
    _r("4.政务微信公开政府信息数", "政务微信公开政府信息数"),
    _r("5.其他方式公开政府信息数", "其他方式公开政府信息数"),
    _r("二、回应解读情况", None, "——"),
    _r(
        "（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）",
        "回应公众关注热点或重大舆情数",
        "次",
    ),
    _r("1.参加或举办新闻发布会总次数", "参加或举办新闻发布会总次数", "次"),
    _r("2.政府网站在线访谈次数", "政府网站在线访谈次数", "次"),
    _r("3.政策解读稿件发布数", "政策解读稿件发布数", "篇"),
    _r("三、依申请公开情况", None, "——"),
    _r("（一）收到申请数", "收到申请数", "件"),
    _r("1.当面申请数", "当面申请数", "件"),
    _r("2.传真申请数", "传真申请数", "件"),
    _r("3.网络申请数", "网络申请数", "件"),
    _r("4.信函申请数", "信函申请数", "件"),
    _r("（二）申请办结数", "申请办结数", "件"),
    _r("1.按时办结数", "按时办结数", "件"),
    _r("2.延期办结数", "延期办结数", "件"),
    _r("四、行政复议数量", "行政复议数量", "件"),
    _r("五、行政诉讼数量", "行政诉讼数量", "件"),
    _r("六、举报投诉数量", "举报投诉数量", "件"),
    _r("七、依申请公开信息收取的费用", "依申请公开信息收取的费用", "万元"),
    _r("八、机构建设和保障经费情况", None, "——"),
    _r("（一）政府信息公开工作专门机构数", "政府信息公开工作专门机构数", "个"),
    _r("（二）设置政府信息公开查阅点数", "设置政府信息公开查阅点数", "个"),
    _r("（三）从事政府信息公开工作人员数", "从事政府信息公开工作人员数", "人"),
    _r("九、政府信息公开会议和培训情况", None, "——"),
    _r("（一）召开政府信息公开工作会议或专题会议数", "召开政府信息公开工作会议或专题会议数", "次"),
    _r("（二）举办各类培训班数", "举办各类培训班数", "次"),
    _r("（三）接受培训人员数", "接受培训人员数", "人次"),
)

LOCAL_ROWS = (
    _r("主动公开信息数", "主动公开信息数"),
    _r("其中：1.网站公开", "网站公开"),
    _r("2.政府公报公开", "政府公报公开"),
    _r("受理依申请公开信息总数", "受理依申请公开信息总数"),
    _r("其中：1.当面申请数", "当面申请数"),
    _r("2.网上申请数", "网上申请数"),
    _r("3.信函申请数", "信函申请数"),
    _r("本年度对申请的答复总数", "本年度对申请的答复总数"),
    _r("其中：1.同意公开答复数", "同意公开答复数"),
    _r("2.同意部分公开答复数", "同意部分公开答复数"),
    _r("3.否决公开答复数", "否决公开答复数"),
    _r("行政复议数", "行政复议数", "件"),
    _r("行政诉讼数", "行政诉讼数", "件"),
    _r("行政申诉数", "行政申诉数", "件"),
)


def legacy_layout(year: int) -> tuple[LegacyRow, ...]:
    """The rows a report of ``year`` prints: the national table from 2014, a local one before."""
    return NATIONAL_ROWS if year >= 2014 else LOCAL_ROWS


def generate_legacy_rows(rng: random.Random, year: int, scale: str) -> dict[str, int | float | None]:
    """Plausible values for every numbered row; sub-counts add up to their parent."""
    big = scale == "city"
    published = rng.randint(800, 20000) if big else rng.randint(20, 600)
    received = rng.randint(50, 900) if big else rng.choice([0, 0, 0, 1, 2, 3, 5])
    out: dict[str, int | float | None] = {}
    if year >= 2014:
        web = round(published * rng.uniform(0.6, 0.9))
        weibo = rng.randint(0, published - web)
        out |= {
            "主动公开政府信息数": published,
            "主动公开规范性文件数": rng.randint(0, 40 if big else 5),
            "制发规范性文件总数": rng.randint(0, 40 if big else 5),
            "政府公报公开政府信息数": 0,
            "政府网站公开政府信息数": web,
            "政务微博公开政府信息数": weibo,
            "政务微信公开政府信息数": published - web - weibo,
            "其他方式公开政府信息数": 0,
            "回应公众关注热点或重大舆情数": rng.randint(0, 60),
            "参加或举办新闻发布会总次数": rng.randint(0, 12),
            "政府网站在线访谈次数": rng.randint(0, 6),
            "政策解读稿件发布数": rng.randint(0, 80),
        }
        face = rng.randint(0, received)
        net = rng.randint(0, received - face)
        on_time = received - rng.randint(0, received // 10)
        out |= {
            "收到申请数": received,
            "当面申请数": face,
            "传真申请数": 0,
            "网络申请数": net,
            "信函申请数": received - face - net,
            "申请办结数": received,
            "按时办结数": on_time,
            "延期办结数": received - on_time,
            "行政复议数量": rng.randint(0, 3) if big else 0,
            "行政诉讼数量": rng.randint(0, 2) if big else 0,
            "举报投诉数量": 0,
            "依申请公开信息收取的费用": 0,
            "政府信息公开工作专门机构数": 1,
            "设置政府信息公开查阅点数": rng.randint(1, 20 if big else 2),
            "从事政府信息公开工作人员数": rng.randint(2, 40 if big else 4),
            "召开政府信息公开工作会议或专题会议数": rng.randint(0, 8),
            "举办各类培训班数": rng.randint(0, 6),
            "接受培训人员数": rng.randint(0, 400),
        }
        return out
    web = round(published * rng.uniform(0.85, 1.0))
    face = rng.randint(0, received)
    net = rng.randint(0, received - face)
    granted = rng.randint(0, received)
    partial = rng.randint(0, received - granted)
    return {
        "主动公开信息数": published,
        "网站公开": web,
        "政府公报公开": published - web,
        "受理依申请公开信息总数": received,
        "当面申请数": face,
        "网上申请数": net,
        "信函申请数": received - face - net,
        "本年度对申请的答复总数": received,
        "同意公开答复数": granted,
        "同意部分公开答复数": partial,
        "否决公开答复数": received - granted - partial,
        "行政复议数": 0,
        "行政诉讼数": 0,
        "行政申诉数": 0,
    }
