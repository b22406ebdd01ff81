"""Client and scanned text to numbers and times: one home for the rules every entry point shares.

Only ASCII digits are digits: `str.isdigit()` accepts `²`, `٣` and `１２`, and `int()` then
either raises (superscripts) or reads them as numbers (Arabic-Indic, full-width). Times are
ISO 8601 within a sane range, so converting them between zones can never overflow.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal, InvalidOperation

_DIGITS = re.compile(r"[0-9]+")
# A plain decimal in ASCII: no exponent, no underscores, no Arabic-Indic or full-width digits
# (Decimal() reads '٣', '１２' and '1_0' as numbers).
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
MAX_DECIMAL_TEXT = 40
# Ids are stored in 64-bit signed columns; a larger number names nothing and must not reach the driver.
MAX_ID = 2**63 - 1
# The rows a client names by id (counts, deliveries, returns, print jobs, claims, request lines, appointments)
# have 32-bit integer keys on PostgreSQL: a larger id names nothing and must not reach the query ("integer out of
# range" is a 500).
MAX_ROW_ID = 2**31 - 1
EARLIEST_YEAR = 1970
LATEST_YEAR = 2999
RANGE_TEXT = f"between {EARLIEST_YEAR} and {LATEST_YEAR}"


def is_ascii_digits(text: object) -> bool:
    """True when `text` is a non-empty string of the ASCII digits 0-9 only."""
    return isinstance(text, str) and _DIGITS.fullmatch(text) is not None


def ascii_int(text: object, lo: int = 0, hi: int = MAX_ID) -> int | None:
    """The whole number `text` spells in ASCII digits if it lies in lo..hi, else None."""
    if not is_ascii_digits(text):
        return None
    assert isinstance(text, str)
    if len(text.lstrip("0")) > len(str(hi)):  # cheap guard before int() on a 4,000-digit string
        return None
    value = int(text)
    return value if lo <= value <= hi else None


def valid_id(value: object) -> int | None:
    """A row id (1..2**31-1, MAX_ROW_ID) from an int or ASCII digits, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= MAX_ROW_ID else None
    return ascii_int(value, 1, MAX_ROW_ID)


def ascii_decimal(value: object) -> Decimal | None:
    """A finite number from a JSON number or plain ASCII decimal text ('12', '12.50', '-3'), else None.

    Text with an exponent, underscores, non-ASCII digits or more than 40 characters is not a number here.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float | Decimal):
        number = Decimal(str(value))
        return number if number.is_finite() else None
    if not isinstance(value, str):
        return None
    text = value.strip(" \t")
    if len(text) > MAX_DECIMAL_TEXT or not _DECIMAL.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        return None


class MomentError(ValueError):
    """A time that cannot be used; `reason` is 'format', 'zone' or 'range'."""

    def __init__(self, reason: str, text: str) -> None:
        super().__init__(f"{reason}: {text[:40]!r}")
        self.reason = reason
        self.text = text[:40]


def _in_range(year: int) -> bool:
    return EARLIEST_YEAR <= year <= LATEST_YEAR


def parse_moment(text: object, default_zone: tzinfo | None = None) -> datetime:
    """ISO 8601 text as an aware UTC time within the years 1970-2999, or MomentError.

    Text without a zone takes `default_zone`; without one that is a 'zone' error.
    The year is checked before any zone arithmetic, which would overflow at 0001 or 9999.
    """
    if not isinstance(text, str) or not text.strip() or not text.isascii():
        raise MomentError("format", str(text))
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise MomentError("format", text) from None
    if not _in_range(moment.year):
        raise MomentError("range", text)
    if moment.tzinfo is None:
        if default_zone is None:
            raise MomentError("zone", text)
        moment = moment.replace(tzinfo=default_zone)
    return moment.astimezone(UTC)


def parse_day(text: object) -> date:
    """An ISO day (YYYY-MM-DD) within the years 1970-2999, or MomentError."""
    if not isinstance(text, str) or not text.isascii():
        raise MomentError("format", str(text))
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise MomentError("format", text) from None
    if not _in_range(day.year):
        raise MomentError("range", text)
    return day


def parse_month(text: object, earliest_year: int = EARLIEST_YEAR) -> date:
    """The first day of a month written `YYYY-MM` in ASCII digits, years `earliest_year`-2999, or MomentError."""
    m = _MONTH.fullmatch(text) if isinstance(text, str) else None
    if m is None or not 1 <= int(m.group(2)) <= 12:
        raise MomentError("format", str(text))
    year = int(m.group(1))
    if not earliest_year <= year <= LATEST_YEAR:
        raise MomentError("range", str(text))
    return date(year, int(m.group(2)), 1)
