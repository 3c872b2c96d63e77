"""Ordinary portal articles (news, notices) and the look-alikes that mention 年报 without being one."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from .chrome import e

_TOPICS = (
    "{city}召开{m}月份经济运行分析会",
    "{city}开展安全生产大检查",
    "{city}推进“一网通办”改革工作",
    "{city}召开优化营商环境工作推进会",
    "{city}启动秋冬季森林防火工作",
    "{city}举行重点项目集中开工仪式",
    "{city}部署防汛防台风工作",
    "{city}召开政务公开工作培训会",
    "{city}开展“12345”热线服务质量评议",
    "{city}召开乡村振兴工作现场推进会",
    "{city}举办就业援助月专场招聘会",
    "{city}召开城市更新工作专题会议",
    "{city}开展食品安全专项整治行动",
    "{city}发布{m}月份空气质量状况",
    "{city}召开民生实事项目推进会",
)

# (kind, title template): pages that mention reports or 年报 but are not a 政府信息公开工作年度报告.
LOOKALIKES = (
    ("news-mentions", "{city}召开{year}年度政府信息公开工作年度报告编制部署会"),
    ("notice", "关于做好{year}年度政府信息公开工作年度报告编制发布工作的通知"),
    ("enterprise-annual-report", "市场监管局提醒：{year}年度企业年报公示6月30日截止"),
    ("news-mentions", "{city}政务公开工作获评优秀 年度报告按时发布率100%"),
)


@dataclass(frozen=True)
class Article:
    """A non-report article."""

    title: str
    day: date
    kind: str
    """``news`` or one of the look-alike kinds (noise the crawler must not keep)."""
    paragraphs: tuple[str, ...]

    def body(self) -> str:
        return "\n".join(f'<p style="text-indent:2em;">{e(p)}</p>' for p in self.paragraphs)


def _paragraphs(rng: random.Random, title: str) -> tuple[str, ...]:
    lead = f"{title}。会议强调，要坚持以人民为中心的发展思想，切实把各项工作抓实抓细抓出成效。"
    more = (
        "会议指出，今年以来全市上下认真贯彻落实上级决策部署，各项工作取得积极进展。",
        "要进一步压实工作责任，加强统筹协调，确保各项任务按时保质完成。",
        "各地各部门要强化督促检查，及时发现和解决工作中存在的问题。",
        "据统计，全年累计受理群众诉求{n}件，办结率达到{p}%。",
    )
    picked = [p.format(n=rng.randint(200, 9000), p=rng.randint(95, 100)) for p in rng.sample(more, 3)]
    return (lead, *picked)


def articles(
    rng: random.Random, city: str, start: date, end: date, every: float, lookalike_share: float = 0.03
) -> list[Article]:
    """Articles from ``start`` to ``end``, about one every ``every`` days, newest first."""
    out: list[Article] = []
    day = start
    while day < end:
        if rng.random() < lookalike_share:
            kind, tpl = rng.choice(LOOKALIKES)
            title = tpl.format(city=city, year=day.year - 1 if day.month < 7 else day.year)
        else:
            kind, title = "news", rng.choice(_TOPICS).format(city=city, m=day.month)
        out.append(Article(title, day, kind, _paragraphs(rng, title)))
        day += timedelta(days=max(1, round(rng.expovariate(1 / every))))
    out.sort(key=lambda a: a.day, reverse=True)
    return out


def noise_report(kind: str, city: str, year: int, unit: str = "") -> tuple[str, tuple[str, ...]]:
    """Title and paragraphs of a report that is not a 政府信息公开工作年度报告."""
    who = unit or city + "人民政府"
    if kind == "government-work-report":
        return (
            f"{year}年{city}人民政府工作报告",
            (
                f"——{year}年1月在{city}第十七届人民代表大会第三次会议上",
                "各位代表：现在，我代表市人民政府向大会报告工作，请予审议。",
                f"过去一年，全市地区生产总值增长{5 + year % 3}.{year % 10}%，一般公共预算收入增长{3 + year % 4}.2%。",
            ),
        )
    if kind == "statistical-bulletin":
        return (
            f"{city}{year}年国民经济和社会发展统计公报",
            (
                f"初步核算，全年全市地区生产总值{2000 + year % 7 * 113}.6亿元，比上年增长{5 + year % 2}.1%。",
                "全年全市居民人均可支配收入48215元，比上年增长5.6%。",
                "年末全市户籍人口312.45万人。",
            ),
        )
    if kind == "rule-of-law-report":
        return (
            f"{who}{year}年度法治政府建设情况报告",
            (
                f"{year}年，{who}深入学习贯彻习近平法治思想，全面推进依法行政。",
                "一、推进法治政府建设的主要举措和成效。",
                "二、存在的不足和原因。",
                "三、下一年度推进法治政府建设的主要安排。",
            ),
        )
    if kind == "budget":
        return (
            f"{who}{year}年部门预算公开",
            (
                f"{who}{year}年收支总预算3512.45万元。",
                "一般公共预算拨款收入3402.11万元，其他收入110.34万元。",
            ),
        )
    if kind == "final-accounts":
        return (
            f"{who}{year}年度部门决算公开",
            (f"{who}{year}年度收入总计4012.77万元，支出总计3998.10万元。", "年末结转和结余14.67万元。"),
        )
    raise ValueError(f"noise kind {kind!r}: unknown")
