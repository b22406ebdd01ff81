"""Core charges of sales: a core part sold charges its `core_charge` per unit (one `C:` tag each);
the old unit brought back refunds it and becomes a returned core, judged like any other
(floor.core.workorders.cores dispositions)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core import changes
from floor.core.authority import RoleTable
from floor.core.sales.errors import SaleError, require
from floor.core.sales.orders import money
from floor.models import Core, Customer, Part, Sale, SaleCoreCharge


def charge_by_serial(session: Session, serial: str) -> SaleCoreCharge | None:
    """The charge whose tag this is (a leading `C:` is ignored), or None for a workshop core or unknown tag."""
    value = serial.strip()
    if value.upper().startswith("C:"):
        value = value[2:].strip()
    return session.scalar(select(SaleCoreCharge).where(SaleCoreCharge.serial == value)) if value else None


def oldest_charge(session: Session, sale: Sale, part: Part) -> SaleCoreCharge:
    """The oldest unrefunded charge of a part on a sale, or `core_not_charged`."""
    charge = session.scalar(
        select(SaleCoreCharge)
        .where(SaleCoreCharge.sale_id == sale.id, SaleCoreCharge.part_id == part.id, SaleCoreCharge.status == "charged")
        .order_by(SaleCoreCharge.id)
        .limit(1)
    )
    if charge is None:
        raise SaleError("core_not_charged", what=f"{part.part_no} on sale {sale.number}")
    return charge


def refund(
    session: Session, charge: SaleCoreCharge, actor: Any, at: datetime, event_id: int | None = None, *, roles: RoleTable
) -> Core:
    """The old unit is back: refund its charge and record it as a returned core (to be judged)."""
    changes.publish(session, changes.MASTER)  # sent only if the transaction commits
    require(roles, actor, "refund_core")
    if charge.status == "refunded":
        raise SaleError(
            "core_already_refunded",
            serial=charge.serial,
            at=charge.refunded_at.strftime("%Y-%m-%d %H:%M") if charge.refunded_at else "-",
        )
    if charge.status != "charged":
        raise SaleError("core_not_charged", what=f"{charge.serial} ({charge.status})")
    core = Core(
        serial=charge.serial,
        work_order_id=None,
        part_id=charge.part_id,
        technician_id=None,
        issue_event_id=None,
        status="returned",
        created_at=charge.charged_at,
        returned_at=at,
        returned_by=actor.id,
        returned_event_id=event_id,
    )
    session.add(core)
    session.flush()
    charge.status, charge.refunded_at, charge.refunded_by = "refunded", at, actor.id
    charge.refund_event_id, charge.core_id = event_id, core.id
    return core


def undo_refunds(session: Session, event_id: int) -> list[SaleCoreCharge]:
    """UNDO of a refund scan: the charge stands again and its core row goes (it was never judged)."""
    undone = list(session.scalars(select(SaleCoreCharge).where(SaleCoreCharge.refund_event_id == event_id)))
    for charge in undone:
        core = session.get(Core, charge.core_id) if charge.core_id else None
        charge.status, charge.refunded_at, charge.refunded_by = "charged", None, None
        charge.refund_event_id, charge.core_id = None, None
        if core is not None:
            session.flush()
            session.delete(core)
    return undone


def outstanding(session: Session, now: datetime) -> dict[str, Any]:
    """Core charges not yet refunded: each tag with customer, sale and age; totals per customer."""
    rows = session.execute(
        select(SaleCoreCharge, Sale.number, Customer.code, Customer.name, Part.part_no)
        .join(Sale, Sale.id == SaleCoreCharge.sale_id)
        .join(Customer, Customer.id == Sale.customer_id)
        .join(Part, Part.id == SaleCoreCharge.part_id)
        .where(SaleCoreCharge.status == "charged")
        .order_by(SaleCoreCharge.charged_at, SaleCoreCharge.id)
    )
    charges: list[dict[str, Any]] = []
    by_customer: dict[str, dict[str, Any]] = {}
    for charge, number, code, name, part_no in rows:
        age = round((now - charge.charged_at).total_seconds() / 86400, 2)
        charges.append(
            {
                "serial": charge.serial,
                "sale": number,
                "customer": code,
                "customer_name": name,
                "part_no": part_no,
                "amount": str(money(charge.amount)),
                "charged_at": charge.charged_at.isoformat(),
                "age_days": age,
            }
        )
        row = by_customer.setdefault(code, {"name": name, "count": 0, "amount": Decimal(0), "oldest_age_days": 0.0})
        row["count"] += 1
        row["amount"] += Decimal(charge.amount)
        row["oldest_age_days"] = max(row["oldest_age_days"], age)
    for row in by_customer.values():
        row["amount"] = str(money(row["amount"]))
    return {"charges": charges, "by_customer": by_customer}
