"""Which browser failures the retry middleware retries (found by the farm's chaos mode): network
errors a navigation met, and a navigation whose load never came — not the guard's aborts."""

from __future__ import annotations

from playwright.async_api import Error, TimeoutError

from crawler.middlewares.retry import browser_goto_timeout, browser_network_error


def test_browser_network_errors_are_transient() -> None:
    for code in ("CONNECTION_RESET", "CONTENT_LENGTH_MISMATCH", "CONTENT_DECODING_FAILED", "EMPTY_RESPONSE"):
        assert browser_network_error(Error(f"Page.goto: net::ERR_{code} at http://127.0.0.1:8080/a.html"))
    # an aborted request (the internal-address guard's refusal) is a decision, not a fault
    assert not browser_network_error(Error("Page.goto: net::ERR_FAILED at http://127.0.0.1:8080/a.html"))
    assert not browser_network_error(Error("Page.goto: net::ERR_BLOCKED_BY_CLIENT at http://10.0.0.1/"))
    assert not browser_network_error(ConnectionResetError("net::ERR_CONNECTION_RESET"))


def test_goto_timeout_is_retried_like_a_timeout() -> None:
    assert browser_goto_timeout(TimeoutError("Page.goto: Timeout 60000ms exceeded."))
    assert not browser_goto_timeout(TimeoutError("Page.wait_for_load_state: Timeout 5000ms exceeded."))
    assert not browser_network_error(TimeoutError("Page.goto: Timeout 60000ms exceeded."))
