"""The audit trail of writes: `record(session, actor, action, obj, **details)` inside the write's transaction.

Call it in the same transaction as the change it describes, so an entry exists
exactly when the change does. Actors are badges (`U:` people) or API token names
(`token:<fingerprint>`, never the token itself).
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor import clock
from floor.core import rawsql
from floor.models.audit import AuditEntry
from floor.models.base import table_of

log = logging.getLogger(__name__)
MAX_OBJECT = 200
MAX_DETAILS = 8000
_INSERT = rawsql.insert_into(table_of(AuditEntry), ["at", "actor", "action", "object", "details"])


def token_actor(token: str | None) -> str:
    """The name an API token is audited under: a short fingerprint, so the log never holds a secret."""
    if not token:
        return "anonymous"
    return "token:" + hashlib.sha256(token.encode("utf-8")).hexdigest()[:10]


def record(session: Session, actor: str, action: str, obj: str, *, at: datetime | None = None, **details: Any) -> None:
    """Write one audit entry in the session's transaction (a raw statement: it rides on the scan path)."""
    text = json.dumps(details, default=str, sort_keys=True, ensure_ascii=False)
    if len(text) > MAX_DETAILS:  # a huge import must not make a huge audit row
        text = json.dumps({"truncated": True, "keys": sorted(details)[:50]})
    values = (at or clock.now(), (actor or "anonymous")[:64], action[:48], (obj or "")[:MAX_OBJECT], text)
    rawsql.run(session, _INSERT, values)


def entries(
    session: Session, *, actor: str | None = None, action: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """The newest audit entries (optionally of one actor or action) as plain dicts."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if actor is not None:
        stmt = stmt.where(AuditEntry.actor == actor)
    if action is not None:
        stmt = stmt.where(AuditEntry.action == action)
    return [
        {
            "at": e.at.isoformat(),
            "actor": e.actor,
            "action": e.action,
            "object": e.object,
            "details": json.loads(e.details or "{}"),
        }
        for e in session.scalars(stmt)
    ]
