"""The estimate (SPEC 10.2): the lines with their prices, totals per pay type before tax, the tax, what is due.

Totals add the lines the customer has not declined (proposed, authorized, done), each already
rounded (floor.core.repair.money); the tax (`[billing] tax_pct`) is on the customer's total only:
warranty lines go to the maker, internal lines to the workshop. `due` is what the customer pays.
Declined lines are listed with their price (the customer sees what they said no to) but add to nothing.
One query reads the job's lines with their operation, part and concern.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core.repair.money import ZERO, tax_of, unit_text
from floor.core.repair.settings import BillingSettings
from floor.models import LabourOperation, Part, RepairLine
from floor.models.repair import LineKind, LineStatus, PayType


@dataclass
class Estimate:
    """A job's estimate in Decimals (`json()` for the API and the printed page)."""

    lines: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=lambda: {p.value: ZERO for p in PayType})
    declined: Decimal = ZERO
    tax_pct: Decimal = ZERO
    tax: Decimal = ZERO

    @property
    def due(self) -> Decimal:
        """What the customer pays: their lines and the tax on them."""
        return self.totals[PayType.CUSTOMER.value] + self.tax

    def json(self) -> dict[str, Any]:
        """As `GET /api/workorders/<n>/estimate` answers: amounts as decimal strings."""
        return {
            "lines": self.lines,
            "totals": {k: str(v) for k, v in self.totals.items()},
            "declined_total": str(self.declined),
            "tax_pct": str(self.tax_pct),
            "tax": str(self.tax),
            "due": str(self.due),
        }


def line_rows(session: Session, wo_id: int) -> list[dict[str, Any]]:
    """A job's lines as the API shows them (id, kind, op or part_no, names, qty, hours, prices, pay, status, ...)."""
    rows = session.execute(
        select(RepairLine, LabourOperation.code, LabourOperation.name, LabourOperation.name_zh, Part.part_no, Part.name)
        .outerjoin(LabourOperation, LabourOperation.id == RepairLine.operation_id)
        .outerjoin(Part, Part.id == RepairLine.part_id)
        .where(RepairLine.work_order_id == wo_id)
        .order_by(RepairLine.id)
    ).all()
    out = []
    for line, op, op_name, op_zh, part_no, part_name in rows:
        labour = line.kind == LineKind.LABOUR.value
        status = LineStatus(line.status)
        out.append(
            {
                "id": line.id,
                "kind": line.kind,
                **({"op": op} if labour else {"part_no": part_no}),
                "name": op_name if labour else part_name,
                "name_zh": (op_zh or op_name) if labour else part_name,
                "qty": line.qty,
                "hours": str(line.hours) if line.hours is not None else None,
                "unit_price": unit_text(Decimal(line.unit_price)),
                "price": str(line.price),
                "pay": line.pay,
                "status": status.value,
                "status_zh": status.zh,
                "safety": line.safety,
                "supplement": line.supplement,
                "concern": line.concern_id,
            }
        )
    return out


def estimate(session: Session, wo_id: int, billing: BillingSettings) -> Estimate:
    """The job's estimate at the site's tax rate."""
    out = Estimate(tax_pct=billing.tax_pct)
    out.lines = line_rows(session, wo_id)
    for line in out.lines:
        price = Decimal(line["price"])
        if line["status"] == LineStatus.DECLINED.value:
            out.declined += price
        else:
            out.totals[line["pay"]] += price
    out.tax = tax_of(out.totals[PayType.CUSTOMER.value], billing.tax_pct)
    return out
