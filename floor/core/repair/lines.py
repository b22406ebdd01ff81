"""A job's lines (SPEC 10.2): labour (an operation, flat-rate hours) or parts (a request line that holds stock).

Each line has a pay type (customer, warranty, internal), an optional concern, a safety flag, and a
price rounded once (floor.core.repair.money). A new line is `proposed`; lines added after the job's
first answer from the customer are a supplement. A line the customer said yes to that changes
price, hours, quantity or payer goes back to `proposed` (the customer is asked again), and changing
it takes a supervisor (`reprice_authorized`). Declined and done lines do not change.

The job keeps `parts_unauthorized` (its part lines the customer has not said yes to) in step here:
the issue scan reads it with the job, so a job without such lines costs the scan nothing
(floor.core.demand.scans). Writes lock the job's row first (PostgreSQL), so two advisors writing
lines of one job at once count them right.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.core import audit, changes, rows
from floor.core.authority import RoleTable
from floor.core.demand import rules as demand
from floor.core.demand.lines import Ask, check_qty
from floor.core.inputs import valid_id
from floor.core.repair.errors import REPRICE, WRITE_LINES, RepairError, require
from floor.core.repair.money import line_price
from floor.core.repair.operations import check_hours, operation_by_code
from floor.core.repair.settings import BillingSettings
from floor.models import Concern, LabourOperation, Part, PartRequest, RepairDecision, RepairLine, WorkOrder
from floor.models.repair import UNAUTHORIZED_STATUSES, LineKind, LineStatus, PayType
from floor.models.workorders import CLOSED_STATUSES

# What a client may send for a line (SPEC 10.2's fields, plus `unit_price`, `safety`, `note`).
LINE_FIELDS = ("kind", "op", "part_no", "qty", "hours", "pay", "concern", "safety", "unit_price", "note")
# Fields whose change is a new price for the customer: after their yes, the line is asked again.
PRICED = ("qty", "hours", "unit_price", "pay")


def check_open(wo: WorkOrder) -> None:
    """Concerns and lines change on open jobs only (`job_closed_lines`)."""
    if wo.status in CLOSED_STATUSES:
        raise RepairError("job_closed_lines", number=wo.number, status=wo.status)


def lock_job(session: Session, wo: WorkOrder) -> None:
    """Lock the job's row for this write (PostgreSQL; SQLite has one writer): its counters stay right.

    What this transaction changed on the job (a status move of the same scan batch) is written first: the
    locked row is read again into the object, and nothing unwritten may be lost to that.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.flush()
        session.refresh(wo, with_for_update=True)


def recount(session: Session, wo: WorkOrder) -> int:
    """Set the job's `parts_unauthorized` from its part lines (proposed or declined); return it."""
    session.flush()
    count = session.scalar(
        select(func.count())
        .select_from(RepairLine)
        .where(
            RepairLine.work_order_id == wo.id,
            RepairLine.kind == LineKind.PART.value,
            RepairLine.status.in_(UNAUTHORIZED_STATUSES),
        )
    )
    wo.parts_unauthorized = int(count or 0)
    return wo.parts_unauthorized


def answered_before(session: Session, wo_id: int) -> bool:
    """Whether the customer has answered on this job already (a line added now is a supplement)."""
    return session.scalar(select(RepairDecision.id).where(RepairDecision.work_order_id == wo_id).limit(1)) is not None


def line_of(session: Session, wo: WorkOrder, line_id: object) -> RepairLine:
    """A line of this job by id; `unknown_line` (404) otherwise (also for another job's line)."""
    key = valid_id(line_id) if not isinstance(line_id, str) else None  # JSON ids: an int within 64 bits
    found = session.get(RepairLine, key) if key is not None else None
    if found is None or found.work_order_id != wo.id:
        raise RepairError("unknown_line", number=wo.number, id=str(line_id)[:20])
    return found


def lines_of(session: Session, wo_id: int) -> list[RepairLine]:
    """A job's lines in the order they were added."""
    return list(session.scalars(select(RepairLine).where(RepairLine.work_order_id == wo_id).order_by(RepairLine.id)))


@dataclass(frozen=True)
class LineSpec:
    """A checked line as a client asked for it (kind, what, how many, who pays, ...)."""

    kind: LineKind
    pay: PayType
    op: LabourOperation | None = None
    part: Part | None = None
    qty: int = 1
    hours: Decimal | None = None
    unit_price: Decimal | None = None
    concern_id: int | None = None
    safety: bool = False
    note: str | None = None


def _unit_price(value: object) -> Decimal:
    try:
        return rows.money({"unit_price": value}, "unit_price")
    except rows.RowError:
        raise RepairError("bad_unit_price", price=str(value)[:20]) from None


def _flag(data: Mapping[str, Any], name: str) -> bool:
    try:
        return rows.boolean(data, name)
    except rows.RowError:
        raise RepairError("bad_line_field", field=name, detail="must be true or false") from None


def _concern(session: Session, wo: WorkOrder, value: object) -> int | None:
    if value is None:
        return None
    key = valid_id(value) if not isinstance(value, str) else None
    concern = session.get(Concern, key) if key is not None else None
    if concern is None or concern.work_order_id != wo.id:
        raise RepairError("unknown_concern", number=wo.number, id=str(value)[:20])
    return concern.id


def _note(value: object) -> str | None:
    try:
        return rows.text({"note": value}, "note", 500) or None
    except rows.RowError as exc:
        raise RepairError("bad_line_field", field="note", detail=exc.message) from None


def read_line(session: Session, wo: WorkOrder, data: Mapping[str, Any]) -> LineSpec:
    """Check a new line's fields (JSON values or form strings); raises RepairError naming what is wrong."""
    kind = LineKind.parse(data.get("kind"))
    if kind is None:
        raise RepairError("bad_line_kind", kind=str(data.get("kind"))[:20])
    pay = PayType.parse(data.get("pay"))
    if pay is None:
        raise RepairError("bad_pay_type", pay=str(data.get("pay"))[:20])
    unit = _unit_price(data["unit_price"]) if data.get("unit_price") not in (None, "") else None
    common: dict[str, Any] = {
        "unit_price": unit,
        "concern_id": _concern(session, wo, data.get("concern")),
        "safety": _flag(data, "safety"),
        "note": _note(data.get("note")),
    }
    if kind is LineKind.LABOUR:
        if data.get("qty") not in (None, 1, "1"):
            raise RepairError("bad_line_field", field="qty", detail="is for part lines; labour has hours")
        op = operation_by_code(session, data.get("op"))
        hours = check_hours(data["hours"]) if data.get("hours") not in (None, "") else op.hours
        return LineSpec(kind, pay, op=op, hours=hours, **common)
    if data.get("hours") not in (None, ""):
        raise RepairError("bad_line_field", field="hours", detail="is for labour lines; parts have a quantity")
    (ask,) = _resolve_part(session, data.get("part_no"), data.get("qty", 1))
    part = session.get(Part, ask.part_id)
    assert part is not None
    return LineSpec(kind, pay, part=part, qty=ask.qty, **common)


def _whole(qty: object) -> object:
    """A form's digits as a number (JSON numbers pass as they are): the request rules check the rest."""
    text = qty.strip() if isinstance(qty, str) else None
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 10 else qty


def _resolve_part(session: Session, part_no: object, qty: object) -> list[Ask]:
    """The part and quantity as the request rules read them (`unknown_part`, `bad_request_qty`)."""
    return demand.resolve_lines(session, [(str(part_no or "")[:64], _whole(qty))])


def price_of(spec_kind: LineKind, qty: int, hours: Decimal | None, unit: Decimal) -> Decimal:
    """A line's price: hours × rate for labour, units × unit price for parts (rounded once)."""
    return line_price(hours if spec_kind is LineKind.LABOUR and hours is not None else qty, unit)


def unit_price_for(spec: LineSpec, billing: BillingSettings) -> Decimal:
    """The unit price a new line takes: the one given, else the labour rate or the part's sell price."""
    if spec.unit_price is not None:
        return spec.unit_price
    if spec.kind is LineKind.LABOUR:
        if billing.labour_rate <= 0:
            raise RepairError("no_labour_rate")
        return billing.labour_rate
    assert spec.part is not None
    if spec.part.sell_price is None:
        raise RepairError("no_sell_price", part_no=spec.part.part_no)
    return Decimal(spec.part.sell_price)


def add_line(
    session: Session,
    wo: WorkOrder,
    data: Mapping[str, Any],
    actor: Any,
    via: str,
    at: datetime,
    *,
    roles: RoleTable,
    billing: BillingSettings,
    approval_limit: Decimal | None = None,
) -> RepairLine:
    """Add a line to an open job (`write_lines`): proposed, priced; a part line asks for its stock (SPEC 9.2).

    `approval_limit` is `[requisition] approval_value`: a part line worth more waits for a supervisor, as any request.
    """
    require(roles, actor, WRITE_LINES)
    check_open(wo)
    lock_job(session, wo)
    spec = read_line(session, wo, data)
    unit = unit_price_for(spec, billing)
    line = RepairLine(
        work_order_id=wo.id,
        kind=spec.kind.value,
        operation_id=spec.op.id if spec.op is not None else None,
        part_id=spec.part.id if spec.part is not None else None,
        qty=spec.qty,
        hours=spec.hours,
        unit_price=unit,
        price=price_of(spec.kind, spec.qty, spec.hours, unit),
        pay=spec.pay.value,
        concern_id=spec.concern_id,
        status=LineStatus.PROPOSED.value,
        safety=spec.safety,
        supplement=answered_before(session, wo.id),
        note=spec.note,
        created_by=getattr(actor, "id", None),
        created_at=at,
    )
    if spec.part is not None:
        ask = Ask(spec.part.id, spec.part.part_no, spec.qty, Decimal(spec.part.unit_cost), int(spec.part.reorder_point))
        (request,) = demand.request_parts(session, wo, [ask], actor, via, at, limit=approval_limit, table=roles)
        line.request_id = request.id
    session.add(line)
    session.flush()
    if spec.part is not None:
        recount(session, wo)
    audit.record(
        session, via, "repair_line", f"WO:{wo.number}", at=at, id=line.id, kind=line.kind, price=str(line.price)
    )
    changes.publish(session, changes.JOBS, number=wo.number)
    return line


def change_line(
    session: Session,
    wo: WorkOrder,
    line: RepairLine,
    data: Mapping[str, Any],
    actor: Any,
    via: str,
    at: datetime,
    *,
    roles: RoleTable,
) -> RepairLine:
    """Change a line's hours, quantity, unit price, payer, concern, safety flag or note.

    A changed price, quantity, hours or payer of an authorized line needs `reprice_authorized` and sends the line back
    to `proposed`. Declined and done lines do not change (`line_closed`).
    """
    check_open(wo)
    lock_job(session, wo)
    if line.status in (LineStatus.DECLINED.value, LineStatus.DONE.value):
        raise RepairError("line_closed", id=line.id, status=line.status)
    was_yes = line.status == LineStatus.AUTHORIZED.value
    repriced = [name for name in PRICED if data.get(name) not in (None, "")]
    require(roles, actor, REPRICE if was_yes and repriced else WRITE_LINES)
    kind = LineKind(line.kind)
    if "hours" in repriced:
        if kind is not LineKind.LABOUR:
            raise RepairError("bad_line_field", field="hours", detail="is for labour lines; parts have a quantity")
        line.hours = check_hours(data["hours"])
    if "qty" in repriced:
        _change_qty(session, line, kind, data["qty"], at)
    if "unit_price" in repriced:
        line.unit_price = _unit_price(data["unit_price"])
    if "pay" in repriced:
        pay = PayType.parse(data["pay"])
        if pay is None:
            raise RepairError("bad_pay_type", pay=str(data["pay"])[:20])
        line.pay = pay.value
    if "concern" in data:
        line.concern_id = _concern(session, wo, data["concern"])
    if "safety" in data:
        line.safety = _flag(data, "safety")
    if "note" in data:
        line.note = _note(data["note"])
    line.price = price_of(kind, line.qty, line.hours, Decimal(line.unit_price))
    if was_yes and repriced:
        line.status, line.decision_id = LineStatus.PROPOSED.value, None
    if kind is LineKind.PART:
        recount(session, wo)
    audit.record(
        session,
        via,
        "repair_line_change",
        f"WO:{wo.number}",
        at=at,
        id=line.id,
        fields=sorted(data),
        status=line.status,
    )
    changes.publish(session, changes.JOBS, number=wo.number)
    return line


def _change_qty(session: Session, line: RepairLine, kind: LineKind, value: object, at: datetime) -> None:
    """A part line's new quantity: its request line asks for that many (never below what was issued)."""
    if kind is not LineKind.PART:
        raise RepairError("bad_line_field", field="qty", detail="is for part lines; labour has hours")
    qty = check_qty(_whole(value), "qty")
    request = session.get(PartRequest, line.request_id) if line.request_id is not None else None
    issued = request.issued if request is not None else 0
    if qty < issued:
        raise RepairError("qty_below_issued", id=line.id, issued=issued, qty=qty)
    if request is not None and request.status != "cancelled":
        demand.resize(session, request, qty, at)
    line.qty = qty
