"""The crawl frontier in the database, so a killed crawl resumes where it stopped (issue 5).

- :mod:`.ledger`: what the next commit writes — queued and finished requests, held documents;
- :mod:`.requests`: Scrapy requests to frontier rows and back;
- :mod:`.scheduler`: the Scrapy scheduler that records every request it accepts and, on resume,
  starts from the run's unfinished requests;
- :mod:`.replay`: on resume, answers a request the killed process had already fetched from the
  WARC instead of the network.
"""

from typing import Any

FRONTIER_KEY = "nianbao_frontier"
"""request.meta key: fingerprint of the frontier request a Scrapy request serves (a redirect,
retry or render of a request keeps the fingerprint of the request it continues)."""

REPLAYED = "nianbao_replayed"
"""Response flag of a response read back from the archive on resume."""


def request_key(crawler: Any, request: Any) -> str:
    """The frontier fingerprint a download answers: the request's own frontier entry (or the one
    it continues), else its Scrapy fingerprint (robots.txt). Captures are stored under it and a
    resumed run replays them by it, so both sides must use this one function."""
    key = request.meta.get(FRONTIER_KEY)
    return str(key) if key else crawler.request_fingerprinter.fingerprint(request).hex()
