"""Fetch-level decisions: what a response is (content, challenge, script shell, soft 404)."""


def header(message: object, name: bytes) -> str:
    """A header of a Scrapy request or response as text ("" when absent)."""
    value = message.headers.get(name)  # type: ignore[attr-defined]
    return value.decode("latin-1") if value else ""
