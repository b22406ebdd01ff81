"""Invoicing a job (SPEC 10.4): its lines priced once, the warranty lines claimed, a gapless number.

- Labour: every labour line done, at its sold hours x the rate on the line.
- Parts: what was issued to the job less what came back (the stock moves), at the line's unit price:
  a part's net units fill its authorized part lines in order (the last one takes any excess); units
  of a part no line names are the customer's, at the part's sell price. Each part line carries what
  its units cost (the moves' unit costs), for the parts margin.
- Each part line names the labour line its units were issued against (floor.core.clocking.attribution),
  so the warranty claim carries every warranty operation with its parts.
- Proposed and declined lines are not invoiced (the printed invoice lists the declined ones).

A job is invoiced when READY (or once delivered: released unpaid, or its invoice credited), once: the invoice's
`live_job_id` is unique (a credit note frees it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from floor.core import changes
from floor.core.authority import RoleTable
from floor.core.billing import numbers
from floor.core.billing.errors import INVOICE, BillingError, require
from floor.core.billing.money import Bill, Priced, bill_of
from floor.core.clocking.attribution import parts_of_lines
from floor.core.repair.lines import lock_job
from floor.core.repair.money import CENT, ZERO, line_price, round_money
from floor.core.repair.settings import BillingSettings
from floor.models import (
    ClaimLine,
    Customer,
    Invoice,
    InvoiceDiscount,
    InvoiceLine,
    LabourOperation,
    Part,
    Payment,
    RepairLine,
    StockMove,
    WarrantyClaim,
    WorkOrder,
)
from floor.models.billing import InvoiceStatus
from floor.models.repair import AUTHORIZED_STATUSES, LineKind, LineStatus, PayType
from floor.models.workorders import Status

# READY, or delivered already: released unpaid by a supervisor, or its invoice credited and made again.
INVOICEABLE = (Status.READY, Status.DELIVERED)


@dataclass
class _Draft:
    """An invoice line before it is written."""

    repair_line: RepairLine | None
    kind: str
    pay: str
    code: str
    name: str
    name_zh: str
    qty: int
    hours: Decimal | None
    unit_price: Decimal
    price: Decimal
    cost: Decimal = ZERO
    operation_id: int | None = None
    part_id: int | None = None


def next_service_of(value: object) -> tuple[date | None, int | None] | None:
    """The next service an invoice names (`{"due_at"?: "YYYY-MM-DD", "due_km"?: int}`), None when absent.

    Anything else is BillingError `bad_next_service` (400).
    """
    if value is None:
        return None
    bad = BillingError("bad_next_service", value=str(value)[:60])
    if not isinstance(value, dict) or not value or set(value) - {"due_at", "due_km"}:
        raise bad
    at, km = value.get("due_at"), value.get("due_km")
    try:
        day = date.fromisoformat(at) if isinstance(at, str) and at.isascii() and len(at) == 10 else None
    except ValueError:
        raise bad from None
    if (at is not None and day is None) or (
        km is not None and (isinstance(km, bool) or not isinstance(km, int) or not 0 < km < 10_000_000)
    ):
        raise bad
    return day, km


def live_invoice(session: Session, wo_id: int) -> Invoice | None:
    """The job's standing invoice (not credited), if any."""
    return session.scalar(select(Invoice).where(Invoice.live_job_id == wo_id))


def _issued(session: Session, wo_id: int) -> dict[int, tuple[int, Decimal]]:
    """Net units per part issued to the job (issued less returned) and what they cost: {part: (units, cost)}."""
    out: dict[int, tuple[int, Decimal]] = {}
    for part_id, qty, cost in session.execute(
        select(StockMove.part_id, func.sum(StockMove.qty), func.sum(StockMove.qty * StockMove.unit_cost))
        .where(StockMove.work_order_id == wo_id)
        .group_by(StockMove.part_id)
    ):
        units = -int(qty or 0)  # an issue is a move out of stock (negative)
        if units > 0:
            out[int(part_id)] = (units, -Decimal(str(cost or 0)))
    return out


def _drafts(session: Session, wo: WorkOrder) -> list[_Draft]:
    rows = session.execute(
        select(RepairLine, LabourOperation, Part)
        .outerjoin(LabourOperation, LabourOperation.id == RepairLine.operation_id)
        .outerjoin(Part, Part.id == RepairLine.part_id)
        .where(RepairLine.work_order_id == wo.id)
        .order_by(RepairLine.id)
    ).all()
    issued = _issued(session, wo.id)
    drafts: list[_Draft] = []
    part_lines: dict[int, list[_Draft]] = {}
    for line, op, part in rows:
        if line.kind == LineKind.LABOUR.value:
            if line.status != LineStatus.DONE.value or op is None:
                continue
            hours = Decimal(line.hours or 0)
            unit = Decimal(line.unit_price)
            drafts.append(
                _Draft(
                    line,
                    line.kind,
                    line.pay,
                    op.code,
                    op.name,
                    op.name_zh or op.name,
                    1,
                    hours,
                    unit,
                    line_price(hours, unit),
                    operation_id=op.id,
                )
            )
        elif line.status in AUTHORIZED_STATUSES and part is not None:
            draft = _Draft(
                line,
                line.kind,
                line.pay,
                part.part_no,
                part.name,
                part.name,
                0,
                None,
                Decimal(line.unit_price),
                ZERO,
                part_id=part.id,
            )
            drafts.append(draft)
            part_lines.setdefault(part.id, []).append(draft)
    wanted = [pid for pid in issued if pid not in part_lines]
    parts = {p.id: p for p in session.scalars(select(Part).where(Part.id.in_(wanted)))} if wanted else {}
    for part_id, (units, cost) in issued.items():
        lines = part_lines.get(part_id)
        if lines is None:  # issued without a line: the customer's, at the sell price
            part = parts[part_id]
            if part.sell_price is None:
                raise BillingError("no_sell_price", part_no=part.part_no)
            lines = [
                _Draft(
                    None,
                    LineKind.PART.value,
                    PayType.CUSTOMER.value,
                    part.part_no,
                    part.name,
                    part.name,
                    0,
                    None,
                    Decimal(part.sell_price),
                    ZERO,
                    part_id=part_id,
                )
            ]
            drafts.append(lines[0])
        left = units
        for i, draft in enumerate(lines):
            wanted_qty = draft.repair_line.qty if draft.repair_line is not None else left
            take = left if i == len(lines) - 1 else min(left, wanted_qty)
            draft.qty, left = take, left - take
            draft.price = line_price(take, draft.unit_price)
            draft.cost = round_money(cost * take / units)
    return [d for d in drafts if d.kind == LineKind.LABOUR.value or d.qty > 0]


def invoice_job(
    session: Session,
    wo: WorkOrder,
    actor: Any,
    via: str,
    at: datetime,
    *,
    roles: RoleTable,
    billing: BillingSettings,
    claim_days: int = 30,
    numbered: bool = True,
) -> Invoice:
    """Invoice a READY job once: its lines, the warranty claim, the next number. Raises BillingError.

    The vehicle's next service (SPEC 10.5) is set by the use case (floor.application.billing.invoice_job) in the
    same transaction: the aftersales rule sits above the status machine, which this module's gate is part of.

    `numbered=False` leaves the invoice with a provisional number (`~<job id>`): the caller calls
    `assign_number` as the transaction's last statement, so the series' row lock is held the least.
    """
    require(roles, actor, INVOICE)
    lock_job(session, wo)  # two cashiers at once: one invoices, the other finds it invoiced
    if wo.status not in INVOICEABLE:
        raise BillingError("job_not_ready", number=wo.number, status=wo.status, status_zh=Status.shown(wo.status))
    standing = live_invoice(session, wo.id)
    if standing is not None:
        raise BillingError("already_invoiced", number=wo.number, invoice=standing.number)
    drafts = _drafts(session, wo)
    if not drafts:
        raise BillingError("nothing_to_invoice", number=wo.number)
    invoice = Invoice(
        number=f"~{wo.id}",  # provisional: a job has one standing invoice, and a credited one has its number
        seq=-wo.id,
        work_order_id=wo.id,
        live_job_id=wo.id,
        customer_id=wo.customer_id,
        status=InvoiceStatus.OPEN.value,
        tax_pct=billing.tax_pct,
        created_by=getattr(actor, "id", None),
        created_via=via[:64],
        created_at=at,
    )
    session.add(invoice)
    session.flush()
    written: list[tuple[_Draft, InvoiceLine]] = []
    for d in drafts:
        row = InvoiceLine(
            invoice_id=invoice.id,
            repair_line_id=d.repair_line.id if d.repair_line is not None else None,
            kind=d.kind,
            pay=d.pay,
            concern_id=d.repair_line.concern_id if d.repair_line is not None else None,
            operation_id=d.operation_id,
            part_id=d.part_id,
            code=d.code,
            name=d.name[:200],
            name_zh=d.name_zh[:200],
            qty=d.qty,
            hours=d.hours,
            unit_price=d.unit_price,
            price=d.price,
            cost=d.cost,
        )
        session.add(row)
        written.append((d, row))
    session.flush()
    _tie_parts(session, written)
    # Deposits taken on the job (at reception) become the invoice's first payments.
    session.execute(
        update(Payment)
        .where(Payment.work_order_id == wo.id, Payment.invoice_id.is_(None))
        .values(invoice_id=invoice.id)
    )
    bill = bill_by_id(session, invoice)
    paid = Decimal(
        str(
            session.scalar(select(func.coalesce(func.sum(Payment.amount), 0)).where(Payment.invoice_id == invoice.id))
            or 0
        )
    )
    if paid >= bill.due:  # nothing owed (all warranty, or the deposits cover it: any excess is given back)
        invoice.status, invoice.settled_at = InvoiceStatus.PAID.value, at
    if any(row.pay == PayType.WARRANTY.value for _, row in written):
        invoice.claim_id = _claim(session, wo, invoice, [row for _, row in written], actor, at, claim_days).id
    changes.publish(session, changes.JOBS, number=wo.number)
    if numbered:
        assign_number(session, invoice)
    return invoice


def assign_number(session: Session, invoice: Invoice) -> str:
    """Give an invoice made with a provisional number the series' next one (and its new claim `WC-<number>`)."""
    seq, number = numbers.next_number(session, numbers.INVOICE)
    invoice.number, invoice.seq = number, seq
    if invoice.claim_id is not None:
        claim = session.get(WarrantyClaim, invoice.claim_id)
        if claim is not None and claim.claim_no == f"WC-~{invoice.id}":
            claim.claim_no = f"WC-{number}"
    session.flush()
    return number


def _tie_parts(session: Session, written: list[tuple[_Draft, InvoiceLine]]) -> None:
    """Each part line names the labour line (of this invoice) its units were issued against."""
    by_repair = {d.repair_line.id: row for d, row in written if d.repair_line is not None and d.kind == "labour"}
    against = parts_of_lines(session, sorted(by_repair))
    for _d, row in written:
        if row.kind != LineKind.PART.value or row.part_id is None:
            continue
        for labour_id in sorted(against):
            if against[labour_id].get(row.part_id, 0) > 0:
                row.parent_id = by_repair[labour_id].id
                break


def _claim(
    session: Session, wo: WorkOrder, invoice: Invoice, rows: list[InvoiceLine], actor: Any, at: datetime, days: int
) -> WarrantyClaim:
    """The job's warranty claim (its draft, or a new one) with the warranty lines: operations, parts under them."""
    warranty = [r for r in rows if r.pay == PayType.WARRANTY.value]
    amount = sum((r.price for r in warranty), ZERO)
    claim = session.scalar(
        select(WarrantyClaim)
        .where(WarrantyClaim.work_order_id == wo.id, WarrantyClaim.status == "draft")
        .order_by(WarrantyClaim.id)
        .limit(1)
    )
    if claim is None:
        claim = WarrantyClaim(
            claim_no=f"WC-~{invoice.id}",  # numbered with the invoice (assign_number)
            work_order_id=wo.id,
            status="draft",
            amount=amount,
            due_by=at + timedelta(days=days),
            created_at=at,
            created_by=getattr(actor, "id", None),
            note=f"warranty lines of invoice {invoice.number}",
        )
        session.add(claim)
    else:
        claim.amount = Decimal(claim.amount) + amount
    session.flush()
    ops: dict[int, ClaimLine] = {}
    for r in warranty:
        if r.kind == LineKind.LABOUR.value:
            ops[r.id] = ClaimLine(
                claim_id=claim.id,
                invoice_line_id=r.id,
                kind=r.kind,
                operation_id=r.operation_id,
                qty=1,
                hours=r.hours,
                amount=r.price,
            )
            session.add(ops[r.id])
    session.flush()
    for r in warranty:
        if r.kind == LineKind.PART.value:
            parent = ops.get(r.parent_id) if r.parent_id is not None else None
            session.add(
                ClaimLine(
                    claim_id=claim.id,
                    invoice_line_id=r.id,
                    kind=r.kind,
                    part_id=r.part_id,
                    qty=r.qty,
                    amount=r.price,
                    parent_id=parent.id if parent is not None else None,
                )
            )
    return claim


def bill_by_id(session: Session, invoice: Invoice) -> Bill:
    """The invoice's totals from its lines and discounts (floor.core.billing.money)."""
    session.flush()
    shares: dict[int, Decimal] = {
        int(line_id): Decimal(str(amount or 0)).quantize(CENT)
        for line_id, amount in session.execute(
            select(InvoiceDiscount.line_id, func.sum(InvoiceDiscount.amount))
            .where(InvoiceDiscount.invoice_id == invoice.id)
            .group_by(InvoiceDiscount.line_id)
        )
    }
    rows = session.execute(
        select(InvoiceLine.id, InvoiceLine.pay, InvoiceLine.price)
        .where(InvoiceLine.invoice_id == invoice.id)
        .order_by(InvoiceLine.id)
    ).all()
    priced = [Priced(i, pay, Decimal(price), shares.get(i, ZERO)) for i, pay, price in rows]
    return bill_of(priced, Decimal(invoice.tax_pct))


def find_invoice(session: Session, number: object) -> Invoice:
    """An invoice by number; `unknown_invoice` (404) otherwise."""
    text = str(number or "").strip().upper()[:32]
    invoice = session.scalar(select(Invoice).where(Invoice.number == text)) if text else None
    if invoice is None:
        raise BillingError("unknown_invoice", number=text or "-")
    return invoice


def customer_of(session: Session, invoice: Invoice) -> Customer | None:
    """The invoice's customer record, if the job had one."""
    return session.get(Customer, invoice.customer_id) if invoice.customer_id else None
