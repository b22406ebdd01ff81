"""CSV export cells that a spreadsheet cannot run as formulas (OWASP "CSV injection").

The rule, for every CSV floor exports: a cell whose text is a plain decimal number
(`-3`, `12.50`, `+4`) is data and is written unchanged, so quantities, variances and
amounts stay numbers. Any other cell whose text starts with `=`, `+`, `-`, `@`, a tab
or a carriage return is written with a leading single quote (`'=HYPERLINK(...)`), which
spreadsheet programs show as text and never evaluate.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?\Z")


def safe_cell(value: Any) -> Any:
    """The value as it may go into an exported CSV cell (see the module docstring)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text.startswith(TRIGGERS) and not _NUMBER.match(text):
        return "'" + text
    return value


class SafeWriter:
    """csv.writer whose rows are neutralised cell by cell."""

    def __init__(self, buf: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(buf, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        """Write one row of safe cells."""
        return self._writer.writerow([safe_cell(v) for v in row])


if TYPE_CHECKING:  # csv.DictWriter is generic for the type checker only (subscripting it needs 3.12)
    _DictWriter = csv.DictWriter[str]
else:
    _DictWriter = csv.DictWriter


class SafeDictWriter(_DictWriter):
    """csv.DictWriter whose rows are neutralised cell by cell."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        """Write one row of safe cells."""
        return super().writerow({k: safe_cell(v) for k, v in rowdict.items()})
