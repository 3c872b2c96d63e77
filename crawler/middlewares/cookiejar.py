"""The crawl's cookie jar survives a crash: saved with the run at each commit (when it changed),
restored when the run resumes.

Without it a resumed crawl would meet every anti-bot challenge again and fetch the pages a
passed challenge had opened once more, through the browser.
"""

from __future__ import annotations

from http.cookiejar import Cookie, CookieJar
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from sqlmodel import Session

from crawler.context import CrawlContext, context_of

_FIELDS = (
    "version", "name", "value", "port", "port_specified", "domain", "domain_specified",
    "domain_initial_dot", "path", "path_specified", "secure", "expires", "discard", "comment",
    "comment_url", "rfc2109",
)


def plain_jar(crawler: Crawler) -> CookieJar | None:
    """The cookie jar of Scrapy's CookiesMiddleware (plain requests), if cookies are on."""
    downloader = getattr(crawler.engine, "downloader", None)
    middlewares = getattr(getattr(downloader, "middleware", None), "middlewares", ())
    jar_mw = next((m for m in middlewares if type(m).__name__ == "CookiesMiddleware"), None)
    if jar_mw is None:
        return None
    return jar_mw.jars[None].jar  # type: ignore[no-any-return]


def cookie_to_dict(cookie: Cookie) -> dict[str, Any]:
    """A JSON-safe form of a cookie."""
    out = {k: getattr(cookie, k) for k in _FIELDS}
    out["rest"] = dict(cookie._rest)  # type: ignore[attr-defined]
    return out


def cookie_from_dict(data: dict[str, Any]) -> Cookie:
    """The cookie back from :func:`cookie_to_dict`."""
    fields: dict[str, Any] = {k: data.get(k) for k in _FIELDS}
    return Cookie(**fields, rest=data.get("rest") or {})


class CookieJarKeeper:
    """Saves the jar into ``crawl_runs.cookie_jar`` with each commit; restores it on resume."""

    def __init__(self, ctx: CrawlContext, crawler: Crawler) -> None:
        self.ctx = ctx
        self.crawler = crawler
        self._saved: tuple[tuple[str, str, str, str], ...] = ()
        self._restored = not ctx.resuming
        ctx.on_commit.append(self.save)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CookieJarKeeper:
        return cls(context_of(crawler), crawler)

    def process_request(self, request: Request) -> None:
        if self._restored:
            return
        self._restored = True
        from storage.models import CrawlRun

        run = self.ctx.session.get(CrawlRun, self.ctx.run_id)
        jar = plain_jar(self.crawler)
        if run is None or jar is None:
            return
        for data in run.cookie_jar or ():
            jar.set_cookie(cookie_from_dict(data))
        self._saved = self._key(jar)

    @staticmethod
    def _key(jar: CookieJar) -> tuple[tuple[str, str, str, str], ...]:
        return tuple(sorted((c.domain, c.path, c.name, c.value or "") for c in jar))

    def save(self, session: Session) -> None:
        """Commit hook: write the jar into the run row when it differs from the last save."""
        if not self._restored:
            return
        jar = plain_jar(self.crawler)
        if jar is None:
            return
        key = self._key(jar)
        if key == self._saved:
            return
        from storage.models import CrawlRun

        run = session.get(CrawlRun, self.ctx.run_id)
        if run is not None:
            run.cookie_jar = [cookie_to_dict(c) for c in jar]
            session.add(run)
        self._saved = key
