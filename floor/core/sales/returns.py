"""Customer returns that name a sale (`SO:<number>`): at most what the sale sold, less what came back, and within
`[returns] days` of the sale unless a supervisor accepts it (SPEC 10.5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.core.sales.errors import SaleError
from floor.core.sales.orders import sale_by_number
from floor.models import CustomerReturn, SaleLine


def is_sale_ref(ref: str | None) -> bool:
    """True when a return's sale reference names a sales order (`SO:<number>`)."""
    return bool(ref) and str(ref).strip().upper().startswith("SO:")


@dataclass(frozen=True)
class ReturnWindow:
    """`[returns] days` after the sale's shipping; `late_ok`: who takes the return may accept a later one (supervisor)."""

    days: int
    late_ok: bool
    at: datetime


def check_sale_return(session: Session, ref: str, part: Any, qty: int, window: ReturnWindow | None = None) -> str:
    """Refuse more than sold − already returned of a part on the sale, or a return after the window without a
    supervisor (`return_window_passed`); return the normalised `SO:<number>`."""
    sale = sale_by_number(session, ref)
    norm = f"SO:{sale.number}"
    if window is not None and sale.shipped_at is not None and not window.late_ok:
        days_ago = (window.at - sale.shipped_at).days
        if days_ago >= window.days:
            raise SaleError("return_window_passed", number=sale.number, days_ago=days_ago, days=window.days)
    sold = 0
    if sale.status == "shipped":
        sold = int(
            session.scalar(
                select(func.coalesce(func.sum(SaleLine.picked), 0)).where(
                    SaleLine.sale_id == sale.id, SaleLine.part_id == part.id
                )
            )
            or 0
        )
    returned = int(
        session.scalar(
            select(func.coalesce(func.sum(CustomerReturn.qty), 0)).where(
                CustomerReturn.sale_ref == norm, CustomerReturn.part_id == part.id, CustomerReturn.status != "cancelled"
            )
        )
        or 0
    )
    if qty > sold - returned:
        raise SaleError(
            "return_exceeds_sold", number=sale.number, sold=sold, returned=returned, part_no=part.part_no, qty=qty
        )
    return norm
