"""Hanweb JCMS lists: records embedded in ``<datastore>`` and the rest through ``jpage`` POSTs to
``dataproxy.jsp`` (kind ``datastore``; at most MAX_RECORDS records planned)."""

from __future__ import annotations

from crawler.discovery.pagination import datastore_records, datastore_total, jcms_requests, record_links
from crawler.discovery.protocols.base import ListAnswer, ListPlan, Stated, cap_items
from crawler.discovery.protocols.stated import stated_size

FAMILY = "hanweb-jpage"


def plan(url: str, text: str) -> ListPlan | None:
    requests = jcms_requests(url, text)
    if not requests and "<datastore>" not in text.lower():
        return None
    return ListPlan(FAMILY, requests, stated_size(text))


def read_datastore(url: str, text: str) -> ListAnswer:
    """Records of a dataproxy.jsp answer (``<datastore><recordset><record><![CDATA[…]]>``)."""
    items = [link for record in datastore_records(text) for link in record_links(record, url)]
    total = datastore_total(text)
    stated = Stated(cap_items(total), None, f"<totalrecord>{total}</totalrecord>") if total is not None else None
    return ListAnswer(items, [], stated)


READERS = {"datastore": read_datastore}
