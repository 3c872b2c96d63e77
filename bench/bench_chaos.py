"""Soak under chaos: serve the small farm with seeded faults and crawl all of it again and again.

    python bench/bench_chaos.py [--minutes 10] [--rate 0.1] [--kinds recoverable|all|K,K…]
                                [--chaos-seed 1] [--seed 1]

Each round is a fresh ``nianbao crawl`` of every portal (its own SQLite store and archive) while
the farm injects faults into a share ``--rate`` of its answers (sitefarm/server/chaos.py), reseeded
each round (``--chaos-seed`` + round), so every round meets other faults. Rounds start until
``--minutes`` have passed (a started round runs to its end). Per round it prints the farm's
requests, the faults injected by kind (and how many the browser met), the crawler's retry /
failed / slow lines, the reports stored against the manifest, the reports **lost** (must be 0),
the crawl's exit status, wall seconds and the crawler's peak RSS; then the totals.

The crawl runs with ``NIANBAO_RETRIES`` 4 (chaos answers every request correctly from its third
attempt), a 3 s minimum-rate window and a 20 s timeout, as tests/crawl/test_chaos.py does. ``--kinds`` defaults
to the recoverable kinds (all but a shorter Content-Length and a cut gzip stream, which the
crawler's decoders take for complete answers); ``--kinds all`` shows what the silent ones cost.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sitefarm.build import ensure_build  # noqa: E402
from sitefarm.config import FarmConfig  # noqa: E402
from sitefarm.serve import RunningFarm, serve_in_process  # noqa: E402

CRAWL_ENV = {"NIANBAO_RETRIES": "4", "NIANBAO_RATE_WINDOW_S": "3", "NIANBAO_TIMEOUT_S": "20",
             "NIANBAO_ALLOW_INTERNAL": "127.0.0.1/32"}


def _crawl(farm: RunningFarm, folder: Path) -> tuple[int, float, int]:
    """Exit status, wall seconds and peak RSS (MB, the crawl process) of one whole-farm crawl."""
    urls = [farm.manifest.home_url(p.id) for p in farm.manifest.portals]
    env = dict(os.environ, NIANBAO_LOG_DIR=str(folder / "logs"), NIANBAO_OPERATOR="bench", **CRAWL_ENV)
    cmd = [sys.executable, "-m", "crawler", "crawl", *urls, "--db", f"sqlite:///{folder / 'n.sqlite'}",
           "--archive", str(folder / "warc"), "--quiet"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        try:
            for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.2)
    return proc.returncode, time.perf_counter() - started, peak // 1024


def _stored(db: Path, farm: RunningFarm) -> set[tuple[str, str, int]]:
    from sqlmodel import Session, select

    from storage.db import make_engine
    from storage.models import Agency, Report, Site
    from storage.repo import normalize_agency_name

    by_netloc = {u.split("//", 1)[1]: p for p, u in farm.base_urls.items()}
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as s:
        query = (select(Site.key, Agency.name, Report.year)
                 .join(Agency, Agency.site_id == Site.id)  # type: ignore[arg-type]
                 .join(Report, Report.agency_id == Agency.id))  # type: ignore[arg-type]
        rows = s.exec(query).all()
    engine.dispose()
    return {(by_netloc.get(k, k), normalize_agency_name(a), y) for k, a, y in rows}


def _requests(farm: RunningFarm) -> int:
    with urllib.request.urlopen(farm.control_url + "/log?since=1000000000", timeout=30) as resp:
        return int(json.loads(resp.read())["next"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=10.0, help="start rounds until this much time has passed")
    ap.add_argument("--rate", type=float, default=0.1, help="share of answers faulted (default 0.1)")
    ap.add_argument("--chaos-seed", type=int, default=1, help="chaos seed of round 1 (+1 each round)")
    ap.add_argument("--seed", type=int, default=1, help="farm seed")
    ap.add_argument("--kinds", default="recoverable", help="recoverable (default), all, or kinds K,K…")
    args = ap.parse_args()
    from storage.repo import normalize_agency_name

    build = ensure_build(FarmConfig(seed=args.seed), log=lambda _m: None)
    kinds = "" if args.kinds == "all" else ":" + args.kinds
    farm = serve_in_process(build, chaos=f"{args.chaos_seed}:{args.rate}{kinds}")
    expected = {(r.portal, normalize_agency_name(r.agency), r.year) for r in farm.manifest.reports}
    totals: Counter[str] = Counter()
    peak_all = 0
    began = time.perf_counter()
    print(f"farm seed {args.seed}: {len(expected)} reports on {len(farm.manifest.portals)} portals; "
          f"chaos rate {args.rate}, kinds {args.kinds}, {args.minutes:g} minutes", flush=True)
    try:
        n = 0
        while time.perf_counter() - began < args.minutes * 60:
            n += 1
            farm.reset(chaos_seed=args.chaos_seed + n - 1)
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                code, wall, peak = _crawl(farm, folder)
                stored = _stored(folder / "n.sqlite", farm)
                events = [json.loads(line) for f in (folder / "logs").glob("crawl-*.jsonl")
                          for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
            faults = farm.chaos_faults()
            requests = _requests(farm)
            kinds = Counter(f["fault"] for f in faults)
            lines = Counter(e["event"] for e in events)
            lost = expected - stored
            peak_all = max(peak_all, peak)
            totals.update({"requests": requests, "faults": len(faults), "browser": sum(
                f["client"] == "browser" for f in faults), "found": len(stored & expected), "lost": len(lost),
                "noise": len(stored - expected), "rounds": 1})
            totals.update({f"kind {k}": v for k, v in kinds.items()})
            print(f"round {n}: exit {code}, {wall:.0f} s, peak RSS {peak} MB, {requests} requests, "
                  f"{len(faults)} faults ({sum(f['client'] == 'browser' for f in faults)} met by the browser): "
                  + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())), flush=True)
            print(f"         crawl log: retry {lines['retry']}, failed {lines['failed']}, slow {lines['slow']}, "
                  f"render {lines['render']}; reports {len(stored & expected)}/{len(expected)}, "
                  f"lost {len(lost)}, not in the manifest {len(stored - expected)}"
                  + (f"; lost e.g. {sorted(lost)[:3]}" if lost else ""), flush=True)
    finally:
        farm.stop()
    minutes = (time.perf_counter() - began) / 60
    print(f"\n{totals['rounds']} rounds in {minutes:.1f} min: {totals['requests']} requests, {totals['faults']} faults "
          f"({totals['browser']} met by the browser; "
          + ", ".join(f"{k[5:]} {v}" for k, v in sorted(totals.items()) if k.startswith("kind "))
          + f"), reports found {totals['found']}, lost {totals['lost']}, not in the manifest {totals['noise']}, "
          f"peak RSS {peak_all} MB")
    sys.exit(1 if totals["lost"] else 0)


if __name__ == "__main__":
    main()
