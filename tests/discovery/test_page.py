"""Page analysis (crawler.discovery.page): what each link of a page leads to."""

from __future__ import annotations

from crawler.discovery.page import Hop, analyse

SITE = frozenset({"www.shifan.gov.cn"})
PAGE = "http://www.shifan.gov.cn/zwgk/zfxxgk/index.html"
HTML = """<html><head><title>政务公开</title><meta name="ColumnName" content="政府信息公开"></head><body>
<a href="/index.html">首页</a> <a href="zfxxgknb/">政府信息公开年报</a>
<a href="../bmxxgk/czj/">市财政局</a> <a href="http://www.gov.cn/">中国政府网</a>
<a href="javascript:void(0)">打印</a> <a href="#top">顶部</a> <a href="/zwgk/zfxxgk/zfxxgknb/">重复链接</a>
<a href="ftp://files.shifan.gov.cn/a.zip">资料</a>
</body></html>"""


def test_links_are_followed_or_skipped_with_a_reason() -> None:
    decision = analyse(PAGE, HTML, Hop("disclosure", 1, "HD"), SITE)
    follows = {f.request.url: (f.hop.kind, f.hop.path, f.priority) for f in decision.follows}
    assert follows == {
        "http://www.shifan.gov.cn/zwgk/zfxxgk/zfxxgknb/": ("column", "HDC", 98),
        "http://www.shifan.gov.cn/zwgk/bmxxgk/czj/": ("department", "HDS", 38),
    }
    skips = {s.url: s.reason for s in decision.skips}
    assert skips == {
        "http://www.shifan.gov.cn/index.html": "not on a path to annual reports",
        "http://www.gov.cn/": "not on a path to annual reports",
        "ftp://files.shifan.gov.cn/a.zip": "attachment not on a report page",
    }
    assert decision.title == "政务公开" and decision.meta == {"ColumnName": "政府信息公开"}
    assert not decision.is_report


def test_whole_site_scope_follows_every_link_on_the_site() -> None:
    decision = analyse(PAGE, HTML, Hop("other", 3, "HLLL"), SITE, follow_all=True)
    assert {f.request.url: f.hop.kind for f in decision.follows} == {
        "http://www.shifan.gov.cn/index.html": "other",
        "http://www.shifan.gov.cn/zwgk/zfxxgk/zfxxgknb/": "column",
        "http://www.shifan.gov.cn/zwgk/bmxxgk/czj/": "other",
    }
    assert {s.url: s.reason for s in decision.skips} == {
        "http://www.gov.cn/": "offsite (www.gov.cn)",
        "ftp://files.shifan.gov.cn/a.zip": "attachment not on a report page",
    }


def test_depth_limits_by_kind() -> None:
    decision = analyse(PAGE, HTML, Hop("disclosure", 6, "HDDDDDD"), SITE)
    assert [f.request.url for f in decision.follows] == ["http://www.shifan.gov.cn/zwgk/zfxxgk/zfxxgknb/"]
    assert "deeper than 6" in {s.reason for s in decision.skips}
