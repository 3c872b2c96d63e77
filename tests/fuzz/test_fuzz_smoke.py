"""The fuzz harness in CI: a small campaign over every reader, and proof that the harness sees
a planted crash, a worker that dies, one that hangs and one that burns CPU.

The 100,000-input run is on demand (``python fuzz/run.py --inputs 100000``, fuzz/README.md).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from crawler.pipelines.limits import Limits
from fuzz.campaign import run
from fuzz.pool import Task, run_tasks
from fuzz.seeds import FORMATS, Seed, load_seeds
from fuzz.worker import Outcome

#: Smoke shares: every family a few times, DOC and image (seconds each) once or twice.
SMOKE_WEIGHTS = {"html": 25, "text": 20, "mht": 3, "docx": 15, "xlsx": 12, "xls": 8, "pdf": 8, "doc": 0.6,
                 "image": 0.4}
LIMITS = Limits(memory_mb=3072, cpu_s=10, wall_s=30)
_PAGE = """<html><head><meta charset="utf-8"><title>示范市2023年政府信息公开工作年度报告</title></head>
<body><div class="trs_editor"><p>一、总体情况</p><table>
<tr><td rowspan="2">信息内容</td><td colspan="1000000">本年制发件数</td><td>{marker}</td></tr>
<tr><td>规章</td><td>0</td><td>3</td></tr></table></div></body></html>"""


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Seed]]:
    by_family: dict[str, list[Seed]] = {}
    for seed in load_seeds(FORMATS, corpus=tmp_path_factory.mktemp("corpus")):
        by_family.setdefault(seed.family, []).append(seed)
    return by_family


def _html(marker: str) -> dict[str, list[Seed]]:
    data = _PAGE.format(marker=marker).encode()
    return {"html": [Seed("html", "planted.html", data)], "text": [Seed("text", "plain.txt", "一、总体情况\n".encode())]}


@pytest.mark.slow
def test_smoke_campaign_has_no_uncaught_exception(seeds: dict[str, list[Seed]], tmp_path: Path) -> None:
    summary = run(300, campaign=2026, seeds=seeds, weights=SMOKE_WEIGHTS, workers=2, limits=LIMITS,
                  wall_s=30, slow_wall_s=120, crashes=tmp_path)
    assert summary.inputs == 300
    assert summary.uncaught == [], summary.report()
    assert {f for f, _ in summary.by_family} == set(FORMATS)
    assert summary.kinds["ok"] > 50 and summary.kinds["rejected"] > 50  # both sides of the readers ran
    assert not list(tmp_path.rglob("*"))


def test_a_planted_reader_crash_is_counted_and_saved(tmp_path: Path) -> None:
    summary = run(30, campaign=1, seeds=_html("1"), weights={"html": 1}, workers=2, limits=LIMITS,
                  crashes=tmp_path, target="tests.fuzz.crashy:crash_on_absurd_span")
    assert summary.kinds["crash"] >= 5 and len(summary.uncaught) == summary.kinds["crash"]
    assert summary.kinds["crash"] + summary.kinds["ok"] + summary.kinds["rejected"] == 30
    saved = sorted(p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".note")
    assert len(saved) == summary.kinds["crash"]
    note = saved[0].with_name(saved[0].name + ".note").read_text(encoding="utf-8")
    assert "IndexError: planted: span beyond the grid" in note and "Traceback" in note
    assert b'span="1000000"' in saved[0].read_bytes()


def test_a_dying_and_a_hanging_worker_are_counted_and_the_run_goes_on(tmp_path: Path) -> None:
    seeds = {"html": [Seed("html", "segv.html", b"<p>FUZZ-SEGV</p>" * 3)],
             "text": [Seed("text", "hang.txt", b"FUZZ-HANG\n" * 3)],
             "docx": [Seed("docx", "fine.txt", "二、收到和处理政府信息公开申请情况\n本年新收\t3\t1\n".encode())]}
    start = time.monotonic()
    summary = run(24, campaign=5, seeds=seeds, weights={"html": 1, "text": 1, "docx": 2}, workers=2,
                  limits=LIMITS, wall_s=2, crashes=tmp_path, target="tests.fuzz.crashy:die_or_hang")
    assert summary.inputs == 24
    assert summary.kinds["died"] >= 1 and summary.kinds["timeout"] >= 1
    assert summary.kinds["ok"] + summary.kinds["rejected"] >= 1  # inputs after a death or hang still parse
    assert {e["kind"] for e in summary.uncaught} == {"died"}  # a hang is a limit hit, not a crash
    assert time.monotonic() - start < 2 * 24 / 2 + 30


def test_cpu_burning_input_is_stopped_by_the_worker_limit(tmp_path: Path) -> None:
    summary = run(2, campaign=1, seeds=_html("1"), weights={"html": 1}, workers=2,
                  limits=Limits(memory_mb=1024, cpu_s=1, wall_s=20), wall_s=20, crashes=tmp_path,
                  target="tests.fuzz.crashy:spin")
    assert summary.kinds["limit"] == 2
    assert all("CPU seconds" in e["detail"] for e in summary.limits)


def test_a_limit_hit_inside_a_reader_reads_as_a_limit_not_as_a_damaged_file() -> None:
    # thirty wide tables, each under the table-size cap (960,000 slots): about a CPU second each
    # here, ~30 s in all, so even a machine several times faster runs far past the 1 s limit, and
    # no single table is a quick "too large" refusal. Readers catch Exception, and the limit must
    # pass through them (ParseLimit is a BaseException). The page goes to the pool as it is: a
    # campaign would mutate it.
    table = "<table>" + ("<tr>" + '<td colspan="200">7</td>' * 8 + "</tr>") * 600 + "</table>"
    page = "<html><body>" + table * 30 + "</body></html>"
    outcomes: list[Outcome] = []
    run_tasks(iter([Task(0, "html", "spans.html", page.encode(), False, 120)]), 1,
              Limits(memory_mb=3072, cpu_s=1, wall_s=120), lambda _task, outcome: outcomes.append(outcome))
    assert [o.kind for o in outcomes] == ["limit"], outcomes
    assert outcomes[0].detail in ("parse stopped: over 1 CPU seconds", "parse stopped: over the 3072 MB memory limit")
