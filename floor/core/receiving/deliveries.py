"""Expected deliveries: imported from purchase orders or packing lists, received against, reported, closed.

What was received is kept as `delivery_receipts` rows next to the ledger's
`receive` moves; an undone receipt gets a negative row, so every figure is a
plain sum. A line's state compares expected with received: complete, short,
over; a part that was not on the delivery at all is `unexpected`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.core import rows
from floor.core.authority import person_shown
from floor.core.rows import RowError
from floor.core.stockflow import MAX_ID, LocationLike, PartLike, StockFlowError, StockTxn
from floor.models import Delivery, DeliveryLine, DeliveryReceipt, Location, Part, User
from floor.models.receiving import DELIVERY_KINDS

LINE_STATES = ("complete", "short", "over", "unexpected")
# A delivery import's CSV columns (`kind` may be left out: purchase_order).
CSV_REQUIRED = ("supplier", "reference", "part_no", "qty")
CSV_COLUMNS = ("supplier", "reference", "kind", "part_no", "qty")


@dataclass(frozen=True)
class DeliveryRow:
    """One checked line of an import: which delivery, which part, how many."""

    line: int | str
    supplier: str
    reference: str
    kind: str
    part_no: str
    qty: int


def check_row(row: Mapping[str, Any], line: int | str) -> DeliveryRow:
    """Validate one import line (CSV columns or JSON fields: supplier, reference, part_no, qty)."""
    try:
        for name in CSV_REQUIRED:
            if name not in row:
                raise RowError(name, "is missing")
        kind = rows.text(row, "kind", 16) or "purchase_order"
        if kind not in DELIVERY_KINDS:
            raise RowError("kind", f"must be one of {', '.join(DELIVERY_KINDS)}")
        qty = rows.integer(row, "qty", None, 1, 10**6)
        if qty is None:
            raise RowError("qty", "is required")
        return DeliveryRow(
            line,
            rows.text(row, "supplier", 200, required=True),
            rows.code(row, "reference"),
            kind,
            rows.code(row, "part_no"),
            qty,
        )
    except RowError as exc:
        raise StockFlowError("bad_delivery_line", line=line, field=exc.field, message=exc.message) from None


def import_deliveries(
    session: Session, rows: Iterable[DeliveryRow], actor_id: int | None, at: datetime
) -> list[Delivery]:
    """Create the deliveries the rows name, all or none; a part listed twice on one delivery is summed."""
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        entry = grouped.setdefault(
            (row.supplier, row.reference), {"kind": row.kind, "parts": defaultdict(int), "first": {}}
        )
        entry["parts"][row.part_no] += row.qty
        entry["first"].setdefault(row.part_no, row.line)
    if not grouped:
        raise StockFlowError("no_delivery_lines")
    part_nos = {pn for entry in grouped.values() for pn in entry["parts"]}
    parts = dict(
        session.execute(select(Part.part_no, Part.id).where(Part.part_no.in_(part_nos), Part.active.is_(True)))
        .tuples()
        .all()
    )
    created: list[Delivery] = []
    for (supplier, reference), entry in grouped.items():
        for part_no, line in entry["first"].items():
            if part_no not in parts:
                raise StockFlowError("bad_delivery_line", line=line, field="part_no", message=f"unknown part {part_no}")
        exists = session.scalar(
            select(Delivery.id).where(Delivery.supplier == supplier, Delivery.reference == reference)
        )
        if exists is not None:
            raise StockFlowError("delivery_exists", supplier=supplier, reference=reference)
        delivery = Delivery(
            supplier=supplier,
            reference=reference,
            kind=entry["kind"],
            status="open",
            created_at=at,
            created_by=actor_id,
        )
        session.add(delivery)
        session.flush()
        session.add_all(
            DeliveryLine(delivery_id=delivery.id, part_id=parts[pn], expected=qty) for pn, qty in entry["parts"].items()
        )
        created.append(delivery)
    session.flush()
    return created


def get_delivery(session: Session, delivery_id: int) -> Delivery:
    """A delivery by id, or a 404-style error."""
    delivery = session.get(Delivery, delivery_id) if 0 < delivery_id <= MAX_ID else None
    if delivery is None:
        raise StockFlowError("unknown_delivery", reference=f"#{delivery_id}")
    return delivery


def open_delivery_by_reference(session: Session, reference: str) -> Delivery:
    """The one open delivery with this reference (what a `DLV:` label carries)."""
    found = list(
        session.scalars(select(Delivery).where(Delivery.reference == reference, Delivery.status == "open").limit(3))
    )
    if not found:
        raise StockFlowError("unknown_delivery", reference=reference[:64])
    if len(found) > 1:
        raise StockFlowError("ambiguous_delivery", reference=reference[:64], count=len(found))
    return found[0]


def check_open(delivery: Delivery) -> None:
    """Reject receiving against a closed delivery."""
    if delivery.status != "open":
        raise StockFlowError("delivery_closed", reference=delivery.reference)


def line_state(expected: int, received: int, on_delivery: bool) -> str:
    """complete, short, over, or unexpected (a part not on the delivery)."""
    if not on_delivery:
        return "unexpected"
    if received == expected:
        return "complete"
    return "short" if received < expected else "over"


def record_receipt(
    session: Session,
    delivery: Delivery,
    part_id: int,
    location_id: int,
    qty: int,
    at: datetime,
    lot: str | None = None,
    serial: str | None = None,
    actor_id: int | None = None,
    event_id: int | None = None,
) -> dict[str, Any]:
    """Book received stock against a delivery; returns the part's expected, received and state after it."""
    check_open(delivery)
    expected = session.scalar(
        select(DeliveryLine.expected).where(DeliveryLine.delivery_id == delivery.id, DeliveryLine.part_id == part_id)
    )
    before = (
        session.scalar(
            select(func.coalesce(func.sum(DeliveryReceipt.qty), 0)).where(
                DeliveryReceipt.delivery_id == delivery.id, DeliveryReceipt.part_id == part_id
            )
        )
        or 0
    )
    session.add(
        DeliveryReceipt(
            delivery_id=delivery.id,
            part_id=part_id,
            location_id=location_id,
            qty=qty,
            lot=(lot or None) and lot[:64],
            serial=(serial or None) and serial[:64],
            event_id=event_id,
            actor_id=actor_id,
            at=at,
        )
    )
    received = int(before) + qty
    return {
        "reference": delivery.reference,
        "supplier": delivery.supplier,
        "expected": int(expected or 0),
        "received": received,
        "state": line_state(int(expected or 0), received, expected is not None),
    }


def receive(
    txn: StockTxn,
    delivery: Delivery,
    part: PartLike,
    loc: LocationLike,
    qty: int,
    lot: str | None = None,
    serial: str | None = None,
) -> dict[str, Any]:
    """Receive stock into a bin against a delivery (kiosk / API): a `receive` move plus the receipt."""
    check_open(delivery)
    ref = ";".join(f"{k}={v}" for k, v in (("DLV", delivery.reference), ("lot", lot), ("serial", serial)) if v)
    txn.move(part, loc, qty, "receive", ref=ref[:128])
    return record_receipt(txn.session, delivery, part.id, loc.id, qty, txn.at, lot, serial, txn.actor_id, txn.event_id)


def undo_receipts(session: Session, undone_event_id: int, event_id: int, actor_id: int | None, at: datetime) -> int:
    """Compensate the receipts a scan booked when that scan is undone; returns how many."""
    rows = list(
        session.scalars(
            select(DeliveryReceipt).where(
                DeliveryReceipt.event_id == undone_event_id, DeliveryReceipt.reverses_event_id.is_(None)
            )
        )
    )
    for r in rows:
        session.add(
            DeliveryReceipt(
                delivery_id=r.delivery_id,
                part_id=r.part_id,
                location_id=r.location_id,
                qty=-r.qty,
                lot=r.lot,
                serial=r.serial,
                event_id=event_id,
                reverses_event_id=undone_event_id,
                actor_id=actor_id,
                at=at,
            )
        )
    return len(rows)


def close_delivery(delivery: Delivery, actor_id: int | None, at: datetime) -> None:
    """Close a delivery: nothing more is received against it and its shortfall is no longer on order."""
    check_open(delivery)
    delivery.status, delivery.closed_at, delivery.closed_by = "closed", at, actor_id


def _received(session: Session, delivery_ids: list[int]) -> dict[tuple[int, int], int]:
    rows = session.execute(
        select(DeliveryReceipt.delivery_id, DeliveryReceipt.part_id, func.sum(DeliveryReceipt.qty))
        .where(DeliveryReceipt.delivery_id.in_(delivery_ids))
        .group_by(DeliveryReceipt.delivery_id, DeliveryReceipt.part_id)
    )
    return {(d, p): int(q or 0) for d, p, q in rows}


def report(session: Session, delivery: Delivery) -> dict[str, Any]:
    """Expected against received per part, over/short/unexpected, every receipt with lot, serial, bin and who."""
    received = _received(session, [delivery.id])
    lines: list[dict[str, Any]] = []
    seen: set[int] = set()
    for line, part_no, name in session.execute(
        select(DeliveryLine, Part.part_no, Part.name)
        .join(Part, Part.id == DeliveryLine.part_id)
        .where(DeliveryLine.delivery_id == delivery.id)
        .order_by(DeliveryLine.id)
    ):
        got = received.get((delivery.id, line.part_id), 0)
        seen.add(line.part_id)
        lines.append(
            {
                "part_no": part_no,
                "name": name,
                "expected": line.expected,
                "received": got,
                "difference": got - line.expected,
                "state": line_state(line.expected, got, True),
            }
        )
    extra = [pid for (_d, pid), qty in received.items() if pid not in seen and qty]
    for part_id, part_no, name in session.execute(
        select(Part.id, Part.part_no, Part.name).where(Part.id.in_(extra)).order_by(Part.part_no)
    ):
        got = received[(delivery.id, part_id)]
        lines.append(
            {"part_no": part_no, "name": name, "expected": 0, "received": got, "difference": got, "state": "unexpected"}
        )
    receipts = [
        {
            "part_no": pn,
            "bin": code,
            "qty": r.qty,
            "lot": r.lot,
            "serial": r.serial,
            "at": r.at.isoformat(),
            "actor": person_shown(name, role),
            "event_id": r.event_id,
            "undo": r.reverses_event_id is not None,
        }
        for r, pn, code, name, role in session.execute(
            select(DeliveryReceipt, Part.part_no, Location.code, User.name, User.role)
            .join(Part, Part.id == DeliveryReceipt.part_id)
            .join(Location, Location.id == DeliveryReceipt.location_id)
            .outerjoin(User, User.id == DeliveryReceipt.actor_id)
            .where(DeliveryReceipt.delivery_id == delivery.id)
            .order_by(DeliveryReceipt.id)
        )
    ]
    counts = {state: sum(1 for ln in lines if ln["state"] == state) for state in LINE_STATES}
    return {
        "id": delivery.id,
        "supplier": delivery.supplier,
        "reference": delivery.reference,
        "kind": delivery.kind,
        "status": delivery.status,
        "created_at": delivery.created_at.isoformat(),
        "closed_at": delivery.closed_at.isoformat() if delivery.closed_at else None,
        "lines": lines,
        "receipts": receipts,
        "summary": {
            "expected": sum(ln["expected"] for ln in lines),
            "received": sum(ln["received"] for ln in lines),
            **{f"{state}_lines": n for state, n in counts.items()},
            "complete": all(ln["state"] == "complete" for ln in lines),
        },
    }


def list_deliveries(session: Session, status: str | None = "open") -> list[dict[str, Any]]:
    """Deliveries (open ones by default) with their expected and received totals."""
    stmt = select(Delivery).order_by(Delivery.id)
    if status:
        stmt = stmt.where(Delivery.status == status)
    deliveries = list(session.scalars(stmt))
    ids = [d.id for d in deliveries]
    expected = dict(
        session.execute(
            select(DeliveryLine.delivery_id, func.sum(DeliveryLine.expected))
            .where(DeliveryLine.delivery_id.in_(ids))
            .group_by(DeliveryLine.delivery_id)
        )
        .tuples()
        .all()
    )
    received: dict[int, int] = defaultdict(int)
    for (d, _p), qty in _received(session, ids).items():
        received[d] += qty
    return [
        {
            "id": d.id,
            "supplier": d.supplier,
            "reference": d.reference,
            "kind": d.kind,
            "status": d.status,
            "expected": int(expected.get(d.id, 0) or 0),
            "received": received[d.id],
            "created_at": d.created_at.isoformat(),
        }
        for d in deliveries
    ]


def outstanding_by_part(session: Session) -> dict[int, int]:
    """Per part, what open deliveries still owe (expected not yet received): stock on order."""
    open_ids = list(session.scalars(select(Delivery.id).where(Delivery.status == "open")))
    if not open_ids:
        return {}
    received = _received(session, open_ids)
    owed: dict[int, int] = defaultdict(int)
    for d, p, expected in session.execute(
        select(DeliveryLine.delivery_id, DeliveryLine.part_id, DeliveryLine.expected).where(
            DeliveryLine.delivery_id.in_(open_ids)
        )
    ):
        owed[p] += max(0, int(expected) - received.get((d, p), 0))
    return {p: q for p, q in owed.items() if q}
