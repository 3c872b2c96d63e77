"""Stands in for ``python -m crawler crawl`` in scheduler tests.

Appends a JSON line (argv, NIANBAO_* environment, pid) to $FAKE_CRAWL_OUT, then exits 4 like a
crawl with failed fetches, or with FAKE_CRAWL_MODE=sleep waits until SIGTERM and exits 3 like an
interrupted crawl.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time

OUT = os.environ["FAKE_CRAWL_OUT"]


def note(event: str, **data: object) -> None:
    with open(OUT, "a", encoding="utf-8") as f:
        f.write(json.dumps({"event": event, "pid": os.getpid(), **data}) + "\n")


def on_term(_signum: int, _frame: object) -> None:
    note("sigterm")
    sys.exit(3)


signal.signal(signal.SIGTERM, on_term)
note("started", argv=sys.argv[1:], env={k: v for k, v in os.environ.items() if k.startswith("NIANBAO_")})
if os.environ.get("FAKE_CRAWL_MODE") == "sleep":
    time.sleep(60)
    sys.exit(0)
sys.exit(4)
