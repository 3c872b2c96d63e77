"""What to do with a fetched HTML page: which links and list pages to follow, and whether
the page itself is a report. Pure: (url, text, where the page came from) in, decisions out.

A hop's kind says what a link was taken for; its path code goes into the discovery path
stored with every capture: H home, D disclosure section, S department/sub-site, C report
column, P pager page, X datastore/dataproxy, J JSON API, R report page, A attachment, L other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import urldefrag, urlsplit

from lxml import html as lxml_html

from crawler.discovery.classify import LinkKind, classify, is_report_title
from crawler.discovery.explore import explore_reason
from crawler.discovery.harvest import Harvested, harvest, viewer_documents
from crawler.discovery.pagination import (
    PageRequest,
    datastore_records,
    gkmlpt_requests,
    record_links,
)
from crawler.discovery.protocols import Stated, plan_list

CODES = {"home": "H", "disclosure": "D", "department": "S", "column": "C", "list": "P", "datastore": "X",
         "json": "J", "report": "R", "maybe_report": "R", "attachment": "A", "other": "L"}
LIST_KINDS = frozenset({"column", "list", "datastore", "json"})


def answer_hop(request_kind: str) -> str:
    """The hop kind of a list request: ``list`` for a further HTML page, ``datastore`` for a
    Hanweb dataproxy answer, ``json`` for any other API or fragment answer."""
    return request_kind if request_kind in ("list", "datastore") else "json"
_ARTICLE_URL = re.compile(r"/t\d{8}_\d+\.s?html?$|/art_\d+_\d+\.html$|/post_\d+\.html$|/\d{6}/[^/]+\.s?html?$|"
                          r"/content/|/art/\d{4}/|/[0-9a-f]{32}\.s?html$|/\d{10,}\.html$", re.I)


@dataclass(frozen=True)
class Hop:
    """Where a request stands in the crawl: what it was taken for and how it was reached."""

    kind: str
    depth: int
    path: str
    source: str | None = None
    """URL of the page that led here."""
    link_title: str | None = None
    report_url: str | None = None
    """For an attachment of a report page: that page's URL."""
    via: str | None = None
    """How the URL was found on the page that led here: ``a`` (a link), ``iframe``, ``form-post``,
    ``onclick``, ``viewer``, ``script-list``, ``browser-click``, ``browser-xhr``… (None: a seed)."""
    column: str | None = None
    """URL of the annual-report column whose list led here (its pages, API answers and items)."""

    def child(self, kind: str, source: str, link_title: str | None = None, report_url: str | None = None,
              via: str | None = "a") -> Hop:
        column = source if self.kind == "column" else self.column
        if kind == "column":
            column = None
        return Hop(kind, self.depth + 1, self.path + CODES[kind], source, link_title, report_url, via, column)

    def as_meta(self) -> dict[str, object]:
        return {"kind": self.kind, "depth": self.depth, "path": self.path, "from": self.source,
                "title": self.link_title, "report_url": self.report_url, "via": self.via,
                "column": self.column}

    @classmethod
    def from_meta(cls, meta: dict[str, object]) -> Hop:
        return cls(str(meta.get("kind", "other")), int(str(meta.get("depth", 0) or 0)), str(meta.get("path", "")),
                   meta.get("from"), meta.get("title"), meta.get("report_url"),  # type: ignore[arg-type]
                   meta.get("via"), meta.get("column"))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Follow:
    """A request to make."""

    request: PageRequest
    hop: Hop
    priority: int


@dataclass(frozen=True)
class Skip:
    url: str
    reason: str


@dataclass
class PageDecision:
    """Everything decided about one page."""

    follows: list[Follow] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    title: str | None = None
    is_report: bool = False
    attachments: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    family: str | None = None
    """The list protocol recognised on a list page (``trs-static``, ``hanweb-jpage`` …)."""
    stated: Stated | None = None
    """What a list page says about its own size."""
    as_column: bool = False
    """The page was taken for a report but is an annual-report column (its ColumnName says so)."""
    explore: str | None = None
    """Why this column page needs the browser to find its way on (None: static reading will do)."""


_PRIORITY = {"column": 100, "report": 90, "attachment": 80, "list": 70, "datastore": 70, "json": 70,
             "maybe_report": 60, "disclosure": 50, "department": 40, "other": 5}


def page_title(root: lxml_html.HtmlElement) -> tuple[str | None, dict[str, str]]:
    """ArticleTitle meta, else <title>/<h1>; plus every named meta tag."""
    meta = {name: (m.get("content") or "").strip() for m in root.iter("meta") if (name := m.get("name"))}
    title = meta.get("ArticleTitle") or meta.get("articletitle")
    if not title:
        for xp in ("//h1", "//title"):
            found = root.xpath(xp)
            if found:
                text = re.sub(r"\s+", "", found[0].text_content())
                if text:
                    title = text
                    break
    return title, meta


def analyse(url: str, text: str, hop: Hop, netlocs: frozenset[str], max_depth: int = 8,
            follow_all: bool = False) -> PageDecision:
    """Decide what to follow from a page and whether it is a report page; ``follow_all`` also
    follows every other in-scope link (a whole-site capture)."""
    decision = PageDecision()
    try:
        root = lxml_html.fromstring(text) if text.strip() else None
    except (ValueError, lxml_html.etree.ParserError):
        root = None
    if root is None:
        return decision
    title, meta = page_title(root)
    decision.title, decision.meta = title, meta
    decision.is_report = (hop.kind in ("report", "maybe_report") and is_report_title(title or hop.link_title)) or (
        hop.kind not in LIST_KINDS and is_report_title(title))
    if (not decision.is_report and hop.kind in ("report", "maybe_report") and _looks_like_list(meta)
            and ((plan := plan_list(url, text)).family or plan.stated or explore_reason(root, []))):
        # a link titled like a report ("区县政府信息公开年报") led to an annual-report column (its
        # ColumnName says so, and it pages like a list, or its list is a script's)
        hop = replace(hop, kind="column")
        decision.as_column = True
    links = harvest(url, root, text)
    if hop.kind in LIST_KINDS or _looks_like_list(meta):
        for rec in datastore_records(text):
            links.extend(Harvested(u, t, t, "datastore") for u, t in record_links(rec, url))
        plan = plan_list(url, text)
        decision.family, decision.stated = plan.family, plan.stated
        for req in plan.requests:
            _add(decision, req, hop.child(answer_hop(req.kind), url, via=plan.family or "pager"), netlocs, max_depth)
    else:
        for req in gkmlpt_requests(url, text):
            _add(decision, req, hop.child("json", url), netlocs, max_depth)
    seen: set[tuple[str, str | None]] = set()
    for item in links:
        link = item.url
        link = urldefrag(link)[0] if "#" in link and "/gkmlpt/" not in link else link
        key = (link, item.body)
        if key in seen or (link == url and item.body is None):
            continue
        seen.add(key)
        if "?" in link and item.via != "viewer" and viewer_documents(link):
            decision.skips.append(Skip(link, "document viewer: its document is followed instead"))
            continue
        follow_link(decision, url, link, item.text, item.title, hop, netlocs, max_depth, follow_all,
                    item.via, item.method, item.body)
    if hop.kind == "column":
        decision.explore = explore_reason(root, ((f.hop.kind, f.hop.link_title) for f in decision.follows))
    return decision


def follow_link(decision: PageDecision, page_url: str, link: str, text: str | None, title: str | None,
                hop: Hop, netlocs: frozenset[str], max_depth: int, follow_all: bool = False,
                via: str = "a", method: str = "GET", body: str | None = None) -> None:
    """Classify one link of a page and add the follow (or skip) decision for it; ``via`` says how
    the link was found (:class:`~crawler.discovery.harvest.Harvested`), ``method``/``body`` are
    those of a POST form."""
    text_label, title_label = (text or "").strip(), (title or "").strip()
    label = title_label if len(title_label) > len(text_label) else text_label
    api = gkmlpt_requests(link)
    if api:  # the column is a script app keyed by the #fragment, which a request drops: go to its API
        for api_req in api:
            _add(decision, api_req, hop.child("json", page_url, label, via=via), netlocs, max_depth)
        return

    def go(kind: str, depth: int, report_url: str | None = None) -> None:
        _follow(decision, link, hop, kind, page_url, label, netlocs, depth, report_url, via, method, body)

    kind = classify(link, text, title)
    on_list = hop.kind in LIST_KINDS
    if kind is LinkKind.ATTACHMENT:
        if decision.is_report or hop.kind in ("report", "maybe_report"):
            decision.attachments.append(link)
            go("attachment", max_depth, page_url)
        elif is_report_title(label):
            go("attachment", max_depth, link)
        else:
            decision.skips.append(Skip(link, "attachment not on a report page"))
    elif kind is LinkKind.REPORT:
        go("report", max_depth)
    elif kind is LinkKind.REPORT_COLUMN:
        go("column", max_depth)
    elif kind is LinkKind.NOISE:
        decision.skips.append(Skip(link, f"not an annual report: {label[:40]}"))
    elif kind is LinkKind.DISCLOSURE and hop.kind not in ("report", "maybe_report", "attachment"):
        go("disclosure", min(max_depth, 5))
    elif kind is LinkKind.DEPARTMENT and hop.kind in ("home", "disclosure", "department"):
        go("department", min(max_depth, 6))
    elif on_list and _PAGER_LABEL.match(label or "") and _same_folder(link, page_url):
        go("list", max_depth)
    elif on_list and _ARTICLE_URL.search(urlsplit(link).path):
        go("maybe_report", max_depth)
    elif hop.kind == "home" and urlsplit(link).netloc.lower() in netlocs and urlsplit(link).path.count("/") <= 2:
        go("other", 2)
    elif follow_all and kind is not LinkKind.NOISE:
        go("other", max(max_depth, 50))
    else:
        decision.skips.append(Skip(link, "not on a path to annual reports"))


_PAGER_LABEL = re.compile(r"^(?:下一?页|下页|后一?页|尾页|末页|最后一?页|\d{1,4}|>|>>|»)$")


def _same_folder(link: str, page_url: str) -> bool:
    a, b = urlsplit(link), urlsplit(page_url)
    return a.netloc == b.netloc and a.path.rsplit("/", 1)[0] == b.path.rsplit("/", 1)[0]


def _add(decision: PageDecision, req: PageRequest, hop: Hop, netlocs: frozenset[str], max_depth: int) -> None:
    reason = _unreachable(req.url, hop.depth, netlocs, max_depth)
    if reason is None:
        decision.follows.append(Follow(req, hop, _PRIORITY.get(hop.kind, 0) - hop.depth))
    else:
        decision.skips.append(Skip(req.url, reason))


def _follow(decision: PageDecision, link: str, hop: Hop, kind: str, page_url: str, label: str,
            netlocs: frozenset[str], max_depth: int, report_url: str | None = None, via: str = "a",
            method: str = "GET", body: str | None = None) -> None:
    """:func:`_add` for a request of a link (a GET, or a form's POST of ``body``), building its hop
    only if it is followed (most links a whole-site crawl skips lead off the site)."""
    reason = _unreachable(link, hop.depth + 1, netlocs, max_depth)
    if reason is None:
        child = hop.child(kind, page_url, label, report_url, via)
        request = PageRequest(link) if body is None and method == "GET" else PageRequest(
            link, method, body, {"Content-Type": "application/x-www-form-urlencoded", "Referer": page_url})
        decision.follows.append(Follow(request, child, _PRIORITY.get(kind, 0) - child.depth))
    else:
        decision.skips.append(Skip(link, reason))


def _unreachable(url: str, depth: int, netlocs: frozenset[str], max_depth: int) -> str | None:
    """Why a request at ``depth`` is not made, or None."""
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    if parts.scheme not in ("http", "https"):
        return "not http(s)"
    if netloc not in netlocs:
        return f"offsite ({netloc})"
    if depth > max_depth:
        return f"deeper than {max_depth}"
    return None


def _looks_like_list(meta: dict[str, str]) -> bool:
    column = meta.get("ColumnName", "")
    return "年报" in column or "年度报告" in column
