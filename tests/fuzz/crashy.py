"""Parsers with planted faults, for showing that the fuzz harness catches each kind of failure.

Each is called like ``parse_report`` in a fuzz worker (``run(..., target="tests.fuzz.crashy:…")``)
and misbehaves only on inputs carrying a marker the real seeds never contain, so the rest of
the campaign parses normally.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from crawler.reports import ParseResult, parse_report


def crash_on_absurd_span(data: bytes, name: str, **kwargs: Any) -> ParseResult:
    """An IndexError (a reader bug) on any input carrying a rowspan/colspan of 10^6."""
    if b'span="1000000"' in data:
        raise IndexError("planted: span beyond the grid")
    return parse_report(data, name, **kwargs)


def die_or_hang(data: bytes, name: str, **kwargs: Any) -> ParseResult:
    """The worker killed by SIGSEGV on ``FUZZ-SEGV``, stuck for ever on ``FUZZ-HANG``."""
    if b"FUZZ-SEGV" in data:
        os.kill(os.getpid(), signal.SIGSEGV)
    if b"FUZZ-HANG" in data:
        while True:
            time.sleep(1)
    return parse_report(data, name, **kwargs)


def spin(data: bytes, name: str, **kwargs: Any) -> ParseResult:
    """Burns CPU without end: the worker's CPU-seconds limit must stop it."""
    x = 0
    while True:
        x += 1
