"""Loose row values (CSV strings or JSON values) turned into clean ones, or a `RowError` naming the field.

Master data imports and delivery imports read rows the same way through these, and
split their CSV files with the one reader here (`read_csv`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from floor.core.inputs import RANGE_TEXT, MomentError, ascii_decimal, is_ascii_digits, parse_moment

_CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./+#")


class RowError(ValueError):
    """One field of one row is wrong; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def text(row: Mapping[str, Any], field: str, max_len: int = 200, required: bool = False) -> str:
    """Stripped text of at most `max_len` characters (numbers accepted as text)."""
    value = row.get(field)
    if value is None:
        value = ""
    if not isinstance(value, str):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RowError(field, f"must be text, not {type(value).__name__}")
        value = str(value)
    value = value.strip()
    if required and not value:
        raise RowError(field, "is required")
    if len(value) > max_len:
        raise RowError(field, f"is longer than {max_len} characters")
    if any(ord(c) < 32 for c in value):
        raise RowError(field, "contains control characters")
    return value


def code(row: Mapping[str, Any], field: str) -> str:
    """A code (part number, bin, badge): letters, digits and - _ . / + # only."""
    value = text(row, field, 64, required=True)
    bad = sorted({c for c in value if c not in _CODE_CHARS})
    if bad:
        raise RowError(field, f"may hold letters, digits and - _ . / + # only, not {''.join(bad)!r}")
    return value


def _ascii_number(text: str) -> int:
    """A whole number in ASCII digits with an optional sign (int() would take '１２' and '٣')."""
    sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.lstrip("+"))
    if not is_ascii_digits(digits) or len(digits) > 18:
        raise ValueError(text)
    return sign * int(digits)


def integer(row: Mapping[str, Any], field: str, default: int | None = 0, lo: int = 0, hi: int = 10**9) -> int | None:
    """A whole number between `lo` and `hi`; blank gives `default`."""
    value = row.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is None and field in row:
            return None
        return default
    if isinstance(value, bool):
        raise RowError(field, "must be a whole number, not true/false")
    try:
        number = _ascii_number(value.strip()) if isinstance(value, str) else value
        if not isinstance(number, int):
            if isinstance(number, float) and number.is_integer():
                number = int(number)
            else:
                raise ValueError
    except ValueError:
        raise RowError(field, f"must be a whole number, not {str(value)[:30]!r}") from None
    if not lo <= number <= hi:
        raise RowError(field, f"must be between {lo} and {hi}, not {number}")
    return number


def boolean(row: Mapping[str, Any], field: str) -> bool:
    """Yes or no, in English, Chinese or as 1/0."""
    value = row.get(field, False)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "y", "true", "1", "是"):
        return True
    if text in ("no", "n", "false", "0", "", "否"):
        return False
    raise RowError(field, f"must be yes or no, not {text[:20]!r}")


def money(row: Mapping[str, Any], field: str) -> Decimal:
    """A non-negative amount, to four decimal places."""
    value = row.get(field, "0")
    if isinstance(value, bool):
        raise RowError(field, "must be a number")
    # Decimal() reads '١٢' and '１２' as numbers: only ASCII digits are digits.
    amount = ascii_decimal("0" if isinstance(value, str) and not value.strip() else value)
    if amount is None:
        raise RowError(field, f"must be a number like 12.50, not {str(value)[:30]!r}")
    if amount < 0 or amount > Decimal("99999999"):
        raise RowError(field, f"must be between 0 and 99999999, not {value}")
    return amount.quantize(Decimal("0.0001"))


def moment(row: Mapping[str, Any], field: str, tz: str) -> datetime | None:
    """A date and time; a naive one is read in the time zone `tz`."""
    value = row.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise RowError(field, "must be a date and time like 2026-11-23 17:30")
    try:
        # Without a zone the workshop writes its own local time.
        return parse_moment(value, default_zone=ZoneInfo(tz))
    except MomentError as exc:
        if exc.reason == "range":
            raise RowError(field, f"must have a year {RANGE_TEXT}, not {value[:30]!r}") from None
        raise RowError(field, f"must be a date and time like 2026-11-23 17:30, not {value[:30]!r}") from None


class CsvFormatError(ValueError):
    """The file is not a CSV of the expected kind at all."""


def read_csv(
    data: bytes, required: Sequence[str], expected: Sequence[str]
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Decode and split a CSV file; return its header and (line number, row) pairs.

    Header names are trimmed and lower-cased; blank lines are skipped; a row with more
    non-empty fields than the header has becomes `{"__error__": ...}` so the caller names its line.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvFormatError(f"the file is not UTF-8 (byte {exc.start}); save it as CSV UTF-8") from None
    if "\x00" in text:
        raise CsvFormatError("the file contains NUL bytes; is it a spreadsheet rather than CSV?")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise CsvFormatError("the file is empty; it needs a header row") from None
    except csv.Error as exc:
        raise CsvFormatError(f"line 1: {exc}") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise CsvFormatError(f"line 1: header lacks column(s) {', '.join(missing)}; expected {','.join(expected)}")
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            line = reader.line_num
            if len(values) > len(header):
                extra = values[len(header) :]
                if any(v.strip() for v in extra):
                    rows.append((line, {"__error__": f"has {len(values)} fields, the header has {len(header)}"}))
                    continue
            rows.append((line, dict(zip(header, values))))
    except csv.Error as exc:
        raise CsvFormatError(f"line {reader.line_num}: {exc}") from None
    return header, rows
