"""Link resolution (crawler.discovery.links): the same URLs as urljoin, including the odd
links for which the page's own path does matter."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from crawler.discovery.links import resolve, site_origin

BASES = ["http://a.gov.cn/x/y/z.html?q=1#f", "http://a.gov.cn/other;p/page?x=2", "http://a.gov.cn", "https://b.gov.cn:8080/", "http://c.gov.cn", "http://d.gov.cn/p;par?x",
         "HTTP://E.gov.cn/a/b/", "http://[::1]:80/a", "ftp://g.gov.cn/x", "/relative/base"]
HREFS = ["/", "/a/../b", "/?q", "/#f", "//other.cn/x", "//", "///x", "/\t/x", "/\nx", "http://h.cn", "https://h.cn/a",
         "http://", "http:///x", "http://?q", "http://\th/x", "https://#f", "HTTP://h.cn/", "a.html", "../up", "?page=2",
         ";p", ".", "http:x", "mailto:a@b.cn", "/é/空格 x", "http://h.cn/\t"]


@pytest.mark.parametrize("base", BASES)
def test_links_resolve_as_urljoin_resolves_them(base: str) -> None:
    origin = site_origin(base)
    for href in HREFS:
        assert resolve(base, origin, href) == urljoin(base, href), href
        assert resolve(base, origin, href) == urljoin(base, href), href  # from the cache
