"""A job's concerns (SPEC 10.2): the customer's words, then the technician's cause and correction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core import audit, changes
from floor.core.authority import RoleTable
from floor.core.inputs import valid_id
from floor.core.repair.errors import DIAGNOSE, WRITE_CONCERNS, RepairError, require
from floor.core.repair.lines import check_open
from floor.models import Concern, WorkOrder

MAX_TEXT = 2000
STORY = ("cause", "correction")  # what the technician adds


def _text(value: object, name: str, required: bool) -> str | None:
    """A concern's text field: trimmed, at most MAX_TEXT characters, no control characters but line breaks."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RepairError("bad_concern_text", field=name, detail="is required")
        return None
    if not isinstance(value, str):
        raise RepairError("bad_concern_text", field=name, detail="must be text")
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise RepairError("bad_concern_text", field=name, detail=f"at most {MAX_TEXT} characters")
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise RepairError("bad_concern_text", field=name, detail="control characters")
    return text


def add_concern(
    session: Session, wo: WorkOrder, text: object, actor: Any, via: str, at: datetime, *, roles: RoleTable
) -> Concern:
    """Write down what the customer asked for, in their words (`write_concerns`; an open job)."""
    require(roles, actor, WRITE_CONCERNS)
    check_open(wo)
    words = _text(text, "text", required=True)
    assert words is not None
    concern = Concern(work_order_id=wo.id, text=words, created_by=getattr(actor, "id", None), created_at=at)
    session.add(concern)
    session.flush()
    audit.record(session, via, "concern", f"WO:{wo.number}", at=at, id=concern.id)
    changes.publish(session, changes.JOBS, number=wo.number)
    return concern


def concern_of(session: Session, wo: WorkOrder, concern_id: object) -> Concern:
    """A concern of this job by id; `unknown_concern` (404) otherwise (also for another job's concern)."""
    key = valid_id(concern_id)  # from a route or a body: digits or an int within 64 bits
    found = session.get(Concern, key) if key is not None else None
    if found is None or found.work_order_id != wo.id:
        raise RepairError("unknown_concern", number=wo.number, id=str(concern_id)[:20])
    return found


def update_concern(
    session: Session,
    wo: WorkOrder,
    concern: Concern,
    fields: Mapping[str, object],
    actor: Any,
    via: str,
    at: datetime,
    *,
    roles: RoleTable,
) -> Concern:
    """Add or change a concern's cause and correction (`diagnose`), or its words (`write_concerns`)."""
    check_open(wo)
    if any(name in fields for name in STORY):
        require(roles, actor, DIAGNOSE)
    if "text" in fields:
        require(roles, actor, WRITE_CONCERNS)
    if not any(name in fields for name in (*STORY, "text")):
        raise RepairError("bad_concern_text", field="cause", detail="give a cause, a correction or the text")
    values = {name: _text(fields[name], name, required=name == "text") for name in (*STORY, "text") if name in fields}
    for name, value in values.items():
        setattr(concern, name, value)
    concern.updated_by, concern.updated_at = getattr(actor, "id", None), at
    audit.record(session, via, "concern_update", f"WO:{wo.number}", at=at, id=concern.id, fields=sorted(values))
    changes.publish(session, changes.JOBS, number=wo.number)
    return concern


def concerns_of(session: Session, wo_id: int) -> list[Concern]:
    """A job's concerns in the order they were written."""
    return list(session.scalars(select(Concern).where(Concern.work_order_id == wo_id).order_by(Concern.id)))
