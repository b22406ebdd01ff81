"""The one clock: every rule that depends on "now" reads it here, so tests can pin it.

Production uses the system clock. Tests (and demos replaying a day) install a
`PinnedClock`, which starts at a chosen instant and runs on with real time, so
timeouts and retries still elapse. `FLOOR_CLOCK=2026-11-23T08:00:00Z` in the
environment pins the clock of a process at start-up (used for `floor serve`
subprocesses in tests).
"""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time (timezone-aware, UTC)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The machine's wall clock."""

    def now(self) -> datetime:
        """The current time in UTC."""
        return datetime.now(UTC)


class PinnedClock:
    """Starts at `start` and runs on with real (monotonic) time; `advance` jumps ahead."""

    def __init__(self, start: datetime, ticking: bool = True) -> None:
        if start.tzinfo is None:
            raise ValueError("a pinned clock needs a timezone-aware start")
        self._start = start.astimezone(UTC)
        self._t0 = time.monotonic()
        self._ticking = ticking
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The pinned instant plus the real time elapsed since pinning (unless frozen) and any advance."""
        with self._lock:
            run = timedelta(seconds=time.monotonic() - self._t0) if self._ticking else timedelta(0)
            return self._start + run + self._offset

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward (or back, with a negative delta)."""
        with self._lock:
            self._offset += delta


def _from_environment() -> Clock:
    pinned = os.environ.get("FLOOR_CLOCK", "").strip()
    if not pinned:
        return SystemClock()
    start = datetime.fromisoformat(pinned.replace("Z", "+00:00"))
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    return PinnedClock(start)


_clock: Clock = _from_environment()


def now() -> datetime:
    """The current time from the installed clock (timezone-aware, UTC)."""
    return _clock.now()


def current() -> Clock:
    """The installed clock."""
    return _clock


def install(clock: Clock) -> Clock:
    """Make `clock` the one clock; returns the previous one so callers can put it back."""
    global _clock
    previous, _clock = _clock, clock
    return previous
