"""Is this link a report column, a disclosure section, a report, an attachment, or noise?

Decided from link text, title attribute and URL slugs, as real portals name them
(research/url-patterns.md §1–2): 政府信息公开年报, 信息公开年报, 公开年报, 年度报告; slugs
zfxxgknb, xxgknb, gknb, ndbg, xxgkndbg, ndxxgkbg, OpennessAnnualReport, annualreport.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache
from urllib.parse import unquote, urlsplit


class LinkKind(StrEnum):
    """What a link probably leads to, most specific first."""

    ATTACHMENT = "attachment"
    REPORT = "report"
    REPORT_COLUMN = "report_column"
    DISCLOSURE = "disclosure"
    DEPARTMENT = "department"
    NOISE = "noise"
    OTHER = "other"


_SP = re.compile(r"\s+")
_ATTACHMENT_EXT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd|zip|rar)$", re.I)
_DOWNLOAD = re.compile(r"downfile\.jsp|download\.jsp|/download/|attachment|fileDownload|getFile", re.I)
_COLUMN_SLUG = re.compile(
    r"(?:^|[/_#-])(?:zfxxgknb|xxgknb|gknb|ndbg|xxgkndbg|ndxxgkbg|openness/?annualreport|annualreport|"
    r"zfxxgkndbg|gkndbg|xxgkbg)(?:[/_.#-]|$)",
    re.I,
)
_COLUMN_TEXT = re.compile(
    r"^(?:部门|乡镇|街道|县直|区直|市直|单位|镇街)?(?:政府)?(?:信息|政务)?公开(?:工作)?(?:年报|年度报告)$|"
    r"^(?:部门|乡镇|街道|县直|区直|市直|单位|镇街)?(?:年度报告|年报)$|"
    r"^(?:政府信息公开|信息公开|政务公开)(?:工作)?年度报告$"
)
_DISCLOSURE_TEXT = re.compile(
    r"政府信息公开|信息公开|政务公开|公开目录|部门公开|部门信息|法定主动公开|"
    r"信息公开指南|主动公开|公开专栏|政府公开"
)
_DISCLOSURE_SLUG = re.compile(
    r"(?:^|/)(?:zwgk|xxgk|zfxxgk|gkml|gkmlpt|openness|zfxxgkzl|xxgkml|bmxxgk|"
    r"public|zdgk)(?:[/_.#]|$)",
    re.I,
)
_DEPARTMENT_TEXT = re.compile(
    r"^[\u4e00-\u9fa5（）()]{2,20}(?:局|委员会|委|办公室|办|厅|署|中心|院|"
    r"人民政府|政府|街道|街道办事处|镇|乡|管委会|管理委员会)$"
)
_REPORT = re.compile(
    r"(?:政府)?(?:信息|政务)公开(?:工作)?的?(?:年度)?(?:报告|年报)|信息公开年报|政府信息公开工作年度报告"
)
_REPORT_TAIL = re.compile(
    r"(?:年度报告|年报|工作报告|年度工作报告)\s*(?:[（(][^）)]{0,12}[)）])?\s*"
    r"(?:\.(?:pdf|docx?|wps|xlsx?))?$",
    re.I,
)
_AGENCY_PREFIX = re.compile(r"^[\u4e00-\u9fa5（）()]{1,30}?(?:局|委员会|委|办公室|办|厅|署|中心|院|会|处|所|站|"
                            r"人民政府|政府|街道|镇|乡|区|县|市|州|盟|旗)(?:关于)?(?:政府|政务)?信息公开")
_YEAR = re.compile(r"(?:19|20)\d{2}|[二][〇○零][〇○零一二三四五六七八九]{2}")
_NOISE = re.compile(
    r"政府工作报告|统计公报|国民经济和社会发展|预算|决算|法治政府建设|审计(?:工作)?报告|审计结果|述职|工作要点|"
    r"工作总结|通知|意见|办法|解读|培训|会议|征集|考核|评估|目录|指南|申请表|表格下载"
)

# Letters and notices *about* reports, which annual-report columns list beside the reports
# (e.g. 关于报送2013年政府信息公开工作年度报告的通知, 关于2014年度政府信息公开工作年度报告的函,
# 年报督查情况的通报). 关于 alone is no sign: "XX局关于2015年度政府信息公开工作年度报告" is a report.
_NOTICE = re.compile(
    r"通知|通报|[的复公便]函|函$|报送|上报|催报|督查(?!室)|督办|评议|评查|测评|抽查|检查(?!院)|点评|"
    r"公示|公告|批复|请示|整改|印发|转发|编制(?:工作|情况|说明|要求|指引)|"
    r"关于(?:公布|发布|印发|报送|上报|做好|开展|编制|提交|推进|加强|规范|落实|转发)"
)


def is_notice_title(title: str | None) -> bool:
    """A letter or notice about annual reports (通知, 函, 报送, 督查, 通报, 评议…), not a report."""
    t = norm(title)
    return bool(t) and bool(_REPORT.search(t) or "年报" in t or "年度报告" in t) and bool(_NOTICE.search(t))


def norm(text: str | None) -> str:
    """Link text without whitespace (portals pad it with spaces and line breaks)."""
    return _SP.sub("", text or "")


def is_attachment_url(url: str) -> bool:
    """A file download: by extension of the path or of a filename= parameter, or a download endpoint."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if _ATTACHMENT_EXT.search(path):
        return True
    query = unquote(parts.query)
    return bool(
        _DOWNLOAD.search(path) or re.search(r"(?:file|name)=[^&]*\.(pdf|docx?|wps|xlsx?)(?:&|$)", query, re.I)
    )


def is_report_title(title: str | None) -> bool:
    """A 政府信息公开工作年度报告 by its title (not 政府工作报告, 统计公报, 预算/决算, notices…)."""
    t = norm(title)
    if not t or len(t) > 90:
        return False
    if not _REPORT.search(t) or not _REPORT_TAIL.search(t):
        return False
    if not _YEAR.search(t) and not _AGENCY_PREFIX.match(t):
        return False  # "政府信息公开年报" with neither year nor agency is a column name
    if _NOTICE.search(t):
        return False
    noise = _NOISE.search(t)
    return noise is None or noise.start() > t.rfind("报告") + 10


@lru_cache(maxsize=4096)
def classify(url: str, text: str | None = None, title: str | None = None) -> LinkKind:
    """The most likely kind of page a link leads to."""
    # Cached: a portal repeats its navigation and footer links on every page (87 % of the
    # links a crawl of the bulk farm portal classifies were classified before).
    normed_title, normed_text = norm(title), norm(text)
    label = normed_title if title and len(normed_title) > len(normed_text) else normed_text
    if is_attachment_url(url):
        return LinkKind.ATTACHMENT
    if is_report_title(label):
        return LinkKind.REPORT
    parts = urlsplit(url)
    path = parts.path + ("#" + parts.fragment if parts.fragment else "")
    if _COLUMN_TEXT.search(label) or (
        _COLUMN_SLUG.search(path) and len(label) <= 12 and not _NOISE.search(label)
    ):
        return LinkKind.REPORT_COLUMN
    if label and (_NOISE.search(label) or is_notice_title(label)) and ("报告" in label or "年报" in label):
        return LinkKind.NOISE
    if _DISCLOSURE_TEXT.search(label) and len(label) <= 16:
        return LinkKind.DISCLOSURE
    if _DEPARTMENT_TEXT.match(label):
        return LinkKind.DEPARTMENT
    if not label and _DISCLOSURE_SLUG.search(path):
        return LinkKind.DISCLOSURE
    return LinkKind.OTHER
