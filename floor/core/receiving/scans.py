"""Receiving by scans: `DLV:<reference>` picks the delivery, RECEIVE part scans are booked against it.

At the dock: badge, `CMD:RECEIVE` (or straight away `DLV:`), `DLV:<reference>`,
`L:<bin>`, then part scans (`Q:` for quantities; GS1 lot and serial are kept).
The delivery stays in the station's session until DONE or another `DLV:`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from floor.core.catalog import LocationInfo, PartInfo
from floor.core.ledger import Move
from floor.core.receiving.deliveries import get_delivery, open_delivery_by_reference, record_receipt, undo_receipts
from floor.core.scanning.context import Outcome, ScanContext
from floor.models import DeliveryLine

STATE_ZH = {"complete": "已齐", "short": "短缺", "over": "超收", "unexpected": "非预期"}
DELIVERY_KEY = "delivery_id"


def scan_delivery(ctx: ScanContext) -> Outcome:
    """`DLV:<reference>` selects an open delivery for the RECEIVE scans that follow."""
    ctx.check_mode("RECEIVE")
    delivery = open_delivery_by_reference(ctx.session, ctx.code.value)
    ctx.state.extra[DELIVERY_KEY] = delivery.id
    ctx.state.mode = "RECEIVE"
    ctx.state.extra.pop("move_part", None)
    lines = (
        ctx.session.scalar(
            select(func.count()).select_from(DeliveryLine).where(DeliveryLine.delivery_id == delivery.id)
        )
        or 0
    )
    return Outcome(
        "delivery_set",
        {"reference": delivery.reference, "supplier": delivery.supplier, "lines": lines},
        {"delivery": {"id": delivery.id, "reference": delivery.reference}, "mode": "RECEIVE"},
    )


def book_against_delivery(
    ctx: ScanContext, part: PartInfo, qty: int, loc: LocationInfo, mv: Move, outcome: Outcome
) -> None:
    """A RECEIVE scan with a delivery in session is booked against it (a closed delivery rejects the scan)."""
    delivery_id = ctx.state.extra.get(DELIVERY_KEY)
    if delivery_id is None:
        return
    delivery = get_delivery(ctx.session, int(delivery_id))
    gs1 = ctx.code.gs1
    line = record_receipt(
        ctx.session,
        delivery,
        part.id,
        loc.id,
        qty,
        ctx.at,
        gs1.lot if gs1 else None,
        gs1.serial if gs1 else None,
        ctx.state.actor_id,
        ctx.event_id,
    )
    mv.ref = ";".join(x for x in (f"DLV={delivery.reference}", mv.ref) if x)[:128]
    outcome.effects["delivery"] = line
    params: dict[str, Any] = {**outcome.params, **line, "state_zh": STATE_ZH[line["state"]]}
    outcome.code, outcome.params = ("received_unexpected" if line["state"] == "unexpected" else "received_line", params)


def undo_delivery_receipts(ctx: ScanContext, event_id: int) -> None:
    """UNDO of a RECEIVE scan also takes its receipt off the delivery."""
    undo_receipts(ctx.session, event_id, ctx.event_id, ctx.state.actor_id, ctx.at)
