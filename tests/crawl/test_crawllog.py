"""The crawl log (crawler.crawllog): JSON lines, appended across the processes of a run."""

from __future__ import annotations

import json
from pathlib import Path

from crawler.crawllog import CrawlLog


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def test_lines_are_json_without_empty_fields(tmp_path: Path) -> None:
    log = CrawlLog(tmp_path, 3)
    log.write("skipped", "http://a.gov.cn/x", reason="offsite (b.cn)", status=None)
    log.close()
    (line, end) = _lines(tmp_path / "crawl-3.jsonl")
    record = json.loads(line)
    assert end == "" and record["event"] == "skipped" and record["reason"] == "offsite (b.cn)"
    assert "status" not in record
    log.write("fetched", "http://a.gov.cn/y")  # after close: ignored, not an error


def test_a_resumed_run_appends_after_a_torn_line(tmp_path: Path) -> None:
    first = CrawlLog(tmp_path, 7)
    first.write("fetched", "http://a.gov.cn/年报.html", status=200)
    first.close()
    with (tmp_path / "crawl-7.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"time": "2026-11-21T10:00:00.000+00:00", "event": "fetch')  # killed mid-line
    resumed = CrawlLog(tmp_path, 7)
    resumed.write("fetched", "http://a.gov.cn/b.html", status=200)
    resumed.close()
    lines = _lines(tmp_path / "crawl-7.jsonl")
    assert len(lines) == 4 and lines[-1] == ""
    assert json.loads(lines[0])["url"] == "http://a.gov.cn/年报.html" and "年报" in lines[0]  # not \\u-escaped
    assert lines[1].endswith('"event": "fetch')
    assert json.loads(lines[2])["url"] == "http://a.gov.cn/b.html"


def test_a_whole_log_gets_no_extra_line(tmp_path: Path) -> None:
    for n in range(2):
        log = CrawlLog(tmp_path, 1)
        log.write("fetched", f"http://a.gov.cn/{n}")
        log.close()
    assert [json.loads(x)["url"] for x in _lines(tmp_path / "crawl-1.jsonl")[:-1]] == [
        "http://a.gov.cn/0", "http://a.gov.cn/1"]
