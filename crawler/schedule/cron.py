"""Schedules as crontab expressions, read in Beijing time."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

TZ = ZoneInfo("Asia/Shanghai")
"""Every schedule is read in this zone (the machine's own zone is usually UTC)."""

DEFAULT_CRON = "0 3 1 2,4 *"
"""03:00 on 1 February and 1 April: department reports are due 31 January, governments' own 31 March."""

_DOW_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CRON_FIELDS = ("minute", "hour", "day", "month", "day_of_week")


class ScheduleError(ValueError):
    """A schedule that cannot work (bad cron, unknown site, unknown id); the message names it."""


def parse_cron(expr: str, *, now: datetime | None = None) -> CronTrigger:
    """The trigger for a five-field crontab ``MIN HOUR DOM MON DOW`` in Asia/Shanghai.

    Day-of-week numbers follow crontab (0 and 7 are Sunday), not APScheduler, where 0 is Monday:
    they are turned into names first. Raises ScheduleError for a malformed expression or one
    that never fires (e.g. 30 February).
    """
    fields = expr.split()
    if len(fields) != 5:
        raise ScheduleError(f"cron {expr!r}: expected 5 fields MIN HOUR DOM MON DOW, got {len(fields)}")
    values = dict(zip(_CRON_FIELDS, fields, strict=True))
    values["day_of_week"] = _dow_names(expr, values["day_of_week"])
    try:
        trigger = CronTrigger(**values, timezone=TZ)
    except ValueError as e:
        raise ScheduleError(f"cron {expr!r}: {e}") from None
    if trigger.get_next_fire_time(None, now or datetime.now(TZ)) is None:
        raise ScheduleError(f"cron {expr!r}: never fires")
    return trigger


def _dow_names(expr: str, dow: str) -> str:
    def name(m: re.Match[str]) -> str:
        n = int(m.group())
        if n > 7:
            raise ScheduleError(f"cron {expr!r}: day of week {n} is not 0-7")
        return _DOW_NAMES[n]

    # Digits after "/" are steps, not days.
    return re.sub(r"(?<![/\d])\d+", name, dow)


def describe(trigger: BaseTrigger) -> str:
    """A cron trigger as its crontab expression; any other trigger as APScheduler prints it."""
    if isinstance(trigger, CronTrigger):
        by_name = {f.name: str(f) for f in trigger.fields}
        return " ".join(by_name[n] for n in _CRON_FIELDS)
    return str(trigger)
