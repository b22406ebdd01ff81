"""Warranty claims (SPEC 9.3): a job's returned cores claimed from the supplier.

draft → submitted → approved or rejected → credited. `due_by` is when the old parts must
reach the supplier: the latest core return + `[warranty] return_days`. A claim whose cores
are not all on a shipped supplier return by then is overdue (`GET /api/alerts`). Each core
takes the claim number as its `claim_ref`, so supplier packing lists carry it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core import changes
from floor.core.authority import RoleTable
from floor.core.inputs import ascii_decimal
from floor.core.pins import refuse_own_work, verify_pin
from floor.core.sales.errors import SaleError, require
from floor.core.sales.orders import money
from floor.core.sales.settings import SalesSettings
from floor.core.workorders.lookup import find_job
from floor.models import (
    ClaimCore,
    Core,
    Part,
    SupplierReturn,
    SupplierReturnLine,
    User,
    WarrantyClaim,
    WorkOrder,
)
from floor.models.sales import CLAIM_STATUSES

OPEN_CLAIMS = ("draft", "submitted", "approved")
# action -> (role-table row, statuses it may start from, status it leads to)
STEPS = {
    "submit": ("claim", ("draft",), "submitted"),
    "approve": ("approve_claim", ("submitted",), "approved"),
    "reject": ("approve_claim", ("submitted",), "rejected"),
    "credit": ("credit_claim", ("approved",), "credited"),
}
MAX_CORES = 100


def _amount(value: Any, required: bool = True) -> Decimal | None:
    if value is None and not required:
        return None
    amount = ascii_decimal(value)  # only ASCII digits are digits
    if amount is None or amount <= 0 or amount > Decimal("99999999"):
        raise SaleError("claim_bad_amount", amount=str(value)[:20])
    return money(amount)


def create_claim(
    session: Session,
    settings: SalesSettings,
    actor: Any,
    workorder: Any,
    serials: Any,
    claim_no: Any,
    amount: Any,
    at: datetime,
    note: str | None = None,
    *,
    roles: RoleTable,
) -> WarrantyClaim:
    """A draft claim for returned cores of one job; each core on one claim only."""
    changes.publish(session, changes.MASTER)  # sent only if the transaction commits
    require(roles, actor, "claim")
    number = str(workorder or "").strip()
    wo = find_job(session, number) if number else None
    if wo is None:
        raise SaleError("unknown_wo", number=number[:40] or "-")
    if not isinstance(serials, list) or not serials or len(serials) > MAX_CORES:
        raise SaleError("claim_no_cores")
    claim_no = str(claim_no or "").strip()
    if not claim_no or len(claim_no) > 64:
        raise SaleError("bad_claim_no", claim_no=claim_no[:40] or "-")
    if session.scalar(select(WarrantyClaim.id).where(WarrantyClaim.claim_no == claim_no)) is not None:
        raise SaleError("claim_no_taken", claim_no=claim_no)
    value = _amount(amount)
    cores: list[Core] = []
    for raw in serials:
        serial = str(raw or "").strip()
        if serial.upper().startswith("C:"):
            serial = serial[2:].strip()
        core = session.scalar(select(Core).where(Core.serial == serial)) if serial else None
        if core is None:
            raise SaleError("unknown_core", serial=serial[:40] or "-")
        if core.work_order_id != wo.id:
            other = session.scalar(select(WorkOrder.number).where(WorkOrder.id == core.work_order_id)) or "-"
            raise SaleError("claim_core_other_job", serial=core.serial, wo=other, claim_wo=wo.number)
        on = session.scalar(
            select(WarrantyClaim.claim_no)
            .join(ClaimCore, ClaimCore.claim_id == WarrantyClaim.id)
            .where(ClaimCore.core_id == core.id)
        )
        if on is not None or core in cores:
            raise SaleError("claim_core_claimed", serial=core.serial, claim_no=on or claim_no)
        if core.status != "returned" or core.returned_at is None:
            raise SaleError("claim_core_not_returned", serial=core.serial, status=core.status)
        cores.append(core)
    assert value is not None
    latest = max(c.returned_at for c in cores if c.returned_at is not None)
    claim = WarrantyClaim(
        claim_no=claim_no,
        work_order_id=wo.id,
        status="draft",
        amount=value,
        due_by=latest + timedelta(days=settings.return_days),
        created_at=at,
        created_by=actor.id,
        note=(note or None),
    )
    session.add(claim)
    session.flush()
    for core in cores:
        session.add(ClaimCore(claim_id=claim.id, core_id=core.id))
        core.claim_ref = claim_no  # supplier packing lists print it
    session.flush()
    return claim


def claim_by_id(session: Session, claim_id: int) -> WarrantyClaim:
    """A claim by id, or `unknown_claim` (404)."""
    claim = session.get(WarrantyClaim, claim_id) if 0 < claim_id < 2**31 else None
    if claim is None:
        raise SaleError("unknown_claim", id=claim_id)
    return claim


PRIVILEGED_STEPS = ("approve", "credit")


def step(
    session: Session,
    claim: WarrantyClaim,
    action: str,
    actor: Any,
    at: datetime,
    amount: Any = None,
    note: Any = None,
    *,
    roles: RoleTable,
    pin: object = None,
) -> WarrantyClaim:
    """Move a claim: submit, approve (optionally the accepted amount), reject, credit (a supervisor).

    Approving and crediting are privileged (SPEC 10.6): the approver's PIN, and never by whoever made the claim
    (`four_eyes`).
    """
    changes.publish(session, changes.MASTER)  # sent only if the transaction commits
    row, sources, target = STEPS[action]
    require(roles, actor, row)
    if claim.status not in sources:
        raise SaleError("claim_bad_status", claim_no=claim.claim_no, status=claim.status, action=action)
    if action in PRIVILEGED_STEPS:
        refuse_own_work(actor, claim.created_by, row)
        person = actor if isinstance(actor, User) else session.get(User, actor.id)
        if person is not None:
            verify_pin(session, person, pin, now=at, action=row)
    value = _amount(amount, required=False)
    if action == "submit":
        claim.submitted_at = at
    elif action in ("approve", "reject"):
        claim.decided_at, claim.decided_by = at, actor.id
        if action == "approve" and value is not None:
            claim.amount = value
    else:
        claim.credited_at, claim.credited_by = at, actor.id
        claim.credited_amount = value if value is not None else claim.amount
    if note:
        claim.note = str(note)[:2000]
    claim.status = target
    return claim


def _cores_of(session: Session, claim_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    shipped = (
        select(SupplierReturnLine.core_id)
        .join(SupplierReturn, SupplierReturn.id == SupplierReturnLine.shipment_id)
        .where(SupplierReturn.status == "shipped", SupplierReturnLine.core_id.is_not(None))
    )
    shipped_ids = set(session.scalars(shipped))
    out: dict[int, list[dict[str, Any]]] = {}
    rows = session.execute(
        select(ClaimCore.claim_id, Core, Part.part_no, Part.supplier)
        .join(Core, Core.id == ClaimCore.core_id)
        .join(Part, Part.id == Core.part_id)
        .where(ClaimCore.claim_id.in_(claim_ids or [-1]))
        .order_by(Core.id)
    )
    for claim_id, core, part_no, supplier in rows:
        out.setdefault(claim_id, []).append(
            {
                "serial": core.serial,
                "part_no": part_no,
                "supplier": supplier,
                "returned_at": core.returned_at.isoformat() if core.returned_at else None,
                "shipped": core.id in shipped_ids,
            }
        )
    return out


def claim_json(claim: WarrantyClaim, cores: list[dict[str, Any]], wo_number: str, now: datetime) -> dict[str, Any]:
    """A claim as the API shows it."""
    return {
        "id": claim.id,
        "claim_no": claim.claim_no,
        "workorder": wo_number,
        "status": claim.status,
        "amount": str(money(claim.amount)),
        "credited_amount": str(money(claim.credited_amount)) if claim.credited_amount is not None else None,
        "due_by": claim.due_by.isoformat(),
        "overdue": is_overdue(claim, cores, now),
        "cores": cores,
        "note": claim.note,
        "created_at": claim.created_at.isoformat(),
    }


def is_overdue(claim: WarrantyClaim, cores: list[dict[str, Any]], now: datetime) -> bool:
    """Open, past its deadline, and some old part not yet shipped to the supplier."""
    return claim.status in OPEN_CLAIMS and claim.due_by < now and not all(c["shipped"] for c in cores)


def list_claims(session: Session, now: datetime, status: str | None = None) -> list[dict[str, Any]]:
    """Claims (optionally of one status), oldest first."""
    if status is not None and status not in CLAIM_STATUSES:
        raise SaleError("bad_claim_filter", claim_no="-", status=status[:20], action="list")
    stmt = (
        select(WarrantyClaim, WorkOrder.number)
        .join(WorkOrder, WorkOrder.id == WarrantyClaim.work_order_id)
        .order_by(WarrantyClaim.id)
    )
    if status:
        stmt = stmt.where(WarrantyClaim.status == status)
    rows = session.execute(stmt).all()
    cores = _cores_of(session, [c.id for c, _ in rows])
    return [claim_json(c, cores.get(c.id, []), number, now) for c, number in rows]


def overdue(session: Session, now: datetime) -> list[dict[str, Any]]:
    """`claims_overdue` of `GET /api/alerts`: open claims whose old parts are late to the supplier."""
    rows = session.execute(
        select(WarrantyClaim, WorkOrder.number)
        .join(WorkOrder, WorkOrder.id == WarrantyClaim.work_order_id)
        .where(WarrantyClaim.status.in_(OPEN_CLAIMS), WarrantyClaim.due_by < now)
        .order_by(WarrantyClaim.due_by)
    ).all()
    cores = _cores_of(session, [c.id for c, _ in rows])
    out = []
    for claim, number in rows:
        data = claim_json(claim, cores.get(claim.id, []), number, now)
        if data["overdue"]:
            data["days_overdue"] = round((now - claim.due_by).total_seconds() / 86400, 1)
            out.append(data)
    return out


def credits_owed(session: Session, now: datetime) -> dict[str, Any]:
    """Approved claims not yet credited, per supplier (the supplier of the claim's first core part)."""
    claims = list_claims(session, now, "approved")
    by_supplier: dict[str, dict[str, Any]] = {}
    for c in claims:
        supplier = next((core["supplier"] for core in c["cores"] if core["supplier"]), None) or "-"
        c["supplier"] = supplier
        row = by_supplier.setdefault(supplier, {"count": 0, "amount": Decimal(0)})
        row["count"] += 1
        row["amount"] += Decimal(c["amount"])
    for row in by_supplier.values():
        row["amount"] = str(money(row["amount"]))
    return {"claims": claims, "by_supplier": by_supplier}
