"""Return shipments to a supplier: customer returns judged for the supplier, warranty parts, supplier cores.

Picking a customer return into a shipment takes its units out of quarantine
(a `supplier_return` move); a core is listed by serial (cores are not ledger
stock) and can be on one shipment only. The packing list is JSON or CSV.
"""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core.authority import person_shown
from floor.core.csvsafe import SafeWriter
from floor.core.returns.customer import check_qty, get_return, log_step, settle
from floor.core.stockflow import MAX_ID, StockFlowError, StockTxn
from floor.models import Core, CustomerReturn, Location, Part, SupplierReturn, SupplierReturnLine, User, WorkOrder

CORE_KINDS = {"warranty": "warranty", "supplier_core": "supplier_core"}
PACKING_COLUMNS = (
    "shipment",
    "supplier",
    "line",
    "kind",
    "part_no",
    "name",
    "qty",
    "serial",
    "return_id",
    "reason",
    "work_order",
    "claim_ref",
)


def _core_blocker(session: Session, core: Core) -> str | None:
    if core.status != "returned":
        return f"it is {core.status}, not returned to the store"
    if core.disposition not in CORE_KINDS:
        return f"its disposition is {core.disposition or 'not decided'}, not warranty or supplier_core"
    if session.scalar(select(SupplierReturnLine.id).where(SupplierReturnLine.core_id == core.id)) is not None:
        return "it is already on a return shipment"
    return None


def candidates(session: Session) -> dict[str, list[dict[str, Any]]]:
    """What can be picked into a return shipment now."""
    returns = [
        {
            "id": r.id,
            "part_no": pn,
            "awaiting": r.awaiting_shipment,
            "reason": r.reason,
            "freight_payer": r.freight_payer,
        }
        for r, pn in session.execute(
            select(CustomerReturn, Part.part_no)
            .join(Part, Part.id == CustomerReturn.part_id)
            .where(CustomerReturn.status == "quarantined", CustomerReturn.qty_to_supplier > CustomerReturn.qty_shipped)
            .order_by(CustomerReturn.id)
        )
    ]
    shipped = select(SupplierReturnLine.core_id).where(SupplierReturnLine.core_id.is_not(None))
    cores = [
        {
            "serial": c.serial,
            "part_no": pn,
            "disposition": c.disposition,
            "work_order": number,
            "claim_ref": c.claim_ref,
        }
        for c, pn, number in session.execute(
            select(Core, Part.part_no, WorkOrder.number)
            .join(Part, Part.id == Core.part_id)
            .outerjoin(WorkOrder, WorkOrder.id == Core.work_order_id)  # a sold core has no job
            .where(Core.status == "returned", Core.disposition.in_(list(CORE_KINDS)), Core.id.not_in(shipped))
            .order_by(Core.id)
        )
    ]
    return {"customer_returns": returns, "cores": cores}


def create_shipment(
    txn: StockTxn,
    supplier: str,
    returns: list[tuple[int, int | None]],
    core_serials: list[str],
    note: str | None = None,
) -> SupplierReturn:
    """Pick returns (id, qty or all waiting) and cores (serials) into a new shipment, all or nothing."""
    if not returns and not core_serials:
        raise StockFlowError("empty_shipment")
    session = txn.session
    shipment = SupplierReturn(supplier=supplier, status="open", note=note, created_at=txn.at, created_by=txn.actor_id)
    session.add(shipment)
    session.flush()
    for return_id, qty in returns:
        ret = get_return(session, return_id)
        part = session.get(Part, ret.part_id)
        assert part is not None
        take = ret.awaiting_shipment if qty is None else check_qty(qty)
        if ret.status != "quarantined" or take < 1 or take > ret.awaiting_shipment:
            raise StockFlowError(
                "shipment_exceeds_return",
                id=ret.id,
                awaiting=ret.awaiting_shipment,
                part_no=part.part_no,
                qty=take,
            )
        quarantine = session.get(Location, ret.location_id)
        assert quarantine is not None
        txn.move(part, quarantine, -take, "supplier_return", ref=f"RTV:{shipment.id}")
        ret.qty_shipped += take
        settle(ret, txn.at)
        log_step(txn, ret, "shipped", take, quarantine.id, shipment_id=shipment.id)
        session.add(
            SupplierReturnLine(
                shipment_id=shipment.id,
                kind="customer_return",
                part_id=part.id,
                qty=take,
                return_id=ret.id,
                location_id=quarantine.id,
            )
        )
    for serial in core_serials:
        core = session.scalar(select(Core).where(Core.serial == serial))
        if core is None:
            raise StockFlowError("shipment_unknown_core", serial=serial[:64])
        why = _core_blocker(session, core)
        if why:
            raise StockFlowError("core_not_shippable", serial=core.serial, why=why)
        session.add(
            SupplierReturnLine(
                shipment_id=shipment.id,
                kind=CORE_KINDS[core.disposition or ""],
                part_id=core.part_id,
                qty=1,
                core_id=core.id,
            )
        )
        session.flush()
    return shipment


def get_shipment(session: Session, shipment_id: int) -> SupplierReturn:
    """A return shipment by id, or a 404-style error."""
    shipment = session.get(SupplierReturn, shipment_id) if 0 < shipment_id <= MAX_ID else None
    if shipment is None:
        raise StockFlowError("unknown_shipment", id=shipment_id)
    return shipment


def ship(shipment: SupplierReturn, actor_id: int | None, at: Any, reference: str | None = None) -> None:
    """Mark a shipment as handed to the carrier."""
    if shipment.status == "shipped":
        raise StockFlowError("shipment_shipped", id=shipment.id)
    shipment.status, shipment.shipped_at, shipment.shipped_by = "shipped", at, actor_id
    if reference:
        shipment.reference = reference[:64]


def packing_list(session: Session, shipment: SupplierReturn) -> dict[str, Any]:
    """The shipment and its lines: part, quantity, serial for cores, reason and job for returns."""
    lines: list[dict[str, Any]] = []
    stmt = (
        select(
            SupplierReturnLine,
            Part.part_no,
            Part.name,
            Core.serial,
            Core.claim_ref,
            CustomerReturn.reason,
            WorkOrder.number,
        )
        .join(Part, Part.id == SupplierReturnLine.part_id)
        .outerjoin(Core, Core.id == SupplierReturnLine.core_id)
        .outerjoin(CustomerReturn, CustomerReturn.id == SupplierReturnLine.return_id)
        .outerjoin(WorkOrder, WorkOrder.id == Core.work_order_id)
        .where(SupplierReturnLine.shipment_id == shipment.id)
        .order_by(SupplierReturnLine.id)
    )
    for i, (line, part_no, name, serial, claim, reason, number) in enumerate(session.execute(stmt), 1):
        lines.append(
            {
                "line": i,
                "kind": line.kind,
                "part_no": part_no,
                "name": name,
                "qty": line.qty,
                "serial": serial,
                "return_id": line.return_id,
                "reason": reason,
                "work_order": number,
                "claim_ref": claim,
            }
        )
    by = session.get(User, shipment.created_by) if shipment.created_by else None
    return {
        "id": shipment.id,
        "supplier": shipment.supplier,
        "status": shipment.status,
        "reference": shipment.reference,
        "note": shipment.note,
        "created_at": shipment.created_at.isoformat(),
        "created_by": person_shown(by.name, by.role) if by else None,
        "shipped_at": shipment.shipped_at.isoformat() if shipment.shipped_at else None,
        "lines": lines,
        "total_qty": sum(ln["qty"] for ln in lines),
    }


def packing_csv(packing: dict[str, Any]) -> str:
    """The packing list as CSV, one row per line."""
    buf = io.StringIO()
    writer = SafeWriter(buf, lineterminator="\r\n")
    writer.writerow(PACKING_COLUMNS)
    for ln in packing["lines"]:
        writer.writerow(
            [
                packing["id"],
                packing["supplier"],
                ln["line"],
                ln["kind"],
                ln["part_no"],
                ln["name"],
                ln["qty"],
                ln["serial"] or "",
                ln["return_id"] or "",
                ln["reason"] or "",
                ln["work_order"] or "",
                ln["claim_ref"] or "",
            ]
        )
    return buf.getvalue()
