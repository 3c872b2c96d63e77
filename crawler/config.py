"""The crawl's settings: one typed, validated object, read once from the environment
(prefix ``NIANBAO_``) and the command line. Components receive it; none reads the
environment itself."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from crawler.fetch.addresses import Allowlist, parse_hosts

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-blink-features=AutomationControlled",
)


class ConfigError(ValueError):
    """A setting with a bad value; the message names the setting."""


@dataclass(frozen=True)
class CrawlConfig:
    """Everything a crawl run needs to know, validated."""

    db_url: str = "sqlite:///data/nianbao.sqlite"
    """SQLAlchemy URL of the store (``postgresql+psycopg://…`` for PostgreSQL)."""
    archive_dir: Path = Path("data/warc")
    """Folder for the WARC files and their CDXJ indexes."""
    log_dir: Path = Path("data/logs")
    """Folder for the per-URL JSONL crawl logs."""
    max_pages: int = 0
    """Stop after this many fetched pages (0: no limit)."""
    years: frozenset[int] = frozenset()
    """Report years to keep (empty: all)."""
    obey_robots: bool = True
    concurrency: int = 16
    per_host: int = 4
    autothrottle: bool = True
    download_delay: float = 0.0
    max_download_mb: int = 100
    """Larger responses are refused (and logged), never archived half."""
    timeout_s: float = 60.0
    retries: int = 3
    max_depth: int = 8
    scope: str = "reports"
    """``reports``: follow only paths towards annual reports; ``site``: archive every in-scope page
    too (a whole-site capture, reports still recognised and parsed)."""
    browser: bool = True
    """Render script shells and challenges with Chromium (off: such pages are logged as skipped)."""
    chromium_path: str = "/usr/bin/chromium"
    browser_pages: int = 4
    explore_clicks: int = 40
    """Clicks the browser may make on one list page whose way on is a script (items, pager,
    加载更多, tabs, year selectors); every bound hit is logged and flagged on the column."""
    explore_seconds: float = 30.0
    """Seconds of behaviours (clicks, scrolls, waits) on one explored page."""
    explore_pages: int = 3
    """Pages of one annual-report column the browser may explore."""
    warc_compress_level: int = 3
    """gzip level of WARC records (1 fastest … 9 smallest); 3 costs little CPU for most of the gain."""
    parse_workers: int = 2
    """Worker processes that parse documents while the crawl goes on."""
    parse_memory_mb: int = 3072
    """Address space of each parser worker (0: unlimited): a document that needs more is a parse
    error, not a crawl machine out of memory."""
    parse_cpu_s: float = 120.0
    """CPU seconds one document may take to parse (0: unlimited)."""
    parse_wall_s: float = 600.0
    """Seconds one document may take to parse before its worker is replaced (0: unlimited)."""
    ocr: bool = True
    """OCR scanned attachments (tesseract chi_sim; a few seconds a page)."""
    trigger: str = "manual"
    """Why this crawl runs: manual, schedule (set by the scheduler) or resume."""
    operator: str = ""
    """Who runs the crawl, recorded in the WARC warcinfo and the crawl run."""
    user_agent: str = "Mozilla/5.0 (compatible; nianbao/0.1; archive of government information-disclosure annual reports)"
    extra_domains: tuple[str, ...] = field(default_factory=tuple)
    """Further domains in scope besides each start URL's own."""
    proxy: str = ""
    """Forward proxy for plain and browser requests alike (``http://user:pass@host:port``); empty:
    the standard ``https_proxy``/``http_proxy`` variables, else none. Portals that answer only
    domestic addresses are crawled through one. Recorded with its password masked."""
    no_proxy: str = ""
    """Hosts reached directly despite the proxy (comma-separated, ``.gov.cn`` for a whole domain);
    empty: the standard ``no_proxy`` variable."""
    allow_internal: tuple[str, ...] = field(default_factory=tuple)
    """Internal networks the crawl may connect to (CIDRs, ``10.1.0.0/16``; a bare address is just
    it). Every other loopback, private, link-local, CGNAT, multicast or reserved address is refused,
    for plain and browser requests alike (crawler/fetch/addresses.py). The proxy's host is exempt."""
    resolve: tuple[str, ...] = field(default_factory=tuple)
    """Fixed DNS answers, ``name=address`` (like curl's ``--resolve``), for plain and browser
    requests; the address is judged like any DNS answer."""
    min_rate_bps: int = 512
    """A download that receives fewer bytes a second than this over a whole window is cut
    (0: no floor)."""
    rate_window_s: float = 20.0
    """Seconds over which the minimum rate is measured."""
    host_timeouts: int = 3
    """After this many timeouts or rate cuts in a row, a host is sent no more requests."""
    timeout_retries: int = 1
    """Retries of a request that timed out (other failures are retried ``retries`` times)."""

    def validate(self) -> CrawlConfig:
        """Raise ConfigError for a value that cannot work; return self."""
        if not self.db_url or "://" not in self.db_url:
            raise ConfigError(f"db_url {self.db_url!r}: expected a URL such as sqlite:///data/nianbao.sqlite")
        for name in ("concurrency", "per_host", "browser_pages", "max_download_mb", "retries", "max_depth",
                     "parse_workers"):
            if getattr(self, name) < 1 and not (name == "retries" and getattr(self, name) == 0):
                raise ConfigError(f"{name} {getattr(self, name)}: expected a positive number")
        if self.trigger not in ("manual", "schedule", "resume"):
            raise ConfigError(f"trigger {self.trigger!r}: expected manual, schedule or resume")
        if self.scope not in ("reports", "site"):
            raise ConfigError(f"scope {self.scope!r}: expected 'reports' or 'site'")
        if self.max_pages < 0:
            raise ConfigError(f"max_pages {self.max_pages}: expected 0 (no limit) or more")
        for name in ("explore_clicks", "explore_seconds", "explore_pages", "parse_memory_mb", "parse_cpu_s",
                     "parse_wall_s"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} {getattr(self, name)}: expected 0 (no exploring) or more")
        if self.per_host > self.concurrency:
            raise ConfigError(f"per_host {self.per_host} is larger than concurrency {self.concurrency}")
        if not self.user_agent.isascii() or not self.user_agent.strip():
            # Headers travel as bytes and the browser's navigator.userAgent as text: a non-ASCII
            # UA differs between the two, and UA-bound challenge cookies (瑞数) never validate.
            raise ConfigError(f"user_agent {self.user_agent!r}: must be non-empty ASCII")
        if any(not (1990 <= y <= 2100) for y in self.years):
            raise ConfigError(f"years {sorted(self.years)}: expected four-digit years")
        if self.proxy and not _valid_proxy(self.proxy):
            raise ConfigError(
                f"proxy {mask_password(self.proxy)!r}: expected http://[user:password@]host:port"
            )
        for name, check in (("allow_internal", Allowlist.parse), ("resolve", parse_hosts)):
            try:
                check(getattr(self, name))
            except ValueError as e:
                raise ConfigError(f"{name} {e}") from None
        if self.min_rate_bps < 0 or self.rate_window_s <= 0 or self.timeout_retries < 0 or self.host_timeouts < 1:
            raise ConfigError(
                f"min_rate_bps {self.min_rate_bps}, rate_window_s {self.rate_window_s}, host_timeouts "
                f"{self.host_timeouts}, timeout_retries {self.timeout_retries}: expected ≥ 0, > 0, ≥ 1, ≥ 0"
            )
        if self.browser and not Path(self.chromium_path).exists():
            raise ConfigError(
                f"chromium_path {self.chromium_path}: not found (install chromium, or --no-browser)"
            )
        return self

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> CrawlConfig:
        """Defaults, then ``NIANBAO_*`` variables, then explicit overrides (the command line)."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in cls.__dataclass_fields__.values():
            raw = env.get("NIANBAO_" + f.name.upper())
            if raw is not None:
                values[f.name] = _convert(f.name, raw, getattr(cls(), f.name))
        values.update({k: v for k, v in overrides.items() if v is not None})
        # The standard variables every HTTP client honours, when nianbao's own are not given: one
        # proxy serves both schemes (Chromium takes one), the https one preferred.
        if not values.get("proxy"):
            values["proxy"] = next((env[k] for k in _PROXY_VARS if env.get(k)), "")
        if not values.get("no_proxy"):
            values["no_proxy"] = env.get("no_proxy") or env.get("NO_PROXY") or ""
        return replace(cls(), **values).validate()  # type: ignore[arg-type]


_PROXY_VARS = ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY")


def _valid_proxy(url: str) -> bool:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and port is not None \
        and parts.path in ("", "/") and not parts.query


def mask_password(url: str) -> str:
    """``url`` with the password of its user part replaced by ``***`` (for logs, WARC, the store)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    netloc, slash, tail = rest.partition("/")
    userinfo, at, host = netloc.rpartition("@")
    if not at:
        return url
    user, colon, _ = userinfo.partition(":")
    return f"{scheme}://{user}{':***' if colon else ''}@{host}{slash}{tail}"


def _convert(name: str, raw: str, default: object) -> object:
    try:
        if isinstance(default, bool):
            if raw.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(raw)
            return raw.lower() in ("1", "true", "yes", "on")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, Path):
            return Path(raw)
        if isinstance(default, frozenset):
            return frozenset(int(x) for x in raw.replace(",", " ").split())
        if isinstance(default, tuple):
            return tuple(x for x in raw.replace(",", " ").split())
    except ValueError:
        raise ConfigError(f"NIANBAO_{name.upper()}={raw!r}: expected a {type(default).__name__}") from None
    return raw
