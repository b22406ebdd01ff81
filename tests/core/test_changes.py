"""The change feed: published in a unit of work, delivered only after it commits, in-process and across processes."""

from __future__ import annotations

import threading
import time

import pytest

from floor.core import changes
from floor.core.changes import Change
from floor.db import Database
from tests.conftest import POSTGRESQL_ONLY


def _collect(db: Database) -> tuple[list[Change], threading.Event]:
    got: list[Change] = []
    arrived = threading.Event()

    def sub(batch: list[Change]) -> None:
        got.extend(batch)
        arrived.set()

    db.feed.subscribe(sub)
    return got, arrived


def test_change_is_delivered_after_commit_only(db):
    """GIVEN a subscriber WHEN a unit of work publishes a change THEN nothing arrives before commit, once after."""
    got, _ = _collect(db)
    with db.writing() as s:
        changes.publish(s, changes.JOBS, number="J-1")
        changes.publish(s, changes.JOBS, number="J-1")  # the same change twice is one event
        assert got == [] and changes.pending(s) == [Change("jobs", {"number": "J-1"})]
    assert got == [Change("jobs", {"number": "J-1"})]


def test_rolled_back_change_is_never_delivered(db):
    """GIVEN a subscriber WHEN a unit of work publishes then fails THEN nothing is delivered, and the next commit is clean."""
    got, _ = _collect(db)
    with pytest.raises(RuntimeError), db.writing() as s:
        changes.publish(s, changes.JOBS, number="J-2")
        raise RuntimeError("refused")
    with db.writing() as s:
        changes.publish(s, changes.MASTER)
    assert got == [Change("master", {})]


def test_topic_must_be_safe_for_an_sse_event_name(db):
    """GIVEN a topic with spaces WHEN published THEN it is refused at once, not sent."""
    with pytest.raises(ValueError, match="topic"), db.writing() as s:
        changes.publish(s, "job moved")


def test_failing_subscriber_does_not_fail_the_commit(db):
    """GIVEN a subscriber that raises WHEN a change commits THEN the commit stands and other subscribers still hear it."""

    def broken(_batch: list[Change]) -> None:
        raise RuntimeError("broken page")

    db.feed.subscribe(broken)
    got, _ = _collect(db)
    with db.writing() as s:
        changes.publish(s, changes.COUNTS, count=3)
    assert got == [Change("counts", {"count": 3})]


@POSTGRESQL_ONLY
def test_change_reaches_another_process_on_postgresql(db):
    """GIVEN two Database objects on one PostgreSQL database (two processes' worth), the second listening
    WHEN the first commits a change THEN the second's subscribers get it within a second, and its own is not echoed."""
    other = Database(db.url)
    try:
        got, arrived = _collect(other)
        other.feed.listen_remote()
        assert other.feed.listening.wait(5)
        with db.writing() as s:
            changes.publish(s, changes.JOBS, number="J-3")
        assert arrived.wait(1.0)
        assert got == [Change("jobs", {"number": "J-3"})]
        arrived.clear()
        with other.writing() as s:  # its own change: delivered once, locally, not again by NOTIFY
            changes.publish(s, changes.JOBS, number="J-4")
        with db.writing() as s:  # a marker after it, so the test waits for a real arrival
            changes.publish(s, changes.MASTER)
        deadline = time.monotonic() + 2.0
        while Change("master", {}) not in got and time.monotonic() < deadline:
            arrived.clear()
            arrived.wait(0.1)
        assert got[1:] == [Change("jobs", {"number": "J-4"}), Change("master", {})]
    finally:
        other.feed.unlisten_remote()
        other.dispose()
