"""Helpers of the demand tests: scans, API calls and what the database holds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from floor.core.results import ScanInput
from floor.db import Database
from floor.models import PartRequest, Reservation, ReservedTotal, StockLevel


def scan(service: Any, *texts: str, station: str = "counter-1", device: str = "dev-1") -> list[Any]:
    """Send texts as one batch from one device."""
    return service.submit(station, device, [ScanInput(t.encode(), None) for t in texts])


def ask(client: Any, wo: str, lines: list[tuple[str, Any]], badge: str = "T001") -> Any:
    """POST a request for a job."""
    body = {"badge": badge, "lines": [{"part_no": p, "qty": q} for p, q in lines]}
    return client.post(f"/api/workorders/{wo}/requests", json=body)


def state(db: Database) -> dict[str, Any]:
    """Everything demand may change: lines, reservations, totals, levels (to prove 'nothing changed')."""
    with db.reading() as s:
        return {
            "lines": s.execute(
                select(PartRequest.id, PartRequest.qty, PartRequest.issued, PartRequest.status).order_by(PartRequest.id)
            ).all(),
            "holds": s.execute(select(Reservation.holder_id, Reservation.qty).order_by(Reservation.id)).all(),
            "totals": s.execute(select(ReservedTotal.part_id, ReservedTotal.qty).order_by(ReservedTotal.part_id)).all(),
            "levels": s.execute(
                select(StockLevel.part_id, StockLevel.location_id, StockLevel.qty).order_by(
                    StockLevel.part_id, StockLevel.location_id
                )
            ).all(),
        }


def invariant(db: Database) -> None:
    """Per part: the reservations sum to the total, and the total never exceeds on-hand."""
    with db.reading() as s:
        held = dict(
            s.execute(select(Reservation.part_id, func.sum(Reservation.qty)).group_by(Reservation.part_id)).all()
        )
        totals = dict(s.execute(select(ReservedTotal.part_id, ReservedTotal.qty)).all())
        on_hand = dict(
            s.execute(select(StockLevel.part_id, func.sum(StockLevel.qty)).group_by(StockLevel.part_id)).all()
        )
    for part, total in totals.items():
        assert int(held.get(part) or 0) == total, part
        assert total <= int(on_hand.get(part) or 0), part
