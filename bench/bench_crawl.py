"""Crawl throughput: nianbao (archiving, parsing, storing) against a bare Scrapy spider on the
same large farm portal, in the same run. Both follow every in-scope link (nianbao with
``NIANBAO_SCOPE=site``), so they fetch the same kind of pages. Prints pages/second of each, their ratio (target
≥ 0.75), peak memory of each crawl process, and rendered pages/second on the browser portal.

    python bench/bench_crawl.py [--pages 5000] [--concurrency 16] [--no-rendered] [--profile 25]

The farm (``--size large``, a portal of ≥ 50,000 pages) is built on first use (cached).
``--profile N`` then crawls the portal once more with nianbao under cProfile and prints the N
functions with the most time per page (cProfile slows the crawl: read the shares, not the sums).
"""

from __future__ import annotations

import argparse
import json
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sitefarm.build import ensure_build  # noqa: E402
from sitefarm.config import FarmConfig  # noqa: E402
from sitefarm.serve import serve_in_process  # noqa: E402


def _run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, int, str, float]:
    """Wall seconds, peak RSS (MB), output and CPU seconds (with its child processes) of a
    command, sampling /proc every 50 ms. CPU time is what other load on the machine distorts least."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=cwd)
    peak = 0
    while proc.poll() is None:
        try:
            for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.05)
    out = proc.stdout.read() if proc.stdout else ""
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, peak // 1024, out, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=5000, help="page cap for both crawls")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--no-rendered", action="store_true", help="skip the browser portal crawl")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="then profile a nianbao crawl and print its N costliest functions per page")
    args = ap.parse_args()
    print("building/serving the large farm …", flush=True)
    farm = serve_in_process(ensure_build(FarmConfig.parse(size="large"), log=lambda m: None))
    try:
        bulk = farm.manifest.home_url("bulk")
        bare_t, bare_mem, bare_out, bare_cpu = _run([sys.executable, str(REPO / "bench" / "bare_spider.py"), bulk,
                                                     str(args.pages), str(args.concurrency)])
        bare_pages = _bare_pages(bare_out)
        tuned_t, tuned_mem, tuned_out, tuned_cpu = _run([sys.executable, str(REPO / "bench" / "bare_spider.py"), bulk,
                                                         str(args.pages), str(args.concurrency), "tuned"])
        tuned_pages = _bare_pages(tuned_out)
        with tempfile.TemporaryDirectory() as tmp:
            env = {"NIANBAO_CONCURRENCY": str(args.concurrency), "NIANBAO_PER_HOST": str(args.concurrency),
                   "NIANBAO_AUTOTHROTTLE": "0", "NIANBAO_LOG_DIR": f"{tmp}/logs", "PATH": "/usr/bin:/bin",
                   "NIANBAO_SCOPE": "site", "NIANBAO_ALLOW_INTERNAL": "127.0.0.1/32"}
            ours_t, ours_mem, _, ours_cpu = _run([sys.executable, *_nianbao(bulk, tmp, args.pages)], env=env, cwd=REPO)
            ours_pages = _pages(Path(tmp) / "logs")
            if not args.no_rendered:
                gk = farm.manifest.home_url("gkmlpt")
                rend_t, rend_mem, _, _ = _run([sys.executable, "-m", "crawler", "crawl", gk, "--quiet", "--db",
                                               f"sqlite:///{tmp}/g.sqlite", "--archive", f"{tmp}/gwarc"],
                                              env=env | {"NIANBAO_LOG_DIR": f"{tmp}/glogs", "NIANBAO_SCOPE": "reports"},
                                              cwd=REPO)
                rendered = _rendered(Path(tmp) / "glogs")
        bare_rate, ours_rate, tuned_rate = bare_pages / bare_t, ours_pages / ours_t, tuned_pages / tuned_t
        print(f"{'crawler':34s} {'pages':>7s} {'seconds':>8s} {'pages/s':>8s} {'peak MB':>8s} {'CPU s':>7s}")
        print(f"{'bare Scrapy (follow every link)':34s} {bare_pages:7d} {bare_t:8.1f} {bare_rate:8.1f} {bare_mem:8d} "
              f"{bare_cpu:7.1f}")
        print(f"{'bare Scrapy, tuned as nianbao':34s} {tuned_pages:7d} {tuned_t:8.1f} {tuned_rate:8.1f} {tuned_mem:8d} "
              f"{tuned_cpu:7.1f}")
        print(f"{'nianbao (archive+parse+store)':34s} {ours_pages:7d} {ours_t:8.1f} {ours_rate:8.1f} {ours_mem:8d} "
              f"{ours_cpu:7.1f}")
        ratio = ours_rate / bare_rate if bare_rate else 0.0
        print(f"ratio nianbao/bare = {ratio:.2f} (target ≥ 0.75: {'pass' if ratio >= 0.75 else 'FAIL'})")
        print(f"ratio nianbao/bare tuned as nianbao (CONCURRENT_ITEMS 8, no generator check, gc.freeze) = "
              f"{ours_rate / tuned_rate if tuned_rate else 0.0:.2f}")
        if not args.no_rendered:
            print(f"browser portal (gkmlpt): {rendered} rendered pages in {rend_t:.1f} s = "
                  f"{rendered / rend_t:.2f} rendered pages/s (whole crawl), peak {rend_mem} MB (crawler process)")
        if args.profile:
            _profile(bulk, args.pages, env, args.profile)
    finally:
        farm.stop()


def _nianbao(url: str, tmp: str, pages: int) -> list[str]:
    """Arguments of a whole-site nianbao crawl into SQLite and WARC files under ``tmp``."""
    return ["-m", "crawler", "crawl", url, "--quiet", "--db", f"sqlite:///{tmp}/b.sqlite", "--archive",
            f"{tmp}/warc", "--max-pages", str(pages)]


def _profile(url: str, pages: int, env: dict[str, str], top: int) -> None:
    """Crawl again under cProfile and print the costliest functions in ms per page, by time
    with callees and by own time."""
    with tempfile.TemporaryDirectory() as tmp:
        _run([sys.executable, "-m", "cProfile", "-o", f"{tmp}/crawl.prof", *_nianbao(url, tmp, pages)],
             env=env | {"NIANBAO_LOG_DIR": f"{tmp}/logs"}, cwd=REPO)
        fetched = _pages(Path(tmp) / "logs") or 1
        stats = pstats.Stats(f"{tmp}/crawl.prof").stats  # type: ignore[attr-defined]
    rows = [(f"{file.split('site-packages/')[-1].removeprefix(str(REPO) + '/')}:{line}({name})", float(tt), float(ct))
            for (file, line, name), (_, _, tt, ct, _) in stats.items()]
    whole = max(ct for _, _, ct in rows)
    ours = [r for r in rows if r[0].startswith(("crawler/", "storage/", "spiders/")) and r[2] < whole / 2]
    print(f"\nnianbao under cProfile, {fetched} pages: ms per page with callees, own; function")
    for title, chosen, order in (("nianbao's functions by time with callees", ours, lambda r: -r[2]),
                                 ("all functions by own time", rows, lambda r: -r[1])):
        print(f"-- {title}")
        for name, tt, ct in sorted(chosen, key=order)[:top]:
            print(f"{ct * 1000 / fetched:8.3f} {tt * 1000 / fetched:8.3f}  {name}")


def _bare_pages(out: str) -> int:
    return int(next((ln.split()[1] for ln in out.splitlines() if ln.startswith("PAGES")), "0"))


def _pages(logs: Path) -> int:
    return sum(1 for f in logs.glob("*.jsonl") for ln in f.read_text().splitlines() if '"event": "fetched"' in ln)


def _rendered(logs: Path) -> int:
    return sum(1 for f in logs.glob("*.jsonl") for ln in f.read_text().splitlines()
               if '"event": "fetched"' in ln and json.loads(ln).get("rendered"))


if __name__ == "__main__":
    main()
