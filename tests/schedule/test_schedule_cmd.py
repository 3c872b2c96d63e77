"""``nianbao schedule add|list|remove`` and ``scheduler run`` as an operator types them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from crawler.cli import app

runner = CliRunner()


def nianbao(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_add_list_remove_round_trip(db_url: str) -> None:
    added = nianbao("schedule", "add", "farm-trs", "farm-city", "--db", db_url)
    assert added.exit_code == 0, added.output
    assert "schedule crawl-farm-trs+farm-city: crawl farm-trs farm-city on '0 3 1 2,4 *'" in added.stdout
    assert "03:00 +0800" in added.stdout
    custom = nianbao(
        "schedule",
        "add",
        "http://www.example.gov.cn/",
        "--cron",
        "15 2 * * 0",
        "--id",
        "weekly",
        "--db",
        db_url,
    )
    assert custom.exit_code == 0, custom.output

    table = nianbao("schedule", "list", "--db", db_url)
    assert table.exit_code == 0
    for text in (
        "cron",
        "crawl-farm-trs+farm-city",
        "weekly",
        "0 3 1 2,4 *",
        "15 2 * * sun",
        "never",
        "03:00",
    ):
        assert text in table.stdout
    listed = json.loads(nianbao("schedule", "list", "--db", db_url, "--json").stdout)
    assert {i["id"]: i["trigger"] for i in listed} == {
        "crawl-farm-trs+farm-city": "0 3 1 2,4 *",
        "weekly": "15 2 * * sun",
    }
    weekly = next(i for i in listed if i["id"] == "weekly")
    assert weekly["next_run_time"].endswith("T02:15:00+08:00")

    removed = nianbao("schedule", "remove", "weekly", "--db", db_url)
    assert removed.exit_code == 0 and "schedule weekly removed" in removed.stdout
    assert [i["id"] for i in json.loads(nianbao("schedule", "list", "--db", db_url, "--json").stdout)] == [
        "crawl-farm-trs+farm-city"
    ]


def test_errors_are_one_line_with_exit_status_2(db_url: str) -> None:
    cases = [
        (
            ("schedule", "add", "farm-trs", "--cron", "0 3 * *"),
            "nianbao schedule add: cron '0 3 * *': expected 5 fields",
        ),
        (
            ("schedule", "add", "farm-trs", "--cron", "0 3 31 2 *"),
            "nianbao schedule add: cron '0 3 31 2 *': never fires",
        ),
        (("schedule", "add", "no-such-site"), "nianbao schedule add: unknown site 'no-such-site'"),
        (("schedule", "remove", "nope"), "nianbao schedule remove: no schedule with id 'nope'"),
        (
            ("scheduler", "run", "--poll", "0"),
            "nianbao scheduler run: --poll 0.0: expected a positive number",
        ),
    ]
    for args, message in cases:
        result = nianbao(*args, "--db", db_url)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.startswith(message), (args, result.stderr)
        assert result.stderr.count("\n") == 1
    assert json.loads(nianbao("schedule", "list", "--db", db_url, "--json").stdout) == []


def test_duplicate_schedule_is_refused(db_url: str) -> None:
    assert nianbao("schedule", "add", "farm-trs", "--db", db_url).exit_code == 0
    again = nianbao("schedule", "add", "farm-trs", "--cron", "0 4 * * *", "--db", db_url)
    assert again.exit_code == 2
    assert "schedule 'crawl-farm-trs' exists already" in again.stderr


def test_empty_list_says_how_to_add(db_url: str) -> None:
    result = nianbao("schedule", "list", "--db", db_url)
    assert (
        result.exit_code == 0 and "no schedules (add one with: nianbao schedule add SITE...)" in result.stdout
    )


def test_bad_database_url_is_a_clear_error() -> None:
    result = nianbao("schedule", "list", "--db", "mysql://x@y/z")
    assert result.exit_code == 1
    assert result.stderr.startswith("nianbao schedule list: database 'mysql://x@y/z': ")
