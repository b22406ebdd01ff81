"""Waiting in tests: poll a condition until it holds (never sleep a fixed time to prove an absence)."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_for(predicate: Callable[[], object], timeout: float = 10.0, interval: float = 0.02) -> bool:
    """Poll `predicate` until it is true or `timeout` seconds pass; whether it came true.

    To prove that something does NOT happen, do not wait a while and look: make a marker
    happen after it (one more label, one more tag), wait for the marker with this, then assert.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
