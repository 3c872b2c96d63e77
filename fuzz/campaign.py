"""A fuzz campaign: inputs made from the seed corpus, parsed on the pool, the figures kept.

Input ``i`` of a campaign with seed ``s`` is a pure function of (s, i, the seed corpus, the
families and weights), so any input can be made again (``run.py --replay i``) without saving
100,000 files. Families are drawn by weight: the slow ones (DOC through LibreOffice, images
through tesseract, seconds each) get a small share so a run finishes in hours, not days.
"""

from __future__ import annotations

import json
import random
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.pipelines.limits import Limits
from fuzz.mutate import mutate
from fuzz.pool import Task, run_tasks
from fuzz.seeds import EXTENSIONS, Seed
from fuzz.worker import UNCAUGHT, Outcome

#: Share of inputs per reader family (relative weights).
WEIGHTS: dict[str, float] = {
    "html": 30, "text": 24, "mht": 3, "docx": 14, "xlsx": 10, "xls": 6, "pdf": 5, "doc": 0.25, "image": 0.12,
}
#: Families whose reader starts a process (LibreOffice, tesseract): a longer wall time.
SLOW = frozenset({"doc", "image"})
CRASHES = Path(__file__).resolve().parent / "crashes"
#: Extensions a mislabelled file may carry (the crawler trusts magic bytes over names).
_WRONG_NAMES = ("html", "txt", "doc", "pdf", "xls", "docx", "wps", "dat")


@dataclass(frozen=True)
class Made:
    """An input and how it was made."""

    task: Task
    seed: str
    """The seed file it was mutated from."""
    mutators: tuple[str, ...]


def make_input(index: int, campaign: int, seeds: Mapping[str, list[Seed]], weights: Mapping[str, float],
               wall_s: float, slow_wall_s: float) -> Made:
    """Input ``index`` of campaign ``campaign``."""
    rng = random.Random(f"{campaign}/{index}")
    families = sorted(f for f in weights if seeds.get(f))
    family = rng.choices(families, [weights[f] for f in families])[0]
    seed = rng.choice(seeds[family])
    roll = rng.random()
    if roll < 0.03:
        data, applied = seed.data, ["none"]
    elif roll < 0.06:  # a splice of two files (a PDF saved after an HTTP error page, …)
        other = rng.choice(seeds[rng.choice(families)]).data
        cut = rng.randrange(len(seed.data) + 1)
        data, applied = seed.data[:cut] + other[rng.randrange(len(other) + 1):], ["splice"]
    else:
        data, applied = mutate(seed.data, family, rng)
    ext = seed.name.rsplit(".", 1)[-1]
    if family not in SLOW and rng.random() < 0.05:
        ext = rng.choice(_WRONG_NAMES)
    task = Task(index, family, f"fuzz-{index}.{ext}", data, family == "image",
                slow_wall_s if family in SLOW else wall_s)
    return Made(task, seed.name, tuple(applied))


@dataclass
class Summary:
    """The figures of a campaign."""

    campaign: int
    inputs: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    by_family: Counter[tuple[str, str]] = field(default_factory=Counter)
    masked: Counter[str] = field(default_factory=Counter)
    family_seconds: dict[str, float] = field(default_factory=dict)
    limits: list[dict[str, Any]] = field(default_factory=list)
    uncaught: list[dict[str, Any]] = field(default_factory=list)
    slowest: list[dict[str, Any]] = field(default_factory=list)
    peak_rss_kb: int = 0
    peak_rss_input: int | None = None
    seconds: float = 0.0

    def add(self, made: Made, outcome: Outcome) -> None:
        task = made.task
        self.inputs += 1
        self.kinds[outcome.kind] += 1
        self.by_family[(task.family, outcome.kind)] += 1
        self.family_seconds[task.family] = self.family_seconds.get(task.family, 0.0) + outcome.wall_s
        if outcome.kind == "masked":
            self.masked[f"{task.family}:{outcome.detail}"] += 1
        entry = {"index": task.index, "family": task.family, "seed": made.seed, "mutators": list(made.mutators),
                 "kind": outcome.kind, "detail": outcome.detail[:200], "seconds": round(outcome.wall_s, 3),
                 "bytes": len(task.data)}
        if outcome.kind in ("limit", "timeout"):
            self.limits.append(entry)
        if outcome.kind in UNCAUGHT:
            self.uncaught.append(entry)
        self.slowest = sorted([*self.slowest, entry], key=lambda e: -e["seconds"])[:5]
        if outcome.rss_kb > self.peak_rss_kb:
            self.peak_rss_kb, self.peak_rss_input = outcome.rss_kb, task.index

    def report(self) -> str:
        """The figures in a few lines, as run.py prints them."""
        families = sorted({f for f, _ in self.by_family})
        lines = [
            f"campaign {self.campaign}: {self.inputs} inputs in {self.seconds:.0f} s "
            f"({self.inputs / max(self.seconds, 1e-9):.1f}/s)",
            "outcomes: " + ", ".join(f"{k} {n}" for k, n in self.kinds.most_common()),
            f"uncaught exceptions: {len(self.uncaught)}"
            + "".join(f"\n  #{e['index']} {e['family']} {e['kind']}: {e['detail']}" for e in self.uncaught[:20]),
            f"limit hits: {len(self.limits)}"
            + "".join(f"\n  #{e['index']} {e['family']} ({'+'.join(e['mutators'])}): {e['detail']}"
                      for e in self.limits[:10]),
            "per family (inputs, mean ms): " + ", ".join(
                f"{f} {sum(n for (g, _), n in self.by_family.items() if g == f)}"
                f" {1000 * self.family_seconds[f] / max(1, sum(n for (g, _), n in self.by_family.items() if g == f)):.0f}"
                for f in families),
            "masked library exceptions: " + (", ".join(f"{k} {n}" for k, n in self.masked.most_common(8)) or "none"),
            "slowest: " + "; ".join(f"#{e['index']} {e['family']} {e['seconds']:.2f} s ({e['kind']}, "
                                    f"{'+'.join(e['mutators'])})" for e in self.slowest[:3]),
            f"peak RSS: {self.peak_rss_kb / 1024:.0f} MB (input #{self.peak_rss_input})",
        ]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "campaign": self.campaign, "inputs": self.inputs, "seconds": round(self.seconds, 1),
            "kinds": dict(self.kinds), "by_family": {f"{f}:{k}": n for (f, k), n in sorted(self.by_family.items())},
            "masked": dict(self.masked), "limits": self.limits, "uncaught": self.uncaught, "slowest": self.slowest,
            "peak_rss_mb": round(self.peak_rss_kb / 1024, 1), "peak_rss_input": self.peak_rss_input,
        }


def save_crash(made: Made, outcome: Outcome, folder: Path) -> Path:
    """The input's bytes and a note (how it was made, the traceback, how to replay it)."""
    folder.mkdir(parents=True, exist_ok=True)
    task = made.task
    ext = task.name.rsplit(".", 1)[-1]
    path = folder / f"{task.family}-{task.index}.{ext}"
    path.write_bytes(task.data)
    note = (f"input #{task.index} ({task.name}) from seed {made.seed}, mutators {'+'.join(made.mutators)}\n"
            f"{outcome.kind}: {outcome.detail}\n\n{outcome.trace}")
    path.with_name(path.name + ".note").write_text(note, encoding="utf-8")
    return path


def run(inputs: int, *, campaign: int, seeds: Mapping[str, list[Seed]], weights: Mapping[str, float] = WEIGHTS,
        workers: int = 2, limits: Limits, wall_s: float = 60.0, slow_wall_s: float = 240.0,
        crashes: Path = CRASHES, target: str | None = None, progress: int = 0,
        checkpoint: Path | None = None) -> Summary:
    """Make and parse ``inputs`` inputs; save every uncaught one under ``crashes``.

    ``target`` ("module:function", called like ``parse_report``) replaces the parser, for
    testing the harness itself; ``progress`` prints a line to stderr every that many inputs
    (and writes the figures so far to ``checkpoint``). Ctrl-C/SIGTERM ends the run early with
    the figures of the inputs done.
    """
    summary = Summary(campaign)
    made: dict[int, Made] = {}
    start = time.monotonic()

    def tasks() -> Iterator[Task]:
        for i in range(inputs):
            m = make_input(i, campaign, seeds, weights, wall_s, slow_wall_s)
            made[i] = m
            yield m.task

    def on_result(task: Task, outcome: Outcome) -> None:
        m = made.pop(task.index)
        summary.add(m, outcome)
        if outcome.kind in UNCAUGHT:
            save_crash(m, outcome, crashes / f"c{campaign}")
        if progress and summary.inputs % progress == 0:
            elapsed = time.monotonic() - start
            print(f"[{elapsed:6.0f} s] {summary.inputs}/{inputs} " + ", ".join(
                f"{k} {n}" for k, n in summary.kinds.most_common()), file=sys.stderr, flush=True)
            if checkpoint:
                summary.seconds = elapsed
                write_json(summary, checkpoint)

    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        run_tasks(tasks(), workers, limits, on_result, target)
    except KeyboardInterrupt:
        print(f"stopped after {summary.inputs} inputs", file=sys.stderr)
    finally:
        signal.signal(signal.SIGTERM, previous)
    summary.seconds = time.monotonic() - start
    return summary


def write_json(summary: Summary, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")


__all__ = ["EXTENSIONS", "SLOW", "WEIGHTS", "Made", "Summary", "make_input", "run", "save_crash"]
