"""Used parts (cores): due when a core part is issued, returned by tag or by part, judged, waived.

A core's life: `due` (created with the issue, one per unit, with a printable
serial) → `returned` (the old part is at the counter) → a disposition:
reusable (booked into a core bin as its own stock: a `core_return` move of the
same part at zero cost, ref `C:<serial>`, no work order), scrap (the core row is
the disposal record), warranty (held for the manufacturer with a claim ref),
supplier_core (waiting to go back for the core charge), customer_kept.
A due core can instead be `waived`: by a supervisor, or because the issue was
undone or the new part came back unused.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core.authority import RoleTable, person_shown
from floor.core.ledger import Ledger, Move
from floor.core.scanning.context import Reject
from floor.core.workorders.status import Actor, WorkOrderError
from floor.models import Core, Location, Part, User, WorkOrder
from floor.models.base import table_of
from floor.models.workorders import CoreDisposition

DISPOSITIONS = CoreDisposition.values()  # the API's list of them
# Scan verbs that pick a disposition for the core tags scanned next.
VERB_DISPOSITION = {
    "REUSABLE": CoreDisposition.REUSABLE,
    "SCRAP": CoreDisposition.SCRAP,
    "WARRANTY": CoreDisposition.WARRANTY,
    "SUPPLIER": CoreDisposition.SUPPLIER_CORE,
    "CUSTOMER": CoreDisposition.CUSTOMER_KEPT,
}


def core_serial(event_id: int, index: int) -> str:
    """The serial of the index-th core (from 1) created by an issue scan: `C<event id>-<index>`."""
    return f"C{event_id}-{index}"


def create_cores(
    session: Session, work_order_id: int, part_id: int, qty: int, technician_id: int | None, event_id: int, at: datetime
) -> list[Core]:
    """One due core per issued unit of a core part."""
    cores = [
        Core(
            serial=core_serial(event_id, i),
            work_order_id=work_order_id,
            part_id=part_id,
            technician_id=technician_id,
            issue_event_id=event_id,
            status="due",
            created_at=at,
        )
        for i in range(1, qty + 1)
    ]
    session.add_all(cores)
    return cores


def find_core(session: Session, serial: str) -> Core:
    """A core by serial (a leading `C:` is ignored), or a rejection."""
    value = serial.strip()
    if value.upper().startswith("C:"):
        value = value[2:]
    core = session.scalar(select(Core).where(Core.serial == value)) if value else None
    if core is None:
        raise WorkOrderError("unknown_core", serial=value[:40] or "-")
    return core


def _wo_number(session: Session, wo_id: int | None) -> str:
    return session.scalar(select(WorkOrder.number).where(WorkOrder.id == wo_id)) or str(wo_id)


def _part_no(session: Session, part_id: int) -> str:
    return session.scalar(select(Part.part_no).where(Part.id == part_id)) or str(part_id)


def check_returnable(session: Session, core: Core, wo: WorkOrder | None = None) -> None:
    """Reject unless the core is due (and, when a job is given, belongs to it)."""
    if core.status == "returned":
        raise WorkOrderError(
            "core_already_returned",
            serial=core.serial,
            at=core.returned_at.strftime("%Y-%m-%d %H:%M") if core.returned_at else "-",
        )
    if core.status == "waived":
        raise WorkOrderError("core_waived", serial=core.serial)
    if wo is not None and core.work_order_id != wo.id:
        raise WorkOrderError(
            "core_wrong_job", serial=core.serial, wo=_wo_number(session, core.work_order_id), session_wo=wo.number
        )


def return_core(
    session: Session,
    core: Core,
    actor_id: int | None,
    at: datetime,
    *,
    wo: WorkOrder | None = None,
    event_id: int | None = None,
) -> Core:
    """Record that a core came back (against its own job; `wo`, if given, must be that job)."""
    check_returnable(session, core, wo)
    core.status, core.returned_at, core.returned_by, core.returned_event_id = "returned", at, actor_id, event_id
    _customer_keeps(session, core, actor_id, at, event_id)
    return core


def _customer_keeps(session: Session, core: Core, actor_id: int | None, at: datetime, event_id: int | None) -> None:
    # The customer asked for the old parts back at reception (old_parts = return): judged customer_kept on return.
    owner = wo_of(session, core.work_order_id)
    if owner is not None and owner.old_parts == "return" and core.disposition is None:
        core.disposition, core.disposed_at, core.disposed_by = "customer_kept", at, actor_id
        core.disposed_event_id = event_id


def wo_of(session: Session, wo_id: int | None) -> WorkOrder | None:
    """A job by id (from the session's identity map when loaded); None for a core sold over the counter."""
    return session.get(WorkOrder, wo_id) if wo_id is not None else None


def return_oldest(
    session: Session,
    wo: WorkOrder,
    part_id: int,
    qty: int,
    actor_id: int | None,
    at: datetime,
    event_id: int | None = None,
) -> list[Core]:
    """Return the `qty` oldest due cores of a part on a job (CORE mode + part scan)."""
    due = list(
        session.scalars(
            select(Core)
            .where(Core.work_order_id == wo.id, Core.part_id == part_id, Core.status == "due")
            .order_by(Core.id)
            .limit(qty)
        )
    )
    if not due:
        raise WorkOrderError("no_core_due", wo=wo.number, part_no=_part_no(session, part_id))
    if len(due) < qty:
        raise WorkOrderError(
            "core_qty_exceeds", wo=wo.number, part_no=_part_no(session, part_id), due=len(due), qty=qty
        )
    return [return_core(session, c, actor_id, at, event_id=event_id) for c in due]


def core_location(session: Session) -> Location:
    """The bin reusable cores go to: the first active bin of kind `core` (by code)."""
    loc = session.scalar(
        select(Location).where(Location.kind == "core", Location.active.is_(True)).order_by(Location.code).limit(1)
    )
    if loc is None:
        raise WorkOrderError("no_core_location")
    return loc


def dispose_core(
    session: Session,
    core: Core,
    disposition: str,
    actor_id: int | None,
    at: datetime,
    *,
    claim_ref: str | None = None,
    ledger: Ledger | None = None,
    event_id: int | None = None,
) -> Move | None:
    """Judge a returned core; a reusable one is booked into the core bin (returned as the move).

    Without `ledger` the caller's session gets a ledger of its own, flushed here.
    """
    if disposition not in DISPOSITIONS:
        raise WorkOrderError("bad_disposition", disposition=str(disposition)[:40], valid=", ".join(DISPOSITIONS))
    if core.status == "due":
        raise WorkOrderError("core_not_returned", serial=core.serial)
    if core.status == "waived":
        raise WorkOrderError("core_waived", serial=core.serial)
    if core.disposition is not None:
        raise WorkOrderError("core_already_disposed", serial=core.serial, disposition=core.disposition)
    move = None
    if disposition == "reusable":
        loc = core_location(session)
        own = ledger is None
        book = ledger or Ledger(session)
        # A used part has no known book value: it enters the core bin at zero cost.
        move = book.move(
            core.part_id,
            loc.id,
            1,
            "core_return",
            at,
            Decimal(0),
            event_id=event_id,
            actor_id=actor_id,
            ref=f"C:{core.serial}",
        )
        if own:
            book.flush()
    core.disposition, core.disposed_at, core.disposed_by = disposition, at, actor_id
    core.disposed_event_id = event_id
    if claim_ref:
        core.claim_ref = claim_ref[:64]
    return move


def check_waiver(actor: Actor | None, roles: RoleTable) -> None:
    """Only whom the site's role table allows `waive_core` (by default a supervisor) may waive a core."""
    if actor is None:
        raise Reject("no_actor")
    if not roles.may(actor.role, "waive_core"):
        raise WorkOrderError("role_denied", name=getattr(actor, "name", "-"), role=actor.role, action="waive_core")


def waive(
    session: Session,
    cores: list[Core],
    actor: Actor | None,
    at: datetime,
    note: str | None = None,
    *,
    roles: RoleTable | None,
    event_id: int | None = None,
) -> list[Core]:
    """Waive due cores: a person's decision checked against `roles` (the site's table), or the system's.

    `roles=None` is the system's waiver after an unused part came back: nobody decides, nothing to check.
    """
    if roles is not None:
        check_waiver(actor, roles)
    for core in cores:
        check_returnable(session, core)
    for core in cores:
        core.status, core.waived_at, core.waived_event_id = "waived", at, event_id
        core.waived_by = actor.id if actor else None
        core.note = note
    return cores


def waive_job(
    session: Session,
    wo: WorkOrder,
    actor: Actor | None,
    at: datetime,
    note: str | None = None,
    event_id: int | None = None,
    *,
    roles: RoleTable,
) -> list[Core]:
    """A supervisor (whom the site's `roles` allow `waive_core`) waives every core a job still owes."""
    check_waiver(actor, roles)
    due = list(session.scalars(select(Core).where(Core.work_order_id == wo.id, Core.status == "due").order_by(Core.id)))
    if not due:
        raise WorkOrderError("no_cores_due", wo=wo.number)
    return waive(session, due, actor, at, note or "waived by supervisor", event_id=event_id, roles=roles)


def release_for_unused_return(
    session: Session, work_order_id: int, part_id: int, qty: int, at: datetime, event_id: int | None
) -> list[Core]:
    """A core part came back unused: its due cores (newest first, up to qty) are no longer owed."""
    due = list(
        session.scalars(
            select(Core)
            .where(Core.work_order_id == work_order_id, Core.part_id == part_id, Core.status == "due")
            .order_by(Core.id.desc())
            .limit(qty)
        )
    )
    return waive(session, due, None, at, "part returned unused", roles=None, event_id=event_id)


def check_undo(session: Session, event_id: int) -> None:
    """Reject UNDO of a scan when the cores it touched have moved on since."""
    for core in session.scalars(select(Core).where(Core.issue_event_id == event_id)):
        if core.status != "due":
            raise Reject("undo_blocked", reason=f"core {core.serial} is already {core.status}")
    for core in session.scalars(select(Core).where(Core.returned_event_id == event_id)):
        if core.disposition is not None:
            raise Reject("undo_blocked", reason=f"core {core.serial} is already judged {core.disposition}")


def undo_event(session: Session, event_id: int, actor_id: int | None, at: datetime) -> list[Core]:
    """Reverse what a scan did to cores (after `check_undo`); returns the cores touched."""
    touched: list[Core] = []
    for core in session.scalars(select(Core).where(Core.issue_event_id == event_id)):
        core.status, core.waived_at, core.waived_by, core.note = "waived", at, actor_id, "issue undone"
        touched.append(core)
    for core in session.scalars(select(Core).where(Core.returned_event_id == event_id)):
        core.status, core.returned_at, core.returned_by, core.returned_event_id = "due", None, None, None
        touched.append(core)
    for core in session.scalars(select(Core).where(Core.disposed_event_id == event_id)):
        core.disposition, core.disposed_at, core.disposed_by, core.disposed_event_id = None, None, None, None
        touched.append(core)
    for core in session.scalars(select(Core).where(Core.waived_event_id == event_id)):
        core.status, core.waived_at, core.waived_by, core.waived_event_id, core.note = "due", None, None, None, None
        touched.append(core)
    return touched


def cores_report(session: Session, now: datetime, status: str | None = "due") -> dict[str, Any]:
    """Cores (by default the outstanding ones) with job, part, technician and age; totals per job and technician."""
    tech = table_of(User).alias("tech")
    stmt = (
        select(Core, WorkOrder.number, WorkOrder.vehicle, Part.part_no, Part.name, tech.c.name, tech.c.role)
        .join(WorkOrder, WorkOrder.id == Core.work_order_id)
        .join(Part, Part.id == Core.part_id)
        .outerjoin(tech, tech.c.id == Core.technician_id)
        .order_by(Core.created_at, Core.id)
    )
    if status is not None:
        stmt = stmt.where(Core.status == status)
    cores: list[dict[str, Any]] = []
    by_job: dict[str, dict[str, Any]] = {}
    by_tech: dict[str, dict[str, Any]] = {}
    for core, number, vehicle, part_no, part_name, tech_name, tech_role in session.execute(stmt):
        age = round((now - core.created_at).total_seconds() / 86400, 2)
        cores.append(
            {
                "serial": core.serial,
                "part_no": part_no,
                "part_name": part_name,
                "work_order": number,
                "vehicle": vehicle,
                "technician": person_shown(tech_name, tech_role),
                "technician_name": tech_name,
                "status": core.status,
                "disposition": core.disposition,
                "claim_ref": core.claim_ref,
                "age_days": age,
                "created_at": core.created_at.isoformat(),
                "returned_at": core.returned_at.isoformat() if core.returned_at else None,
                "note": core.note,
            }
        )
        for key, table in ((number, by_job), (tech_name or "-", by_tech)):  # people by name, never by badge
            row = table.setdefault(key, {"count": 0, "oldest_age_days": 0.0})
            row["count"] += 1
            row["oldest_age_days"] = max(row["oldest_age_days"], age)
    return {"cores": cores, "by_job": by_job, "by_technician": by_tech}
