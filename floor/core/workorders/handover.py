"""Hand-over (SPEC 9.4): what the customer gets back, their signature, and DELIVER.

The signature is a PNG drawn on the kiosk's pad, checked by floor.core.signatures before it is
stored with the job (refused here as a WorkOrderError, like every hand-over rule).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor import clock
from floor.core import changes, signatures
from floor.core.authority import RoleTable
from floor.core.workorders.status import (
    HANDOVER,
    Actor,
    Status,
    WorkOrderError,
    change_status,
    require_action,
    stage_times,
)
from floor.models import Core, JobSignature, Part, StockMove, WorkOrder, WorkOrderStatusChange

MAX_SIGNATURE_BYTES = signatures.MAX_SIGNATURE_BYTES


def check_png(data: bytes) -> tuple[int, int]:
    """(width, height) of a well-formed signature PNG (floor.core.signatures); raises WorkOrderError(bad_signature)."""
    try:
        return signatures.check_png(data)
    except signatures.SignatureError as exc:
        raise WorkOrderError(exc.code, **exc.params) from None


def decode_signature(value: str) -> bytes:
    """A `data:image/png;base64,…` URL (as the pad sends it) or plain base64 to bytes; raises WorkOrderError."""
    try:
        return signatures.decode_signature(value)
    except signatures.SignatureError as exc:
        raise WorkOrderError(exc.code, **exc.params) from None


def require_handover(actor: Actor | None, roles: RoleTable) -> None:
    """THE hand-over check (signature and DELIVER; API, kiosk and scan): the site's table must give `actor` `handover`.

    Raises WorkOrderError(role_denied); a hand-over without a badge is refused too.
    """
    require_action(actor, HANDOVER, roles)


def save_signature(
    session: Session, wo: WorkOrder, png: bytes, actor: Actor | None, at: datetime, *, roles: RoleTable
) -> JobSignature:
    """Keep the customer's signature with an open job, taken by someone allowed `handover` in `roles` (the site's
    table); a new one replaces the old. Raises WorkOrderError before anything is stored."""
    require_handover(actor, roles)
    if not wo.is_open:
        raise WorkOrderError("wo_status_closed", number=wo.number, from_status=wo.status, status=wo.status)
    width, height = check_png(png)
    sig = session.scalar(select(JobSignature).where(JobSignature.work_order_id == wo.id))
    if sig is None:
        sig = JobSignature(work_order_id=wo.id)
        session.add(sig)
    sig.png, sig.width, sig.height, sig.at = png, width, height, at
    sig.actor_id = actor.id if actor else None
    changes.publish(session, changes.JOBS, number=wo.number)
    return sig


def signature_png(session: Session, wo_id: int) -> bytes | None:
    """The stored signature image of a job, if any."""
    return session.scalar(select(JobSignature.png).where(JobSignature.work_order_id == wo_id))


def deliver(
    session: Session,
    wo: WorkOrder,
    actor: Actor | None,
    at: datetime,
    *,
    signature: bytes | None = None,
    require_signature: bool = False,
    event_id: int | None = None,
    roles: RoleTable,
) -> WorkOrderStatusChange:
    """Hand the car over: keep the signature if given, then DELIVER under every status rule (`roles`: the site's).

    The status machine checks DELIVER as `handover` whoever calls it; checking first here refuses a
    signature brought with a refused DELIVER before it is stored.
    """
    require_handover(actor, roles)
    if signature is not None:
        save_signature(session, wo, signature, actor, at, roles=roles)
        session.flush()
    note = "signed by the customer" if signature is not None or _signed(session, wo.id) else None
    return change_status(
        session,
        wo,
        Status.DELIVERED,
        actor,
        at,
        note,
        require_signature=require_signature,
        event_id=event_id,
        roles=roles,
    )


def has_signature(session: Session, wo_id: int) -> bool:
    """Whether the customer's signature is kept with the job."""
    return _signed(session, wo_id)


def _signed(session: Session, wo_id: int) -> bool:
    return session.scalar(select(JobSignature.id).where(JobSignature.work_order_id == wo_id)) is not None


def handover_summary(session: Session, wo: WorkOrder, now: datetime | None = None) -> dict[str, Any]:
    """What the hand-over page shows: parts fitted, cores, old parts to give back, time in each stage."""
    now = now or clock.now()
    fitted: dict[str, dict[str, Any]] = {}
    for part_no, name, qty in session.execute(
        select(Part.part_no, Part.name, StockMove.qty)
        .join(Part, Part.id == StockMove.part_id)
        .where(StockMove.work_order_id == wo.id)
    ):
        line = fitted.setdefault(part_no, {"part_no": part_no, "name": name, "qty": 0})
        line["qty"] -= qty  # an issue is a negative move out of stock
    cores = [
        {"serial": c.serial, "part_no": pn, "name": name, "status": c.status, "disposition": c.disposition}
        for c, pn, name in session.execute(
            select(Core, Part.part_no, Part.name)
            .join(Part, Part.id == Core.part_id)
            .where(Core.work_order_id == wo.id)
            .order_by(Core.id)
        )
    ]
    changes = list(session.scalars(select(WorkOrderStatusChange).where(WorkOrderStatusChange.work_order_id == wo.id)))
    give_back = [
        c for c in cores if c["disposition"] == "customer_kept" or (wo.old_parts == "return" and c["status"] == "due")
    ]
    return {
        "number": wo.number,
        "status": wo.status,
        "parts": sorted((p for p in fitted.values() if p["qty"] > 0), key=lambda p: p["part_no"]),
        "cores": cores,
        "old_parts": wo.old_parts,
        "give_back": give_back,
        "stage_seconds": {k: int(v) for k, v in stage_times(wo, changes, now).items()},
        "signed": _signed(session, wo.id),
    }
