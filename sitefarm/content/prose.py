"""The running text of a report: preamble, 一、总体情况, 五、问题及改进, 六、其他事项 and signature.

Phrasing follows real reports (template.md §2, the seeds); the narrative repeats a few table
numbers (X3) so that prose-versus-table checks have something to compare.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

_WORK = (
    "坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》和上级关于政务公开的决策部署，"
    "紧紧围绕中心工作和人民群众关切，持续推进政务公开标准化规范化建设。",
    "按照“公开为常态、不公开为例外”的原则，严格落实信息发布审核制度，坚持“先审查、后公开”和“谁公开、谁审查、谁负责”，确保公开信息准确、安全。",
    "进一步完善政府信息公开指南和公开目录，动态调整主动公开基本目录，细化公开要求，方便公众查阅。",
)
_MANAGE = (
    "（三）政府信息管理方面。严格执行公文公开属性源头认定制度，对拟公开信息逐条进行保密审查，全年未发生泄密事件。",
    "（三）政府信息管理。规范发布规章、行政规范性文件等重要政府信息，及时对文件的废止、失效情况进行标注。",
)
_PLATFORM = (
    "（四）政府信息公开平台建设方面。充分发挥政府网站第一平台作用，优化栏目设置，加强政务新媒体管理，做到及时更新、准确发布。",
    "（四）平台建设。持续优化门户网站政府信息公开专栏，完善智能搜索和政策文件库功能，提升网站可用性。",
)
_OVERSIGHT = (
    "（五）监督保障方面。将政务公开工作纳入年度绩效考核，组织开展业务培训，全年未发生因政府信息公开工作引发的责任追究情况。",
    "（五）监督保障。建立常态化检查机制，定期开展自查自纠，发现问题及时整改。",
)
_PROBLEMS = (
    "一是政策解读的形式还不够丰富，解读质量有待提高；二是部分栏目信息更新不够及时；三是工作人员业务能力还需加强。",
    "政府信息公开工作虽然取得了一定成效，但与上级要求和群众期待相比还存在一定差距，主要表现在公开内容的深度和广度还不够。",
)
_IMPROVE = (
    "下一步，我们将进一步加大主动公开力度，加强政策解读和回应关切，强化业务培训，不断提升政府信息公开工作质量和水平。",
    "针对上述问题，将采取以下措施加以改进：一是健全信息发布机制；二是丰富解读形式；三是加强队伍建设和监督考核。",
)


def _n(values: Mapping[str, object], key: str) -> int:
    v = values.get(key)
    return int(v) if isinstance(v, int | float) else 0


def _requests_paragraph(values: Mapping[str, object], year: int) -> str:
    new = _n(values, "requests.new_received.total")
    carried = _n(values, "requests.carried_over.total")
    handled = _n(values, "requests.total_handled.total")
    forward = _n(values, "requests.carried_forward.total")
    if not new and not carried:
        return f"（二）依申请公开方面。{year}年，本机关未收到政府信息公开申请，未发生因政府信息公开申请引起的行政复议、行政诉讼。"
    granted = _n(values, "requests.granted.total") + _n(values, "requests.partially_granted.total")
    text = (
        f"（二）依申请公开方面。{year}年共收到政府信息公开申请{new}件，上年结转{carried}件；"
        f"办结{handled}件，其中予以公开及部分公开{granted}件"
    )
    text += f"，结转下年度继续办理{forward}件。" if forward else "。"
    return text + "所有申请均在法定期限内答复，答复内容规范、依据充分。"


def generate_prose(
    rng: random.Random,
    agency: str,
    year: int,
    template: str,
    values: Mapping[str, object],
    legacy_rows: Mapping[str, object],
) -> tuple[str, ...]:
    """The paragraphs of a report, headings included; tables are laid out before ``五、``/附表."""
    if template == "legacy":
        return _legacy_prose(rng, agency, year, legacy_rows)
    notice = (
        "《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）"
        if template == "2019"
        else "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"
        "（国办公开办函〔2021〕30号）"
    )
    preamble = (
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{notice}要求编制，"
        f"内容包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
        f"存在的主要问题及改进情况、其他需要报告的事项。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        f"如对本报告有任何疑问，请与{agency}办公室联系。"
    )
    published = rng.randint(40, 900) * (10 if _n(values, "requests.new_received.total") > 100 else 1)
    active = (
        f"（一）主动公开方面。{year}年，{agency}{rng.choice(_WORK)}全年通过政府网站主动公开政府信息{published}条，"
        f"其中政策文件{rng.randint(0, 30)}条、政策解读{rng.randint(0, 20)}篇。"
    )
    paras = [
        preamble,
        "一、总体情况",
        f"{year}年，{agency}{rng.choice(_WORK)}",
        active,
        _requests_paragraph(values, year),
        rng.choice(_MANAGE),
        rng.choice(_PLATFORM),
        rng.choice(_OVERSIGHT),
    ]
    fifth = (
        "五、存在的主要问题及改进情况"
        if rng.random() < 0.6
        else "五、政府信息公开工作存在的主要问题及改进情况"
    )
    paras += [fifth, rng.choice(_PROBLEMS), rng.choice(_IMPROVE), "六、其他需要报告的事项"]
    if template == "2021":
        paras.append(
            rng.choice(
                [
                    f"{year}年，本机关未收取信息处理费。",
                    "依据《政府信息公开信息处理费管理办法》，本年度未发出收费通知，未收取信息处理费。",
                    "无。",
                ]
            )
        )
    else:
        paras.append(rng.choice(["无。", "本年度无其他需要报告的事项。"]))
    paras += [agency, f"{year + 1}年1月{rng.randint(10, 30)}日"]
    return tuple(paras)


def _legacy_prose(rng: random.Random, agency: str, year: int, rows: Mapping[str, object]) -> tuple[str, ...]:
    published = _n(rows, "主动公开政府信息数") or _n(rows, "主动公开信息数")
    received = _n(rows, "收到申请数") or _n(rows, "受理依申请公开信息总数")
    paras = [
        f"本年度报告根据《中华人民共和国政府信息公开条例》要求，由{agency}编制。全文包括概述，主动公开政府信息情况，"
        f"依申请公开政府信息情况，政府信息公开的收费及减免情况，因政府信息公开申请行政复议、提起行政诉讼的情况，"
        f"政府信息公开工作存在的主要问题及改进措施等。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、概述",
        f"{year}年，{agency}{rng.choice(_WORK)}",
        "二、主动公开政府信息情况",
        f"{year}年，共主动公开政府信息{published}条。",
        "三、依申请公开政府信息情况",
        f"{year}年，共受理政府信息公开申请{received}件，均已按时答复。"
        if received
        else f"{year}年，未收到政府信息公开申请。",
        "四、政府信息公开的收费及减免情况",
        "本年度未收取任何费用。",
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
        "本年度未发生因政府信息公开申请行政复议、提起行政诉讼的情况。",
        "六、政府信息公开工作存在的主要问题及改进措施",
        rng.choice(_PROBLEMS),
        rng.choice(_IMPROVE),
        "附表：政府信息公开情况统计表" if year >= 2014 else f"附件：{year}年政府信息公开工作统计表",
    ]
    return tuple(paras)
