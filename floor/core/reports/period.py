"""Report periods: whole days of the site's time zone from a first to a last day (both included), and months.

The time zone is passed in (a `tzinfo`, read from `[site] timezone` by the web ring): a day or a
month runs from its local midnight to the next, whatever the UTC offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from floor.core.inputs import RANGE_TEXT, MomentError, parse_day, parse_month
from floor.core.reports import ReportError

MAX_DAYS = 3 * 366 + 1  # three years: reports beyond that are a data export, not a KPI
FIRST_REPORT_YEAR = 2000


def midnight(day: date, tz: tzinfo = UTC) -> datetime:
    """The instant (in UTC) a day starts in a time zone."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class Period:
    """Days `first` to `last`, both included; moves count when first 00:00 <= at < (last + 1) 00:00 in `tz`."""

    first: date
    last: date
    tz: tzinfo = UTC

    @property
    def start(self) -> datetime:
        """The instant the period starts."""
        return midnight(self.first, self.tz)

    @property
    def end(self) -> datetime:
        """The instant after the period (exclusive)."""
        return midnight(self.last + timedelta(days=1), self.tz)

    def local_date(self, moment: datetime) -> date:
        """The day an instant falls on in the period's time zone."""
        return moment.astimezone(self.tz).date()

    @property
    def days(self) -> int:
        """How many days the period has."""
        return (self.last - self.first).days + 1

    def as_dict(self) -> dict[str, object]:
        """The period for JSON."""
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "days": self.days,
            "timezone": str(self.tz),
        }


def parse_period(first: str | None, last: str | None, today: date, tz: tzinfo = UTC) -> Period:
    """A period from ISO dates; defaults: the last 30 days up to `today` (the site's date). Refuses reversed or too long periods."""
    try:  # ASCII digits, years 1970-2999: a day either side of the period cannot overflow
        to = parse_day(last) if last is not None else today
        frm = parse_day(first) if first is not None else to - timedelta(days=29)
    except MomentError:
        raise ReportError("bad_period", detail=f"'from' and 'to' must be dates YYYY-MM-DD {RANGE_TEXT}") from None
    if frm > to:
        raise ReportError("bad_period", detail="'from' is after 'to'")
    period = Period(frm, to, tz)
    if period.days > MAX_DAYS:
        raise ReportError("bad_period", detail=f"at most {MAX_DAYS} days")
    return period


def month_period(month: str, tz: tzinfo = UTC) -> Period:
    """The calendar month `YYYY-MM` (in time zone `tz`) as a period, or ReportError bad_month."""
    try:  # ASCII digits only: a regex \d would take '٢٠٢٦-١١' and int() read it as 2026-11
        first = parse_month(month, FIRST_REPORT_YEAR)
    except MomentError:
        raise ReportError("bad_month", month=str(month)[:20]) from None
    return Period(first, next_month(first) - timedelta(days=1), tz)


def next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def previous_months(month: Period, n: int) -> list[Period]:
    """The n calendar months before `month` (in its time zone), oldest first."""
    out: list[Period] = []
    first = month.first
    for _ in range(n):
        last = first - timedelta(days=1)
        first = last.replace(day=1)
        out.append(Period(first, last, month.tz))
    return out[::-1]


def month_of(moment: datetime, tz: tzinfo = UTC) -> Period:
    """The calendar month an instant falls in, in time zone `tz`."""
    return month_period(moment.astimezone(tz).strftime("%Y-%m"), tz)


def month_key(period: Period) -> str:
    """`YYYY-MM` of a period's first day."""
    return period.first.strftime("%Y-%m")
