"""Group commit: many threads' write batches applied by one writer in one transaction.

SQLite has one writer at a time. When twenty scanners each pay for their own
commit (an fsync with synchronous=FULL) they queue behind each other and the
slowest waits for all the others. Here one writer thread takes every batch
waiting, applies them in arrival order in one transaction, commits once, and
only then wakes the callers: each result is still durable when it is returned.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
IDLE_EXIT_S = 2.0  # the writer thread ends when idle, so short-lived services leave no threads


@dataclass
class Job(Generic[T]):
    """One caller's batch waiting for the writer."""

    work: Any
    done: threading.Event = field(default_factory=threading.Event)
    result: T | None = None
    error: BaseException | None = None


class GroupCommitter(Generic[T]):
    """Runs `apply_group(jobs)` for whatever is waiting; falls back to `apply_one` per job on failure."""

    def __init__(
        self, apply_group: Callable[[list[Job[T]]], None], apply_one: Callable[[Any], T], max_group: int = 64
    ) -> None:
        self._apply_group, self._apply_one, self._max = apply_group, apply_one, max_group
        self._queue: deque[Job[T]] = deque()
        self._cv = threading.Condition()
        self._writer: threading.Thread | None = None

    def submit(self, work: Any) -> T:
        """Queue work, wait until it is committed, return its result (or raise its error)."""
        job: Job[T] = Job(work)
        with self._cv:
            self._queue.append(job)
            if self._writer is None:
                self._writer = threading.Thread(target=self._run, name="floor-group-commit", daemon=True)
                self._writer.start()
            self._cv.notify()
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[return-value]

    def _take(self) -> list[Job[T]] | None:
        with self._cv:
            if not self._queue and not self._cv.wait_for(lambda: bool(self._queue), timeout=IDLE_EXIT_S):
                self._writer = None
                return None
            group: list[Job[T]] = []
            while self._queue and len(group) < self._max:
                group.append(self._queue.popleft())
            return group

    def _run(self) -> None:
        while True:
            group = self._take()
            if group is None:
                return
            try:
                self._apply_group(group)
            except Exception:
                # One bad batch must not fail the others: apply each alone.
                log.info("group of %d failed; applying its batches one by one", len(group), exc_info=True)
                for job in group:
                    try:
                        job.result = self._apply_one(job.work)
                    except BaseException as exc:  # handed to the waiting caller
                        job.error = exc
            for job in group:
                job.done.set()
