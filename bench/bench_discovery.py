"""What discovery costs: a whole crawl of the small farm, then per column the pages the browser
rendered, the seconds its behaviours took, the clicks, the XHR answers and the reports found.

    python bench/bench_discovery.py [--seed 1]

Reads the crawl's own log (``render``, ``explored``, ``fetched`` and ``column`` events), so the
figures are those an operator sees. Prints one line per column that needed the browser, then
the totals: pages fetched plainly vs rendered (their ratio in the same run), behaviour seconds
per explored column, and the crawl's wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sitefarm.build import ensure_build  # noqa: E402
from sitefarm.config import FarmConfig  # noqa: E402
from sitefarm.serve import serve_in_process  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    build = ensure_build(FarmConfig(seed=args.seed), log=lambda _m: None)
    farm = serve_in_process(build)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            urls = [farm.manifest.home_url(p.id) for p in farm.manifest.portals]
            env = dict(os.environ, NIANBAO_LOG_DIR=str(folder / "logs"), NIANBAO_ALLOW_INTERNAL="127.0.0.1/32")
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "crawler", "crawl", *urls, "--db", f"sqlite:///{folder / 'n.sqlite'}",
                            "--archive", str(folder / "warc"), "--quiet"], env=env, cwd=folder, check=False,
                           capture_output=True)
            wall = time.perf_counter() - started
            events = [json.loads(line) for f in (folder / "logs").glob("crawl-*.jsonl")
                      for line in f.read_text(encoding="utf-8").splitlines()]
    finally:
        farm.stop()
    report(events, wall, {urlsplit(u).netloc: p for p, u in farm.base_urls.items()})


def report(events: list[dict], wall: float, portals: dict[str, str]) -> None:
    fetched = [e for e in events if e["event"] == "fetched"]
    plain = sum(1 for e in fetched if not e.get("rendered"))
    rendered = [e for e in fetched if e.get("rendered") and e.get("kind") != "xhr"]
    xhr = sum(1 for e in fetched if e.get("kind") == "xhr")
    reasons = Counter(str(e.get("reason", "")).split(":")[0] for e in events if e["event"] == "render")
    explored = [e for e in events if e["event"] == "explored"]
    per_portal = defaultdict(int)
    for e in rendered:
        per_portal[portals.get(urlsplit(e["url"]).netloc, urlsplit(e["url"]).netloc)] += 1
    print(f"{'column':60s} {'clicks':>6s} {'states':>6s} {'xhr':>4s} {'items':>5s} {'seconds':>8s}")
    for e in explored:
        where = portals.get(urlsplit(e["url"]).netloc, "?") + urlsplit(e["column"]).path
        print(f"{where:60s} {e['clicks']:6d} {e['states']:6d} {e['xhr']:4d} {e['items']:5d} {e['seconds']:8.2f}")
    seconds = sum(e["seconds"] for e in explored)
    print(f"\npages fetched plainly {plain}, rendered {len(rendered)} ({len(rendered) / max(1, plain):.1%} of plain), "
          f"XHR answers archived {xhr}")
    print("renders by reason: " + ", ".join(f"{k} {v}" for k, v in reasons.most_common()))
    print("rendered pages by portal: " + ", ".join(f"{k} {v}" for k, v in sorted(per_portal.items())))
    print(f"explored columns {len(explored)}, behaviour seconds {seconds:.1f} "
          f"({seconds / max(1, len(explored)):.1f} s a column), crawl wall {wall:.0f} s")


if __name__ == "__main__":
    main()
