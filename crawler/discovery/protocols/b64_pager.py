"""Lists whose pager is shipped encoded: ``<div id="pages">`` holds base64 of URL-quoted pager HTML,
which the page's script decodes with ``window.atob`` (+ ``decodeURIComponent``/``unescape``)
and writes in. Decoded here, its page links are the further pages (kind ``list``); when the
decoded pager states ``共N页`` and its links number pages as ``…_K.html``/``…page=K``, the
pages it does not link are filled in up to N (capped at MAX_PAGES)."""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote

from crawler.discovery.pagination import PageRequest, record_links
from crawler.discovery.protocols.base import MAX_PAGES, ListPlan
from crawler.discovery.protocols.stated import stated_size

FAMILY = "b64-pager"
_HOLDER = re.compile(r"<(div|span|p)\b[^>]*\bid\s*=\s*[\"']?(\w*page\w*)[\"']?[^>]*>\s*([A-Za-z0-9+/=\s]{16,})\s*</\1>",
                     re.I)
_NUMBERED = re.compile(r"^(.*?(?:_|[?&](?:page|pageNo|pageIndex|currpage|cur_page)=|-))(\d{1,4})(\.\w+)?$")


def decode_pager(text: str) -> str | None:
    """The pager HTML hidden in a base64 holder, when the page decodes it with atob."""
    if "atob" not in text:
        return None
    m = _HOLDER.search(text)
    if not m:
        return None
    try:
        raw = base64.b64decode(re.sub(r"\s+", "", m.group(3)), validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return None
    decoded = unquote(raw)
    return decoded if "<" in decoded else None


def plan(url: str, text: str) -> ListPlan | None:
    pager = decode_pager(text)
    if pager is None:
        return None
    pairs = record_links(pager, url)
    links = list(dict.fromkeys(link for link, _ in pairs))
    stated = stated_size(pager) or stated_size(text)
    if stated and stated.pages:
        # a link labelled with its page number gives the pattern and the offset (index_1.html is page 2)
        for link, label in pairs:
            m = _NUMBERED.match(link)
            if m and label.strip().isdigit():
                head, tail, offset = m.group(1), m.group(3) or "", int(label) - int(m.group(2))
                links += [f"{head}{n - offset}{tail}" for n in range(2, min(stated.pages, MAX_PAGES) + 1)
                          if n - offset >= 0]
                break
    links = [u for u in dict.fromkeys(links) if u != url][:MAX_PAGES]
    return ListPlan(FAMILY, [PageRequest(u) for u in links], stated)
