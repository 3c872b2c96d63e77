"""Fuzz every reader and the report mapper from the seed corpus, each input bounded.

    python fuzz/run.py --inputs 100000 [--workers 2] [--seed N] [--formats html,pdf,...]
    python fuzz/run.py --seed N --replay INDEX      # make input INDEX again and parse it here
    python fuzz/run.py --properties 5000            # the hypothesis properties, 5000 examples each

Prints inputs, uncaught exceptions (anything but a DocumentError, a clean ParseResult or a
ParseLimit; a worker that dies counts too), limit hits (CPU, memory, wall time), the slowest
inputs and the peak RSS; saves each uncaught input under fuzz/crashes/c<seed>/ with a note and
writes the figures to fuzz/out/summary-<seed>.json. Exit status 1 when anything was uncaught.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.pipelines.limits import Limits  # noqa: E402
from fuzz.campaign import WEIGHTS, make_input, run, write_json  # noqa: E402
from fuzz.seeds import FORMATS, load_seeds  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1, help="campaign seed: input i is a function of (seed, i)")
    parser.add_argument("--formats", default=",".join(FORMATS), help=f"comma-separated, of {','.join(FORMATS)}")
    parser.add_argument("--memory-mb", type=int, default=Limits.memory_mb, help="address space per worker")
    parser.add_argument("--cpu-s", type=float, default=30.0, help="CPU seconds per input")
    parser.add_argument("--wall-s", type=float, default=60.0, help="wall seconds per input")
    parser.add_argument("--slow-wall-s", type=float, default=240.0, help="wall seconds per DOC or image input")
    parser.add_argument("--progress", type=int, default=1000, help="a progress line every N inputs (0: none)")
    parser.add_argument("--replay", type=int, help="make input N again and parse it in this process")
    parser.add_argument("--properties", type=int, help="run the hypothesis properties with N examples each")
    args = parser.parse_args(argv)

    if args.properties:
        env = dict(os.environ, NIANBAO_FUZZ_EXAMPLES=str(args.properties))
        return subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                str(REPO / "tests/fuzz/test_properties.py")], env=env, cwd=REPO)
    families = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    unknown = [f for f in families if f not in FORMATS]
    if unknown:
        parser.error(f"unknown formats {', '.join(unknown)}: expected some of {', '.join(FORMATS)}")
    by_family: dict[str, list] = {}
    for seed in load_seeds(families):
        by_family.setdefault(seed.family, []).append(seed)
    weights = {f: WEIGHTS[f] for f in families}
    limits = Limits(args.memory_mb, args.cpu_s, args.wall_s)
    out = REPO / "fuzz" / "out" / f"summary-{args.seed}.json"
    if args.replay is not None:
        return _replay(args.replay, args.seed, by_family, weights, args)
    print(f"seeds: {', '.join(f'{f} {len(s)}' for f, s in by_family.items())}; "
          f"share: {', '.join(f'{f} {100 * w / sum(weights.values()):.2g}%' for f, w in weights.items())}",
          file=sys.stderr)
    summary = run(args.inputs, campaign=args.seed, seeds=by_family, weights=weights, workers=args.workers,
                  limits=limits, wall_s=args.wall_s, slow_wall_s=args.slow_wall_s, progress=args.progress,
                  checkpoint=out)
    print(summary.report())
    write_json(summary, out)
    return 1 if summary.uncaught else 0


def _replay(index: int, campaign: int, seeds: dict[str, list], weights: dict[str, float],
            args: argparse.Namespace) -> int:
    from crawler.reports import parse_report

    made = make_input(index, campaign, seeds, weights, args.wall_s, args.slow_wall_s)
    task = made.task
    print(f"input #{index}: {task.family} {task.name} ({len(task.data)} bytes) from {made.seed}, "
          f"mutators {'+'.join(made.mutators)}")
    try:
        result = parse_report(task.data, task.name, ocr=task.ocr)
    except Exception:
        traceback.print_exc()
        return 1
    print(f"parsed: template {result.template}, year {result.year}, "
          f"{sum(v is not None for v in result.values.values())} cells")
    return 0


if __name__ == "__main__":
    sys.exit(main())
