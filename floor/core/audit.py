"""The audit trail of writes: `record(session, actor, action, obj, **details)` inside the write's transaction.

Call it in the same transaction as the change it describes, so an entry exists
exactly when the change does. Actors are badges (`U:` people) or API token names
(`token:<fingerprint>`, never the token itself).
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.models import utcnow
from floor.models.audit import AuditEntry

log = logging.getLogger(__name__)
MAX_OBJECT = 200
MAX_DETAILS = 8000


def token_actor(token: str | None) -> str:
    """The name an API token is audited under: a short fingerprint, so the log never holds a secret."""
    if not token:
        return "anonymous"
    return "token:" + hashlib.sha256(token.encode("utf-8")).hexdigest()[:10]


def record(session: Session, actor: str, action: str, obj: str, *, at: datetime | None = None,
           **details: Any) -> AuditEntry:
    """Add one audit entry to the session's transaction and return it."""
    text = json.dumps(details, default=str, sort_keys=True, ensure_ascii=False)
    if len(text) > MAX_DETAILS:  # a huge import must not make a huge audit row
        text = json.dumps({"truncated": True, "keys": sorted(details)[:50]})
    entry = AuditEntry(at=at or utcnow(), actor=(actor or "anonymous")[:64], action=action[:48],
                       object=(obj or "")[:MAX_OBJECT], details=text)
    session.add(entry)
    return entry


def entries(session: Session, *, actor: str | None = None, action: str | None = None,
            limit: int = 100) -> list[dict[str, Any]]:
    """The newest audit entries (optionally of one actor or action) as plain dicts."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if actor is not None:
        stmt = stmt.where(AuditEntry.actor == actor)
    if action is not None:
        stmt = stmt.where(AuditEntry.action == action)
    return [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "object": e.object,
             "details": json.loads(e.details or "{}")} for e in session.scalars(stmt)]


class DeferredAudit:
    """Audit entries grouped into at most one commit per `interval_s`, written by the requests themselves.

    For the per-batch summary of `POST /api/scans`: a separate commit per request would
    double the fsyncs of the scan path on SQLite, and every scan is in the durable event
    log anyway. An entry is written at once when the last write was `interval_s` ago, else
    with the next entry after that; so under load the trail costs one commit per second,
    and at most the tail of a burst waits for the next request (or `flush()`, or is lost
    with a killed process: the scans themselves never are). No thread of its own.
    """

    def __init__(self, db: Any, interval_s: float = 1.0) -> None:
        self.db, self.interval_s = db, interval_s
        self._pending: list[tuple[datetime, str, str, str, dict[str, Any]]] = []
        self._lock = threading.Lock()
        self._last_flush = 0.0

    def add(self, actor: str, action: str, obj: str, **details: Any) -> None:
        """Queue one entry (timestamped now); write the queue if the last write is `interval_s` old."""
        with self._lock:
            self._pending.append((utcnow(), actor, action, obj, details))
            due = time.monotonic() - self._last_flush >= self.interval_s
        if due:
            try:
                self.flush()
            except Exception:  # the scans are committed and answered regardless; retried with the next entry
                log.exception("audit entries not written yet")

    def flush(self) -> int:
        """Write every queued entry now, in one transaction; return how many."""
        with self._lock:
            batch, self._pending = self._pending, []
            self._last_flush = time.monotonic()
        if not batch:
            return 0
        try:
            with self.db.writing() as session:
                for at, actor, action, obj, details in batch:
                    record(session, actor, action, obj, at=at, **details)
        except Exception:
            with self._lock:  # keep them for the next try
                self._pending[:0] = batch
            raise
        return len(batch)

    @property
    def pending(self) -> int:
        """Entries not written yet."""
        with self._lock:
            return len(self._pending)
