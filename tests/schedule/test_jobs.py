"""The stored job function: the crawl's command line and environment, and its refusal outside a scheduler."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.schedule.jobs import JobRuntime, crawl_argv, crawl_env, crawl_job, operator_of


def test_command_line_carries_sites_archive_and_operator_but_no_database_password(tmp_path: Path) -> None:
    rt = JobRuntime(
        "postgresql+psycopg://crawler:secret@db/nianbao",
        tmp_path / "warc",
        tmp_path / "logs",
        crawl_argv=("python", "-m", "crawler", "crawl"),
    )
    argv = crawl_argv(rt, ["farm-trs", "http://www.example.gov.cn/"], "yearly")
    assert argv == [
        "python",
        "-m",
        "crawler",
        "crawl",
        "farm-trs",
        "http://www.example.gov.cn/",
        "--archive",
        str(tmp_path / "warc"),
        "--operator",
        "schedule:yearly",
        "--quiet",
    ]
    assert not any("secret" in a for a in argv)
    assert operator_of("yearly") == "schedule:yearly"


def test_environment_adds_where_to_write_and_the_trigger(tmp_path: Path) -> None:
    rt = JobRuntime(
        "sqlite:///x.sqlite",
        tmp_path / "warc",
        tmp_path / "logs",
        env={"PATH": "/usr/bin", "NIANBAO_BROWSER": "0", "NIANBAO_DB_URL": "sqlite:///other.sqlite"},
    )
    env = crawl_env(rt)
    assert env == {
        "PATH": "/usr/bin",
        "NIANBAO_BROWSER": "0",  # the operator's crawl settings pass through
        "NIANBAO_DB_URL": "sqlite:///x.sqlite",  # the scheduler's database wins
        "NIANBAO_ARCHIVE_DIR": str(tmp_path / "warc"),
        "NIANBAO_LOG_DIR": str(tmp_path / "logs"),
        "NIANBAO_TRIGGER": "schedule",
        "PYTHONUNBUFFERED": "1",
    }


def test_crawl_job_outside_a_scheduler_is_a_clear_error() -> None:
    with pytest.raises(RuntimeError, match="runs inside `nianbao scheduler run` only"):
        crawl_job(["farm-trs"], job_id="x")
