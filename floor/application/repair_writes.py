"""The repair order's writes (SPEC 10.1-10.2) as use cases that open their own transaction, for the API and the kiosk.

The door hands over what it parsed and its own check of who acts (`gate`: the API's token, badge and role
table; the kiosk's badge look-up), which runs first inside the write's transaction and names the acting
person. The use case then calls the rule of `floor.application.repair` (the core checks the role table and
writes the audit entry) and answers a plain JSON-ready dict. Refusals are the core's coded errors; a
refusal rolls the whole write back. Wrong PINs outlive the refusal (`pin_failures_kept`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from floor import clock
from floor.application import repair
from floor.application.gate import Gate
from floor.application.pins import pin_failures_kept
from floor.core import audit, signatures
from floor.core.repair.errors import RepairError
from floor.db import Database
from floor.models import LabourOperation, Part, RepairLine, User, WorkOrder
from floor.models.repair import LineKind, LineStatus

T = TypeVar("T")

# One rule of floor.application.repair, given the session, the acting person, their audit name and the moment.
Step = Callable[[Session, User, str, datetime], T]


def _via(user: User) -> str:
    return f"U:{user.badge}"


def _written(db: Database, gate: Gate, step: Step[T]) -> T:
    """Run `step` in one write transaction, as the person the door's gate names (first, inside it)."""
    with db.writing() as s:
        user = gate(s)
        return step(s, user, _via(user), clock.now())


def register_vehicle(db: Database, site: repair.RepairSite, row: Mapping[str, Any], gate: Gate) -> dict[str, Any]:
    """Create or update the vehicle of a VIN (`edit_vehicles`): its file, `created` and `warnings`."""
    return _written(db, gate, lambda s, user, via, at: repair.register_vehicle(s, row, user, via, at, site))


def add_concern(db: Database, site: repair.RepairSite, number: str, text: object, gate: Gate) -> dict[str, Any]:
    """Write down a concern in the customer's words (`write_concerns`): the concern (its `id`)."""
    return _written(db, gate, lambda s, user, via, at: repair.add_concern(s, number, text, user, via, at, site))


def update_concern(
    db: Database,
    site: repair.RepairSite,
    number: str,
    concern_id: object,
    fields: Mapping[str, object],
    gate: Gate,
) -> dict[str, Any]:
    """A concern's cause and correction (`diagnose`), or its words (`write_concerns`): the concern."""
    return _written(
        db, gate, lambda s, user, via, at: repair.update_concern(s, number, concern_id, fields, user, via, at, site)
    )


def add_line(db: Database, site: repair.RepairSite, number: str, data: Mapping[str, Any], gate: Gate) -> dict[str, Any]:
    """Add a proposed labour or part line (`write_lines`): its id, status, price, supplement."""
    return _written(db, gate, lambda s, user, via, at: repair.add_line(s, number, data, user, via, at, site))


def change_line(
    db: Database,
    site: repair.RepairSite,
    number: str,
    line_id: object,
    data: Mapping[str, Any],
    gate: Gate,
    *,
    pin: object = None,
) -> dict[str, Any]:
    """Change a line (`write_lines`; after the customer's yes `reprice_authorized` with the supervisor's PIN)."""
    with pin_failures_kept(db):
        return _written(
            db,
            gate,
            lambda s, user, via, at: repair.change_line(s, number, line_id, data, user, via, at, site, pin=pin),
        )


def authorize(
    db: Database,
    site: repair.RepairSite,
    number: str,
    yes: object,
    declined: object,
    how: object,
    gate: Gate,
    *,
    signature: str | bytes | None = None,
) -> dict[str, Any]:
    """The customer's yes and no on proposed lines (`take_authorization`), how, who took it, when.

    `signature` is the pad's PNG: as the door decoded it (bytes), or its data URL / base64 text, decoded
    once the acting person passed the gate.
    """
    with db.writing() as s:
        user = gate(s)
        png = signatures.decode_signature(signature) if isinstance(signature, str) else signature
        return repair.authorize(s, number, yes, declined, how, user, _via(user), clock.now(), site, signature=png)


def _declined_line(s: Session, wo: WorkOrder, key: object, shown: str) -> tuple[RepairLine, WorkOrder]:
    """A declined line of a job of the same vehicle as `wo`, and its job; `unknown_line` otherwise."""
    old = s.get(RepairLine, key) if isinstance(key, int) else None
    old_job = s.get(WorkOrder, old.work_order_id) if old is not None else None
    if (
        old is None
        or old_job is None
        or old.status != LineStatus.DECLINED.value
        or old_job.vehicle_id is None
        or old_job.vehicle_id != wo.vehicle_id
    ):
        raise RepairError("unknown_line", number=wo.number, id=shown[:20] or "-")
    return old, old_job


def offer_again(
    db: Database, site: repair.RepairSite, number: str, line_id: object, gate: Gate, *, shown: str = ""
) -> tuple[str, int]:
    """A declined line of an earlier visit proposed again on the vehicle's open job: (job, new line id).

    `line_id` is the id as the door read it; `shown` its text for the refusal.
    """
    with db.writing() as s:
        user = gate(s)
        wo = repair.job(s, number)
        old, old_job = _declined_line(s, wo, line_id, shown)
        data: dict[str, Any] = {"kind": old.kind, "pay": old.pay, "safety": old.safety}
        if old.kind == LineKind.LABOUR.value:
            op = s.get(LabourOperation, old.operation_id)
            data["op"] = op.code if op is not None else ""
            data["hours"] = str(old.hours) if old.hours is not None else None
        else:
            part = s.get(Part, old.part_id)
            data["part_no"] = part.part_no if part is not None else ""
            data["qty"] = old.qty
        via = _via(user)
        line = repair.add_line(s, wo.number, data, user, via, clock.now(), site)
        audit.record(s, via, "offer_again", f"WO:{wo.number}", id=line["id"], declined=old.id, of=old_job.number)
        return wo.number, int(line["id"])
