"""A request line's basics: who asks and how, what its status is, what it holds, and the checks every rule makes.

The other demand modules build on these: `rules` (ask, cancel, approve, release, move),
`followers` (stock that came, left or was freed goes to the waiting lines) and `closing`
(a job or appointment ends; UNDO of that reopens its lines).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core import reservations
from floor.core.alerts import evaluate_parts
from floor.core.authority import NotAllowed, RoleTable
from floor.core.reservations import Holder
from floor.core.scanning.context import Reject
from floor.models import PartRequest, Reservation, StockLevel, WorkOrder
from floor.models.requests import OPEN_REQUEST_STATUSES
from floor.models.workorders import CLOSED_STATUSES

MAX_LINES = 200


MAX_QTY = 100_000


class DemandError(Reject):
    """A request rule refused the change (its HTTP status by code in `floor.http.errors`)."""


class Person(Protocol):
    """Who acts: a `User` row or the scan path's `UserInfo`."""

    @property
    def id(self) -> int: ...

    @property
    def role(self) -> str: ...

    @property
    def name(self) -> str: ...


class StockView(Protocol):
    """How the followers see stock on the scan path: on-hand from the scan's ledger (moves not yet written),
    the scan's warning line, and what the counter was told (for the scan's effects). Outside scans: None."""

    def on_hand(self, part_id: int) -> int: ...

    def warning_line(self, part_ids: Sequence[int]) -> None: ...

    def told(self, alerts: list[dict[str, Any]]) -> None: ...


@dataclass(frozen=True)
class Ask:
    """One asked line: a part and how many."""

    part_id: int
    part_no: str
    qty: int
    unit_cost: Decimal
    reorder_point: int = 1  # unknown: assume the part has a warning line


def approval_value(cfg: Any) -> Decimal | None:
    """`[requisition] approval_value`: a line worth more (qty × unit cost) waits for a supervisor; None = off."""
    raw = ((getattr(cfg, "raw", None) or {}).get("requisition") or {}).get("approval_value")
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise ValueError(f"[requisition] approval_value must be a number, not {raw!r}") from None
    return value if value >= 0 else None


def require(table: RoleTable, who: Person | None, action: str) -> None:
    """The site's role table's verdict as a request rule: `role_denied` (403) naming who and what."""
    try:
        table.require(who, action)
    except NotAllowed as exc:
        raise DemandError("role_denied", **exc.params) from None


def holder(line: PartRequest) -> Holder:
    """The reservation holder of a line."""
    return Holder("request", line.id, line.work_order_id)


def status_for(status: str, qty: int, issued: int, awaiting: bool, held: int) -> str:
    """What a line's status is, given its counts, whether it still awaits approval, and what it holds."""
    if status == "cancelled":
        return "cancelled"
    if qty - issued <= 0:
        return "issued"
    if awaiting:
        return "awaiting_approval"
    if held >= qty - issued:
        return "reserved"
    return "partial" if held > 0 else "backordered"


def status_of(line: PartRequest, held: int) -> str:
    """What a line's status is, given what it holds now."""
    awaiting = bool(line.needs_approval) and line.approved_at is None
    return status_for(line.status, line.qty, line.issued, awaiting, held)


def refresh(session: Session, line: PartRequest, held: int | None = None) -> str:
    """Set a line's status from what it holds; return it."""
    line.status = status_of(line, reservations.held(session, holder(line)) if held is None else held)
    return line.status


def check_qty(qty: Any, where: str = "qty") -> int:
    """A requested quantity: a whole number from 1 up (`bad_qty`, 400, otherwise)."""
    if isinstance(qty, bool) or not isinstance(qty, int) or not 0 < qty <= MAX_QTY:
        raise DemandError("bad_request_qty", qty=str(qty)[:20], where=where)
    return qty


def check_open(wo: WorkOrder) -> None:
    """Requests are for open jobs only (`wo_closed`)."""
    if wo.status in CLOSED_STATUSES:
        raise DemandError("wo_closed", number=wo.number, status=wo.status)


def recheck_warning_line(session: Session, part_ids: set[int], at: datetime) -> None:
    """Reserved stock is not free stock: holds move a part across its warning line like issues do."""
    if part_ids:
        evaluate_parts(session, part_ids, at)


def get_line(session: Session, line_id: int, lock: bool = False) -> PartRequest:
    """A request line by id (`unknown_request`, 404); `lock` locks it for a change.

    The part's level rows are locked before the line, the order an issue scan takes them in
    (levels at its prefetch, the line when it writes), so the two cannot deadlock.
    """
    part_id = session.scalar(select(PartRequest.part_id).where(PartRequest.id == line_id))
    if part_id is None:
        raise DemandError("unknown_request", id=line_id)
    stmt = select(PartRequest).where(PartRequest.id == line_id)
    if lock:
        session.execute(
            select(StockLevel.qty)
            .where(StockLevel.part_id == part_id)
            .order_by(StockLevel.location_id)
            .with_for_update()
        ).all()
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    line = session.scalar(stmt)
    assert line is not None
    return line


def check_line_open(line: PartRequest) -> None:
    if line.status not in OPEN_REQUEST_STATUSES:
        raise DemandError("request_closed", id=line.id, status=line.status)


def held_of(session: Session, line_ids: Iterable[int]) -> dict[int, int]:
    """What each line holds now (lines holding nothing are absent)."""
    ids = list(line_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Reservation.holder_id, Reservation.qty).where(
            Reservation.holder == "request", Reservation.holder_id.in_(ids)
        )
    )
    return {int(i): int(q) for i, q in rows}
