"""The change feed: what a unit of work changed, told to every open screen after it commits.

Call `publish(session, topic, **payload)` inside the transaction that makes the change,
next to the write itself (core function, not the view)::

    from floor.core import changes

    with db.writing() as session:
        wo = ...                                   # the change
        changes.publish(session, changes.JOBS, number=wo.number)

Nothing is sent when the transaction rolls back. After the commit, `floor.db.feed`
delivers each change to this process's subscribers (the kiosk broadcaster) and, on
PostgreSQL, to every other process through LISTEN/NOTIFY. A topic is a short name
(letters, digits, `-`, `_`) that kiosk pages refresh on with `hx-trigger="sse:<topic>"`;
a `station` in the payload also triggers `sse:station-<name>`. Keep payloads small
(PostgreSQL's NOTIFY carries at most 8,000 bytes per transaction): names, not rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

# Topics the kiosk pages listen to. Add yours here (one line) and to the pages that show it.
SCAN = "scan"  # scans committed at a station: payload station=
JOBS = "jobs"  # a job card created, edited or moved: payload number=
MASTER = "master"  # parts, bins, people, stock levels set by import or admin
COUNTS = "counts"  # stocktake counts and approvals
LABELS = "labels"  # label print jobs queued, printed, failed or cancelled

_KEY = "floor_changes"
_TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Change:
    """One committed change: a topic and a small JSON-able payload."""

    topic: str
    payload: dict[str, Any] = field(default_factory=dict)


def publish(session: Session, topic: str, **payload: Any) -> None:
    """Announce a change made in this session's transaction; delivered only after it commits."""
    if not _TOPIC.match(topic):
        raise ValueError(f"change topic must be letters, digits, '-' or '_', not {topic!r}")
    change = Change(topic, payload)
    pending: list[Change] = session.info.setdefault(_KEY, [])
    if change not in pending:  # one event per distinct change in a transaction
        pending.append(change)


def pending(session: Session) -> list[Change]:
    """The changes published in the session's open transaction (not yet committed)."""
    return list(session.info.get(_KEY, ()))


def take(session: Session) -> list[Change]:
    """Remove and return the session's published changes (the feed calls this at commit/rollback)."""
    return session.info.pop(_KEY, None) or []
