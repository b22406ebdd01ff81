"""Deadlines in the site's time zone and on its working days (ISO weekdays, 1 = Monday)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from floor.core.aftersales.settings import AftersalesSettings


def local(at: datetime, settings: AftersalesSettings) -> datetime:
    """`at` on the site's clock."""
    return at.astimezone(ZoneInfo(settings.timezone))


def is_working(at: datetime, settings: AftersalesSettings) -> bool:
    """Whether `at` falls on a working day of the site."""
    return local(at, settings).isoweekday() in settings.working_days


def to_working_day(at: datetime, settings: AftersalesSettings) -> datetime:
    """`at`, or the same local time on the next working day when `at` is not on one (UTC)."""
    if not settings.working_days:
        return at
    moment = local(at, settings)
    for _ in range(7):
        if moment.isoweekday() in settings.working_days:
            break
        moment = _same_time_next_day(moment)
    return moment.astimezone(UTC)


def next_working_morning(at: datetime, settings: AftersalesSettings, hour: int = 9) -> datetime:
    """The start (`hour` o'clock, site time) of the first working day after `at`'s day (UTC)."""
    day = local(at, settings).date() + timedelta(days=1)
    zone = ZoneInfo(settings.timezone)
    moment = datetime.combine(day, time(hour), tzinfo=zone)
    return to_working_day(moment, settings)


def add_working_days(at: datetime, days: int, settings: AftersalesSettings) -> datetime:
    """`at` moved on by `days` working days, keeping the site's time of day (UTC)."""
    moment = local(at, settings)
    left = days
    while left > 0:
        moment = _same_time_next_day(moment)
        if not settings.working_days or moment.isoweekday() in settings.working_days:
            left -= 1
    return moment.astimezone(UTC)


def _same_time_next_day(moment: datetime) -> datetime:
    nxt = datetime.combine(moment.date() + timedelta(days=1), moment.timetz().replace(tzinfo=None))
    return nxt.replace(tzinfo=moment.tzinfo)


def site_today_bounds(now: datetime, settings: AftersalesSettings) -> tuple[datetime, datetime]:
    """The start and end (UTC) of the site's day holding `now`."""
    zone = ZoneInfo(settings.timezone)
    day = local(now, settings).date()
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)
