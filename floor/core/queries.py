"""Read-side summaries shared by the API and the kiosk: a part, a job, a station."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor import clock
from floor.core import reservations
from floor.core.authority import masked_scan_text, person_shown
from floor.core.demand.queues import job_lines
from floor.core.workorders import handover, keys, qc, reception
from floor.core.workorders.board import job_details
from floor.core.workorders.lookup import find_job
from floor.models import Core, Location, Part, ScanEvent, StationSession, StockLevel, StockMove, User, WorkOrder


def part_summary(session: Session, part_no: str) -> dict[str, Any] | None:
    """`GET /api/parts/<part_no>`: the part, its on-hand in total and per bin."""
    part = session.scalar(select(Part).where(Part.part_no == part_no))
    if part is None:
        return None
    bins = {
        code: int(qty)
        for code, qty in session.execute(
            select(Location.code, StockLevel.qty)
            .join(Location, Location.id == StockLevel.location_id)
            .where(StockLevel.part_id == part.id, StockLevel.qty != 0)
            .order_by(Location.code)
        )
    }
    on_hand = sum(bins.values())
    # Available counts pickable bins only (SPEC 10.6): stock in quarantine or receiving is on hand but not free.
    avail = reservations.availability_of(session, [part.id])[part.id]
    reserved = avail.reserved
    return {
        "part_no": part.part_no,
        "name": part.name,
        "on_hand": on_hand,
        # What a person may still promise: on-hand less what jobs and sales hold (SPEC 9.2).
        "reserved": reserved,
        "available": avail.available,
        "bins": bins,
        "abc": part.abc_class,
        "reorder_point": part.reorder_point,
        "reorder_qty": part.reorder_qty,
        "unit_cost": str(part.unit_cost),
        "core": part.is_core,
        "barcodes": sorted(b.code for b in part.barcodes),
    }


def workorder_issued(session: Session, wo_id: int) -> dict[str, dict[str, Any]]:
    """Per part of a job: issued, returned, net quantity and net cost at the unit cost of issue."""
    out: dict[str, dict[str, Any]] = {}
    rows = session.execute(
        select(Part.part_no, StockMove.qty, StockMove.reason, StockMove.unit_cost, StockMove.reverses_id)
        .join(Part, Part.id == StockMove.part_id)
        .where(StockMove.work_order_id == wo_id)
        .order_by(StockMove.id)
    )
    for part_no, qty, reason, cost, _rev in rows:
        line = out.setdefault(part_no, {"issued": 0, "returned": 0, "net": 0, "cost": Decimal(0)})
        if reason == "issue":
            line["issued"] += -qty
        elif reason == "return":
            line["returned"] += qty
        else:  # undo of an issue (+) or of a return (-)
            if qty > 0:
                line["issued"] -= qty
            else:
                line["returned"] += qty
        line["net"] += -qty
        line["cost"] += Decimal(-qty) * Decimal(cost)
    return out


def _requests_of(session: Session, wo_id: int) -> list[dict[str, Any]]:
    return job_lines(session, wo_id)


def workorder_summary(session: Session, number: str) -> dict[str, Any] | None:
    """`GET /api/workorders/<number>`: status, issued parts, cores, parts cost."""
    wo = find_job(session, number)
    if wo is None:
        return None
    lines = workorder_issued(session, wo.id)
    cores = [
        {"serial": c.serial, "part_no": pn, "status": c.status, "disposition": c.disposition}
        for c, pn in session.execute(
            select(Core, Part.part_no)
            .join(Part, Part.id == Core.part_id)
            .where(Core.work_order_id == wo.id)
            .order_by(Core.id)
        )
    ]
    cost = sum((line["cost"] for line in lines.values()), Decimal(0))

    return {
        "number": wo.number,
        "status": wo.status,
        "vehicle": wo.vehicle,
        "customer": wo.customer,
        "promised_at": wo.promised_at.isoformat() if wo.promised_at else None,
        "estimate_minutes": wo.estimate_minutes,
        "status_since": wo.status_since.isoformat(),
        "issued": {pn: line["net"] for pn, line in lines.items() if line["net"]},
        "lines": {
            pn: {k: (str(v.quantize(Decimal("0.01"))) if k == "cost" else v) for k, v in line.items()}
            for pn, line in lines.items()
        },
        "cores": cores,
        "parts_cost": str(cost.quantize(Decimal("0.01"))),
        **job_details(session, wo, clock.now()),
        **_reception_details(session, wo),
        "requests": _requests_of(session, wo.id),
    }


def _reception_details(session: Session, wo: WorkOrder) -> dict[str, Any]:
    """SPEC 9.4 on a job: the reception fields, `"qc": {"passed_by", "rework"}` and `"key": {"holder", "since"}`."""
    return {
        **reception.reception_json(wo),
        "qc": qc.qc_json(session, wo),
        "key": keys.key_json(session, wo),
        "signed": handover.has_signature(session, wo.id),
    }


def station_summary(session: Session, station: str, last: int = 10) -> dict[str, Any]:
    """A station's session and its last scans, for the counter kiosk and the API."""
    row = session.get(StationSession, station)
    actor = session.get(User, row.actor_id) if row and row.actor_id else None
    wo = session.get(WorkOrder, row.work_order_id) if row and row.work_order_id else None
    loc = session.get(Location, row.location_id) if row and row.location_id else None
    events = (
        session.execute(select(ScanEvent).where(ScanEvent.station == station).order_by(ScanEvent.id.desc()).limit(last))
        .scalars()
        .all()
    )
    return {
        "station": station,
        # Never the badge (SPEC 10.6): the person by name and role; a badge scan's text masked.
        "actor": person_shown(actor.name, actor.role) if actor else None,
        "work_order": wo.number if wo else None,
        "mode": row.mode if row else None,
        "location": loc.code if loc else None,
        "pending_qty": row.pending_qty if row else None,
        "extra": json.loads(row.extra) if row and row.extra else {},
        "last_scan_at": row.last_scan_at.isoformat() if row and row.last_scan_at else None,
        "scans": [
            {
                "id": e.id,
                "text": masked_scan_text(e.text),
                "ok": e.ok,
                "code": e.code,
                "message": e.message,
                "message_zh": e.message_zh,
                "at": e.received_at.isoformat(),
                "device": e.device,
            }
            for e in events
        ],
    }


def scan_count(session: Session) -> int:
    """How many scans were ever received."""
    return int(session.scalar(select(func.count()).select_from(ScanEvent)) or 0)
