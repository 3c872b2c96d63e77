"""``nianbao serve``: the read-only door for journalists — search, report pages, comparisons, a
JSON API and sandboxed replay of the archived pages.

A room of its own: it reads the store (:mod:`storage`) and the pure report labels
(:mod:`crawler.reports.template`, :mod:`crawler.documents`), never Scrapy or the spider.
Modules: :mod:`~crawler.web.regions` (place names in agency names), :mod:`~crawler.web.fulltext`
(the search index), :mod:`~crawler.web.tables` (the official tables redrawn),
:mod:`~crawler.web.search`, :mod:`~crawler.web.report` and :mod:`~crawler.web.compare` (what the
pages and the API show), :mod:`~crawler.web.documents` (originals read back from the WARCs),
:mod:`~crawler.web.charts`, :mod:`~crawler.web.openapi`, :mod:`~crawler.web.app` (the ASGI app)
and :mod:`~crawler.web.replay` (the pywb collection on its own origin).
"""
