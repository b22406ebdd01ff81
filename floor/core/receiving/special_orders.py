"""Ordering special orders: demand's backordered parts of one supplier become an expected delivery.

Here, not in demand, because receiving is the layer above: demand's followers run on every stock
write (`floor.core.stockflow`), and deliveries write stock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from floor.core import changes
from floor.core.demand.lines import DemandError
from floor.core.demand.queues import special_orders
from floor.core.receiving.deliveries import DeliveryRow, import_deliveries


def order_special(session: Session, supplier: str, reference: str, actor_id: int | None, at: datetime) -> Any:
    """Put a supplier's special orders (jobs' and appointments') on a new expected delivery, one line per part."""
    changes.publish(session, changes.MASTER)  # sent only if the transaction commits
    lines = [x for x in special_orders(session, supplier) if x["qty"] > 0]
    if not lines:
        raise DemandError("special_order_empty", supplier=supplier)
    rows = [
        DeliveryRow(i + 1, supplier, reference, "purchase_order", x["part_no"], x["qty"]) for i, x in enumerate(lines)
    ]
    (delivery,) = import_deliveries(session, rows, actor_id, at)
    return delivery, lines
