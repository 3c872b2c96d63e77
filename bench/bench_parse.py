"""Parse benchmark: reports/second of ``crawler.reports.parse_report`` per format, on one core.

    python bench/bench_parse.py --n 1000

Generates ``--n`` reports (a mix of templates, scales and layout styles, a few with broken
arithmetic), renders each as HTML, DOCX and text PDF (PDFs through LibreOffice in a few large
batches, cached on disk so later runs start at once), then times the parser on each format in a
fresh worker process pinned to one CPU. Prints, per format: reports, seconds, reports/second,
the target (HTML ≥ 100/s, DOCX ≥ 50/s, text PDF ≥ 5/s) with pass/fail, the worker's peak RSS,
and how many reports parsed back to every determined cell. Run on demand; not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sitefarm.content import (  # noqa: E402
    STYLES,
    ReportSpec,
    expected_values,
    generate_report,
    implied_value,
    render,
    render_batch,
)
from sitefarm.content.office import default_cache_dir  # noqa: E402

if TYPE_CHECKING:
    from crawler.reports.result import ParseResult

TARGETS = {"html": 100.0, "docx": 50.0, "pdf": 5.0}
AGENCIES = (
    "示范市交通运输局",
    "示范市财政局",
    "示范市教育局",
    "示范县人民政府办公室",
    "示范市生态环境局",
    "示范区市场监督管理局",
    "示范市卫生健康委员会",
    "示范镇人民政府",
    "示范市人民政府",
    "示范市公安局",
)


def corpus(n: int, seed: int) -> list[tuple[ReportSpec, str]]:
    """``n`` (spec, style) pairs: 2019/2021 templates mostly, a tenth legacy, 5 % broken, 10 % city scale."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        year = rng.choice([2015, 2017] if rng.random() < 0.1 else [2019, 2020, 2021, 2022, 2023, 2024, 2025])
        spec = generate_report(
            random.Random(rng.getrandbits(64)),
            AGENCIES[i % len(AGENCIES)],
            year,
            broken=year >= 2019 and rng.random() < 0.05,
            scale="city" if rng.random() < 0.1 else "department",
        )
        out.append((spec, rng.choice(STYLES)))
    return out


def prepare(n: int, seed: int, folder: Path, chunk: int) -> None:
    """Render the corpus into ``folder/<format>/NNNNN.<ext>`` unless already there."""
    items = corpus(n, seed)
    for fmt, ext in (("html", "html"), ("docx", "docx")):
        (folder / fmt).mkdir(parents=True, exist_ok=True)
        for i, (spec, style) in enumerate(items):
            path = folder / fmt / f"{i:05d}.{ext}"
            if not path.exists():
                kind = "html-gbk" if fmt == "html" and i % 3 == 0 else fmt
                path.write_bytes(render(spec, kind, style=style))
    (folder / "pdf").mkdir(parents=True, exist_ok=True)
    todo = [i for i in range(n) if not (folder / "pdf" / f"{i:05d}.pdf").exists()]
    for start in range(0, len(todo), chunk):
        part = todo[start : start + chunk]
        t0 = time.perf_counter()
        pdfs = render_batch([items[i] for i in part], "pdf", cache_dir=default_cache_dir(), timeout=7200)
        for i, pdf in zip(part, pdfs, strict=True):
            (folder / "pdf" / f"{i:05d}.pdf").write_bytes(pdf)
        print(
            f"  LibreOffice: {start + len(part)}/{len(todo)} PDFs ({time.perf_counter() - t0:.0f} s for "
            f"{len(part)})",
            file=sys.stderr,
        )
    expected = [
        {
            "year": s.year,
            "template": s.template,
            "values": {f: expected_values(s, f, st) for f in ("html", "docx", "pdf")},
            "truth": dict(s.values),
            "implied": {k: implied_value(s, k) for k in s.values},
        }
        for s, st in items
    ]
    (folder / "expected.json").write_text(json.dumps(expected, ensure_ascii=False))


def _problem(result: ParseResult, exp: dict, fmt: str) -> str:
    """The first way ``result`` differs from what the rendering determines ("" when none)."""
    if (result.year, result.template) != (exp["year"], exp["template"]):
        return f"year/template {result.year}/{result.template}, expected {exp['year']}/{exp['template']}"
    for key, want in exp["values"][fmt].items():
        got = result.values.get(key)
        ok_values = (None, exp["truth"][key], exp["implied"][key]) if want is None else (want,)
        if not any(
            got == w or (isinstance(got, int | float) and isinstance(w, int | float) and abs(got - w) < 1e-6)
            for w in ok_values
        ):
            return f"{key} = {got!r}, expected {want!r}"
    return ""


def _cpu() -> float:
    """CPU seconds of this process and its children (a reader may shell out to pdftotext)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def worker(fmt: str, folder: Path, n: int) -> None:
    """Time ``parse_report`` over one format on one CPU; print a JSON line with the figures."""
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from crawler.reports import parse_report

    ext = "html" if fmt == "html" else fmt
    paths = [folder / fmt / f"{i:05d}.{ext}" for i in range(n)]
    expected = json.loads((folder / "expected.json").read_text())
    try:  # imports and caches outside the timing
        parse_report(paths[0].read_bytes(), paths[0].name)
    except Exception:  # counted below with the others
        pass
    busy = cpu = 0.0
    errors = correct = 0
    first_error = ""
    wrong: list[str] = []
    for path, exp in zip(paths, expected, strict=True):
        data = path.read_bytes()
        t0, c0 = time.perf_counter(), _cpu()
        try:
            result = parse_report(data, path.name)
        except Exception as exc:  # a benchmark counts failures instead of stopping
            busy += time.perf_counter() - t0
            cpu += _cpu() - c0
            errors += 1
            first_error = first_error or f"{path.name}: {exc}"
            continue
        busy += time.perf_counter() - t0
        cpu += _cpu() - c0
        problem = _problem(result, exp, fmt)
        correct += not problem
        if problem and len(wrong) < 5:
            wrong.append(f"{path.name}: {problem}")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "format": fmt,
                "reports": n,
                "seconds": busy,
                "cpu": cpu,
                "errors": errors,
                "correct": correct,
                "rss_mb": rss_mb,
                "first_error": first_error,
                "wrong": wrong,
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="reports per format (default 1000)")
    ap.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    ap.add_argument("--formats", default="html,docx,pdf", help="comma-separated: html,docx,pdf")
    ap.add_argument("--dir", type=Path, default=None, help="corpus folder (default: in the content cache)")
    ap.add_argument("--chunk", type=int, default=250, help="documents per LibreOffice call (default 250)")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    folder = args.dir or default_cache_dir() / f"bench-parse-{args.seed}-{args.n}"
    if args.worker:
        worker(args.worker, folder, args.n)
        return
    t0 = time.perf_counter()
    prepare(args.n, args.seed, folder, args.chunk)
    print(f"corpus: {args.n} reports in {folder} (prepared in {time.perf_counter() - t0:.0f} s)")
    rows = []
    for fmt in args.formats.split(","):
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--n",
                str(args.n),
                "--seed",
                str(args.seed),
                "--dir",
                str(folder),
                "--worker",
                fmt,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            print(f"{fmt}: worker failed: {proc.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
            continue
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    head = (
        f"{'format':<7}{'reports':>8}{'wall s':>8}{'CPU s':>7}{'reports/s':>11}{'target':>8}  {'result':<6}"
        f"{'peak RSS':>10}{'errors':>8}{'all cells right':>17}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        # one core's throughput: CPU time, so other load on the machine does not count against it
        rate = r["reports"] / r["cpu"] if r["cpu"] else float("inf")
        target = TARGETS[r["format"]]
        print(
            f"{r['format']:<7}{r['reports']:>8}{r['seconds']:>8.1f}{r['cpu']:>7.1f}{rate:>11.1f}{target:>8.0f}  "
            f"{'pass' if rate >= target else 'FAIL':<6}{r['rss_mb']:>8.0f}MB{r['errors']:>8}"
            f"{r['correct']:>11}/{r['reports']}"
        )
        if r["first_error"]:
            print(f"        first error: {r['first_error'][:150]}")
        for line in r["wrong"]:
            print(f"        wrong: {line[:150]}")


if __name__ == "__main__":
    main()
