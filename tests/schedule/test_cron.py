"""Crontab expressions read in Beijing time, crontab day-of-week numbering, one-line errors."""

from __future__ import annotations

from datetime import datetime

import pytest
from apscheduler.triggers.date import DateTrigger

from crawler.schedule.cron import DEFAULT_CRON, TZ, ScheduleError, describe, parse_cron


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 11, 21, 12), at(2027, 2, 1, 3)),
        (at(2027, 2, 1, 3, 0, 1), at(2027, 4, 1, 3)),
        (at(2027, 4, 1, 3, 0, 1), at(2028, 2, 1, 3)),
    ],
)
def test_default_fires_1_february_and_1_april_at_3_beijing_time(now: datetime, expected: datetime) -> None:
    nxt = parse_cron(DEFAULT_CRON).get_next_fire_time(None, now)
    assert nxt == expected
    assert nxt is not None and nxt.utcoffset() is not None and nxt.utcoffset().total_seconds() == 8 * 3600


def test_day_of_week_numbers_follow_crontab_not_apscheduler() -> None:
    wednesday = at(2026, 11, 25, 12)
    assert parse_cron("0 9 * * 0").get_next_fire_time(None, wednesday) == at(2026, 11, 29, 9)  # Sunday
    assert parse_cron("0 9 * * 7").get_next_fire_time(None, wednesday) == at(2026, 11, 29, 9)
    assert parse_cron("0 9 * * 1-5").get_next_fire_time(None, wednesday) == at(2026, 11, 26, 9)
    assert describe(parse_cron("*/15 9 * * 1-5")) == "*/15 9 * * mon-fri"


def test_describe_gives_the_crontab_back() -> None:
    assert describe(parse_cron(DEFAULT_CRON)) == "0 3 1 2,4 *"
    assert describe(DateTrigger(at(2027, 1, 1), timezone=TZ)).startswith("date[")


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("0 3 1 2", "expected 5 fields"),
        ("0 3 1 2 * *", "expected 5 fields"),
        ("61 3 * * *", "61"),
        ("0 3 1 13 *", "13"),
        ("0 3 * * 8", "day of week 8"),
        ("0 3 30 2 *", "never fires"),
        ("0 x * * *", "x"),
    ],
)
def test_bad_cron_is_a_one_line_error_naming_it(expr: str, message: str) -> None:
    with pytest.raises(ScheduleError) as e:
        parse_cron(expr)
    text = str(e.value)
    assert text.startswith(f"cron {expr!r}: ") and message in text and "\n" not in text
