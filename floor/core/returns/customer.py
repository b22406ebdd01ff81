"""Customer returns (退换货): into quarantine with a reason, then inspected: back to stock, scrap, or to the supplier.

Every step is a `return_steps` row with its time and actor (the returns log);
every stock change is a ledger move: `customer_return` into the quarantine
bin, `release` back to a store bin, `scrap` out of quarantine (into a scrap
bin when one is named). Parts judged for the supplier stay in quarantine until
they are picked into a return shipment (see `supplier.py`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.core.authority import person_shown
from floor.core.sales.returns import ReturnWindow, check_sale_return
from floor.core.scanning.context import Reject
from floor.core.stockflow import MAX_ID, LocationLike, PartLike, StockFlowError, StockTxn
from floor.models import CustomerReturn, Location, Part, ReturnStep, User, WorkOrder
from floor.models.master import AVAILABLE_KINDS
from floor.models.returns import FREIGHT_PAYER, RETURN_REASONS

# Scanned reason cards may carry a short word instead of the full name.
REASON_ALIASES = {
    "QUALITY": "quality_defect",
    "DEFECT": "quality_defect",
    "SPEC": "wrong_spec",
    "SHIPMENT": "wrong_shipment",
    "WRONG_SHIPMENT": "wrong_shipment",
    "CUSTOMER": "customer_reason",
}
STATE_ZH = {"closed": "已关闭", "cancelled": "已取消", "fully judged": "已全部检验"}
OUTCOMES = {
    "restock": ("restocked", "qty_restocked"),
    "scrap": ("scrapped", "qty_scrapped"),
    "supplier": ("to_supplier", "qty_to_supplier"),
}


def check_reason(reason: Any) -> str:
    """The reason as one of RETURN_REASONS; a missing or unknown one is rejected."""
    valid = ", ".join(RETURN_REASONS)
    if reason is None or (isinstance(reason, str) and not reason.strip()):
        raise StockFlowError("no_return_reason", valid=valid)
    if not isinstance(reason, str):
        raise StockFlowError("bad_return_reason", reason=str(reason)[:40], valid=valid)
    value = reason.strip()
    if value.lower() in RETURN_REASONS:
        return value.lower()
    if value.upper() in REASON_ALIASES:
        return REASON_ALIASES[value.upper()]
    raise StockFlowError("bad_return_reason", reason=value[:40], valid=valid)


def check_qty(qty: Any) -> int:
    """A quantity of 1 to 9999."""
    if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= 9999:
        raise StockFlowError("bad_qty", value=str(qty)[:20])
    return qty


def _customer_returned(session: Session, wo_id: int, part_id: int) -> int:
    total = session.scalar(
        select(func.coalesce(func.sum(CustomerReturn.qty), 0)).where(
            CustomerReturn.work_order_id == wo_id,
            CustomerReturn.part_id == part_id,
            CustomerReturn.status != "cancelled",
        )
    )
    return int(total or 0)


def log_step(
    txn: StockTxn,
    ret: CustomerReturn,
    step: str,
    qty: int,
    location_id: int | None = None,
    note: str | None = None,
    shipment_id: int | None = None,
) -> ReturnStep:
    row = ReturnStep(
        return_id=ret.id,
        step=step,
        qty=qty,
        location_id=location_id,
        shipment_id=shipment_id,
        actor_id=txn.actor_id,
        event_id=txn.event_id,
        note=note,
        at=txn.at,
    )
    txn.session.add(row)
    return row


def record_return(
    txn: StockTxn,
    part: PartLike,
    qty: Any,
    reason: Any,
    quarantine: LocationLike,
    work_order: WorkOrder | None = None,
    sale_ref: str | None = None,
    note: str | None = None,
    origin_required: bool = True,
    window: ReturnWindow | None = None,
) -> CustomerReturn:
    """A customer brings parts back: the return is recorded and the parts go into the quarantine bin.

    `window`: `[returns] days` after a named sale, and whether who takes it may accept a later one (SPEC 10.5).
    """
    reason = check_reason(reason)
    qty = check_qty(qty)
    if quarantine.kind != "quarantine":
        raise StockFlowError("not_quarantine_bin", code=quarantine.code, kind=quarantine.kind)
    if origin_required and work_order is None and not sale_ref:
        raise StockFlowError("no_return_origin")
    if sale_ref is not None and sale_ref.strip():
        # A sale named must be a real one (`SO:<number>` or its number; free text is `unknown_sale`), and the
        # return at most what it sold less what already came back (SPEC 9.3, issue 24).
        sale_ref = check_sale_return(txn.session, sale_ref, part, qty, window)
    if work_order is not None:
        issued = txn.ledger.wo_issued(work_order.id, part.id)
        returned = _customer_returned(txn.session, work_order.id, part.id)
        if qty > issued - returned:
            raise StockFlowError(
                "return_exceeds_sale",
                wo=work_order.number,
                issued=issued,
                returned=returned,
                part_no=part.part_no,
                qty=qty,
            )
    ret = CustomerReturn(
        part_id=part.id,
        qty=qty,
        reason=reason,
        freight_payer=FREIGHT_PAYER[reason],
        work_order_id=work_order.id if work_order else None,
        sale_ref=sale_ref or None,
        location_id=quarantine.id,
        status="quarantined",
        qty_restocked=0,
        qty_scrapped=0,
        qty_to_supplier=0,
        qty_shipped=0,
        note=note,
        event_id=txn.event_id,
        created_at=txn.at,
        created_by=txn.actor_id,
    )
    txn.session.add(ret)
    txn.session.flush()
    txn.move(part, quarantine, qty, "customer_return", ref=f"RT:{ret.id}")
    log_step(txn, ret, "received", qty, quarantine.id, note)
    return ret


def settle(ret: CustomerReturn, at: datetime) -> None:
    """Close a return once every unit is judged and none waits to be shipped; reopen it if an undo says otherwise."""
    done = ret.pending == 0 and ret.awaiting_shipment == 0
    if ret.status == "quarantined" and done:
        ret.status, ret.closed_at = "closed", at
    elif ret.status == "closed" and not done:
        ret.status, ret.closed_at = "quarantined", None


def _location(txn: StockTxn, location_id: int) -> LocationLike:
    if txn.scan is not None and location_id in txn.scan.catalog.locations:
        return txn.scan.catalog.locations[location_id]
    loc = txn.session.get(Location, location_id)
    assert loc is not None
    return loc


def inspect(
    txn: StockTxn,
    ret: CustomerReturn,
    part: PartLike,
    outcome: str,
    qty: Any,
    target: LocationLike | None = None,
    note: str | None = None,
) -> ReturnStep:
    """Judge units of one return: `restock` into a store bin, `scrap` (into a scrap bin if named), `supplier`."""
    if outcome not in OUTCOMES:
        raise StockFlowError("bad_inspection_outcome", outcome=str(outcome)[:20], valid=", ".join(OUTCOMES))
    qty = check_qty(qty)
    if ret.status != "quarantined" or ret.pending == 0:
        state = ret.status if ret.status != "quarantined" else "fully judged"
        raise StockFlowError("return_not_open", id=ret.id, state=state, state_zh=STATE_ZH[state])
    if qty > ret.pending:
        raise StockFlowError("release_exceeds_return", pending=ret.pending, part_no=part.part_no, qty=qty)
    step, counter = OUTCOMES[outcome]
    quarantine = _location(txn, ret.location_id)
    if outcome == "restock":
        if target is None:
            raise Reject("no_location")
        if target.kind not in AVAILABLE_KINDS:
            raise StockFlowError("release_target_kind", code=target.code, kind=target.kind)
        txn.move(part, quarantine, -qty, "release", ref=f"RT:{ret.id}")
        txn.move(part, target, qty, "release", ref=f"RT:{ret.id}")
    elif outcome == "scrap":
        if target is not None and target.kind != "scrap":
            raise StockFlowError("scrap_target_kind", code=target.code, kind=target.kind)
        txn.move(part, quarantine, -qty, "scrap", ref=f"RT:{ret.id}")
        if target is not None:
            txn.move(part, target, qty, "scrap", ref=f"RT:{ret.id}")
    setattr(ret, counter, getattr(ret, counter) + qty)
    settle(ret, txn.at)
    return log_step(txn, ret, step, qty, target.id if target is not None else None, note)


def inspect_part(
    txn: StockTxn, part: PartLike, outcome: str, qty: int, target: LocationLike | None
) -> list[ReturnStep]:
    """Judge units of a part across its open returns, oldest first (the scan path: no return number is scanned)."""
    open_returns = [
        r
        for r in txn.session.scalars(
            select(CustomerReturn)
            .where(CustomerReturn.part_id == part.id, CustomerReturn.status == "quarantined")
            .order_by(CustomerReturn.id)
        )
        if r.pending > 0
    ]
    pending = sum(r.pending for r in open_returns)
    if pending == 0:
        raise StockFlowError("not_in_quarantine", part_no=part.part_no)
    if qty > pending:
        raise StockFlowError("release_exceeds_return", pending=pending, part_no=part.part_no, qty=qty)
    steps: list[ReturnStep] = []
    left = qty
    for ret in open_returns:
        take = min(left, ret.pending)
        if take:
            steps.append(inspect(txn, ret, part, outcome, take, target))
            left -= take
    return steps


def check_undo(session: Session, event_id: int) -> list[ReturnStep]:
    """The return steps a scan made, or a rejection when the return has moved on since."""
    steps = list(
        session.scalars(select(ReturnStep).where(ReturnStep.event_id == event_id, ReturnStep.undone.is_(False)))
    )
    for step in steps:
        if step.step == "received":
            later = session.scalar(
                select(func.count())
                .select_from(ReturnStep)
                .where(
                    ReturnStep.return_id == step.return_id,
                    ReturnStep.id != step.id,
                    ReturnStep.undone.is_(False),
                    ReturnStep.step != "undone",
                )
            )
            if later:
                raise Reject("undo_blocked", reason=f"return {step.return_id} is already being inspected")
    return steps


def undo_steps(txn: StockTxn, steps: list[ReturnStep]) -> None:
    """Reverse return steps whose scan was undone (the ledger moves are reversed by UNDO itself)."""
    counters = {step: counter for step, counter in OUTCOMES.values()}
    for step in steps:
        ret = txn.session.get(CustomerReturn, step.return_id)
        assert ret is not None
        if step.step == "received":
            ret.status, ret.closed_at = "cancelled", txn.at
        elif step.step in counters:
            setattr(ret, counters[step.step], getattr(ret, counters[step.step]) - step.qty)
            settle(ret, txn.at)
        step.undone = True
        log_step(txn, ret, "undone", step.qty, step.location_id, f"undo of {step.step}")


def get_return(session: Session, return_id: int) -> CustomerReturn:
    """A customer return by id, or a 404-style error."""
    ret = session.get(CustomerReturn, return_id) if 0 < return_id <= MAX_ID else None
    if ret is None:
        raise StockFlowError("unknown_return", id=return_id)
    return ret


def returns_log(
    session: Session, return_id: int | None = None, limit: int = 500, offset: int = 0
) -> list[dict[str, Any]]:
    """Every step of customer returns (newest last) with time, actor, bin and quantity (`offset` skips the newest)."""
    stmt = (
        select(ReturnStep, CustomerReturn.reason, Part.part_no, User.name, User.role, Location.code)
        .join(CustomerReturn, CustomerReturn.id == ReturnStep.return_id)
        .join(Part, Part.id == CustomerReturn.part_id)
        .outerjoin(User, User.id == ReturnStep.actor_id)
        .outerjoin(Location, Location.id == ReturnStep.location_id)
        .order_by(ReturnStep.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if return_id is not None:
        stmt = stmt.where(ReturnStep.return_id == return_id)
    rows = [
        {
            "return_id": s.return_id,
            "step": s.step,
            "qty": s.qty,
            "part_no": pn,
            "reason": reason,
            "bin": code,
            "actor": person_shown(name, role),
            "actor_name": name,
            "at": s.at.isoformat(),
            "event_id": s.event_id,
            "shipment_id": s.shipment_id,
            "undone": s.undone,
            "note": s.note,
        }
        for s, reason, pn, name, role, code in session.execute(stmt)
    ]
    return rows[::-1]


def return_summary(session: Session, ret: CustomerReturn) -> dict[str, Any]:
    """A return with its origin, reason, freight payer, quantities by outcome and its log."""
    part_no = session.scalar(select(Part.part_no).where(Part.id == ret.part_id))
    wo = (
        session.scalar(select(WorkOrder.number).where(WorkOrder.id == ret.work_order_id)) if ret.work_order_id else None
    )
    quarantine = session.scalar(select(Location.code).where(Location.id == ret.location_id))
    return {
        "id": ret.id,
        "part_no": part_no,
        "qty": ret.qty,
        "reason": ret.reason,
        "freight_payer": ret.freight_payer,
        "work_order": wo,
        "sale_ref": ret.sale_ref,
        "quarantine_bin": quarantine,
        "status": ret.status,
        "pending": ret.pending,
        "restocked": ret.qty_restocked,
        "scrapped": ret.qty_scrapped,
        "to_supplier": ret.qty_to_supplier,
        "shipped": ret.qty_shipped,
        "note": ret.note,
        "created_at": ret.created_at.isoformat(),
        "closed_at": ret.closed_at.isoformat() if ret.closed_at else None,
        "log": returns_log(session, ret.id),
    }


def list_returns(session: Session, status: str | None = None) -> list[dict[str, Any]]:
    """Customer returns (optionally of one status), oldest first, without their logs."""
    stmt = (
        select(CustomerReturn, Part.part_no, WorkOrder.number)
        .join(Part, Part.id == CustomerReturn.part_id)
        .outerjoin(WorkOrder, WorkOrder.id == CustomerReturn.work_order_id)
        .order_by(CustomerReturn.id)
    )
    if status:
        stmt = stmt.where(CustomerReturn.status == status)
    return [
        {
            "id": r.id,
            "part_no": pn,
            "qty": r.qty,
            "reason": r.reason,
            "freight_payer": r.freight_payer,
            "work_order": wo,
            "sale_ref": r.sale_ref,
            "status": r.status,
            "pending": r.pending,
            "awaiting_shipment": r.awaiting_shipment,
            "created_at": r.created_at.isoformat(),
        }
        for r, pn, wo in session.execute(stmt)
    ]
