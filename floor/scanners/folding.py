"""Folding repeated reads: a key is reported again only after it was quiet for a whole window."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable


class RepeatFilter:
    """Drops reads of a key seen less than `window_s` ago; every read restarts the window.

    A tag lying on a reader or a label held in front of a camera is read many times a
    second for as long as it stays there: that is one scan, not one every two seconds.
    It is reported again once it has been away (unread) for the whole window.
    """

    def __init__(self, window_s: float = 2.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s = window_s
        self._clock = clock
        self._seen: dict[Hashable, float] = {}
        self._prune_at = 4096
        self.folded = 0

    def admit(self, key: Hashable, now: float | None = None) -> bool:
        """Record a read of `key`; True if it should be reported, False if folded."""
        if now is None:
            now = self._clock()
        last = self._seen.get(key)
        self._seen[key] = now
        if len(self._seen) >= self._prune_at:
            self._prune(now)
        if last is not None and now - last < self.window_s:
            self.folded += 1
            return False
        return True

    def __len__(self) -> int:
        return len(self._seen)

    def _prune(self, now: float) -> None:
        # Keys quiet for a whole window would be admitted anyway: forgetting them is free.
        self._seen = {k: t for k, t in self._seen.items() if now - t < self.window_s}
        self._prune_at = max(4096, 2 * len(self._seen))
