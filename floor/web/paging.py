"""`?limit=&offset=` on list routes: a default and a maximum page size, a clear 400 for bad values.

Every list answer carries `page: {limit, offset, next_offset}`; `next_offset` is null on the
last page. Logs (newest last) page back in time: offset 0 is the newest page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import request

from floor.http.validate import BodyError

DEFAULT_LIMIT = 200
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000
T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    """The page a request asked for."""

    limit: int
    offset: int

    def meta(self, has_more: bool) -> dict[str, Any]:
        """The `page` object of the answer."""
        return {
            "limit": self.limit,
            "offset": self.offset,
            "next_offset": self.offset + self.limit if has_more else None,
        }

    def of(self, items: Sequence[T]) -> tuple[list[T], dict[str, Any]]:
        """This page of an in-memory list, and its meta."""
        chunk = list(items[self.offset : self.offset + self.limit])
        return chunk, self.meta(len(items) > self.offset + self.limit)

    def fetch(self, query: Callable[[int, int], list[T]], newest_last: bool = False) -> tuple[list[T], dict[str, Any]]:
        """Run `query(limit, offset)` asking for one row more than the page, to know if another follows."""
        rows = query(self.limit + 1, self.offset)
        more = len(rows) > self.limit
        if more:
            rows = rows[1:] if newest_last else rows[: self.limit]
        return rows, self.meta(more)


def _arg(name: str, default: int, lo: int, hi: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    # ASCII digits only: str.isdigit() would take '²' or '３' and int() then fails or misreads.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or not lo <= int(raw) <= hi:
        raise BodyError(f"'{name}' must be a whole number from {lo} to {hi}, not {raw[:20]!r}")
    return int(raw)


def page_args() -> Page:
    """The `limit` (default DEFAULT_LIMIT, at most MAX_LIMIT) and `offset` of this request, or a 400."""
    return Page(_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT), _arg("offset", 0, 0, MAX_OFFSET))
