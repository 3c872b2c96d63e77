"""What a fetched page is, before anyone parses it.

One place decides (conventions §10): a JavaScript anti-bot challenge (瑞数 412/202/200 with
``$_ts``; 加速乐 521 with ``document.cookie=…;location…``; 安全狗 ``self.location``), a script
shell whose content is filled in by JavaScript (gkmlpt, Vue/doT templates, an empty list
container), a soft 404 (200 with 页面不存在), or content. Challenge and shell pages go to the
browser; soft 404s and challenges are never stored as report content.
"""

from __future__ import annotations

import re
from enum import StrEnum

from lxml import html as lxml_html

_SMALL = 8000
"""Challenge pages, script shells and soft 404s are small; a page larger than this (in
characters) without their markers is content, and needs no parse to tell."""


class PageState(StrEnum):
    CONTENT = "content"
    CHALLENGE = "challenge"
    SHELL = "shell"
    SOFT_404 = "soft_404"
    BLOCKED = "blocked"


_CHALLENGE = re.compile(
    r"\$_ts\s*=|\$_ts\.|document\.cookie\s*=.{0,400}?location(?:\.href)?\s*=|__jsl_clearance|"
    r"_\$[\w$]{1,4}\(\)|服务器安全狗防护验证页面|self\.location\s*=|window\.location\.reload\(\)",
    re.S,
)
_CHALLENGE_TITLE = re.compile(r"Just a moment|请稍候|安全验证|访问验证|Loading")
_BLOCKED = re.compile(r"访问异常|访问被拒绝|您的访问被阻断|Access Denied|非法访问|频繁访问")
_SOFT_404 = re.compile(
    r"页面不存在|找不到(?:该|您)?(?:访问的)?页面|访问的页面不存在|页面已删除|404\s*Not\s*Found|"
    r"抱歉，您访问的页面|该信息不存在|信息已删除"
)
_SHELL_MARKS = tuple(
    re.compile(p, re.I)
    for p in (
        r"\{\{[=~#]?\s*[\w.]+",
        r"<div[^>]*\bid=[\"'](?:app|root|content|main|list)[\"'][^>]*>\s*</div>",
        # v-for=, ng-repeat, data-src="/api/, fetch('/…api: each written to start at a character
        # without case and to look back for the rest, because a case-insensitive search for a
        # pattern that starts with a letter cannot skip ahead (~20 µs a page each).
        r"-for=(?<=v-for=)",
        r"-repeat(?<=ng-repeat)",
        r"-src=[\"']/api/(?<=data-src=[\"']/api/)",
        r"\((?<=fetch\()\s*['\"]/[^'\"]*api",
    )
)
"""Markers of a script shell (a template or an empty app container), searched one by one: one
alternation of them all is ten times slower to search than its parts."""
_MARKS = re.compile("|".join(p.pattern for p in (_CHALLENGE, _CHALLENGE_TITLE, _SOFT_404, _BLOCKED)), re.S)
"""Any marker of a page that is not content, except a shell's, in one pass over the page."""


def page_state(status: int, body: bytes | str, content_type: str = "") -> PageState:
    """Classify a response by status, body and type."""
    if content_type and not _is_html(content_type, body):
        return PageState.CONTENT
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    head = text[:20000]
    # The common case first, in one pass: no marker of anything but content (soft-404 and
    # blocked markers only count in a small page), so no parse is needed.
    if status == 200 and not _MARKS.search(text if len(text) <= _SMALL else head) and not _shell_marked(head):
        return PageState.CONTENT
    marked = _CHALLENGE.search(head) or _shell_marked(head) or _CHALLENGE_TITLE.search(head)
    if status == 200 and not marked and (len(text) > _SMALL or not (_SOFT_404.search(text) or _BLOCKED.search(text))):
        return PageState.CONTENT
    if status in (412, 521, 202) and ("<script" in head.lower() or _CHALLENGE.search(head)):
        return PageState.CHALLENGE
    visible = _visible_text(text)
    if _CHALLENGE.search(head) and len(visible) < 400:
        return PageState.CHALLENGE
    title = re.search(r"<title[^>]*>(.*?)</title>", head, re.S | re.I)
    if title and _CHALLENGE_TITLE.search(title.group(1)) and len(visible) < 400:
        return PageState.CHALLENGE
    if status in (403, 429) or (len(visible) < 300 and _BLOCKED.search(visible)):
        return PageState.BLOCKED
    if status == 200 and len(visible) < 600 and _SOFT_404.search(visible):
        return PageState.SOFT_404
    if _shell_marked(head) and len(visible) < 800:
        return PageState.SHELL
    return PageState.CONTENT


def _shell_marked(head: str) -> bool:
    return any(p.search(head) for p in _SHELL_MARKS)


def _is_html(content_type: str, body: bytes | str) -> bool:
    ct = content_type.lower()
    if "html" in ct or "xml" in ct:
        return True
    start = (
        (body[:512] if isinstance(body, bytes) else body[:512].encode("utf-8", "replace")).lstrip().lower()
    )
    return start.startswith((b"<!doctype html", b"<html", b"<script", b"<meta", b"<head"))


def _visible_text(text: str) -> str:
    """Text a reader would see: no scripts, styles or templates."""
    try:
        root = lxml_html.fromstring(text or "<html/>")
    except (ValueError, lxml_html.etree.ParserError):
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    return re.sub(r"\s+", "", root.text_content())
