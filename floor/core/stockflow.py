"""What receiving, customer returns and the warning line share: their error, one stock transaction, look-ups.

A `StockTxn` is the stock side of one change made outside the scan path (an
API call): it owns a `Ledger` and, at `finish`, writes the moves and
re-evaluates the warning line of the parts they touched. Scan handlers build
one from their `ScanContext` instead, over the scan's own ledger.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core.alerts import evaluate_parts
from floor.core.demand.followers import follow_stock
from floor.core.inputs import MAX_ROW_ID
from floor.core.ledger import Ledger, NegativeStock
from floor.core.scanning.context import Reject, ScanContext, refuse_negative
from floor.models import Location, Part

# Ids beyond PostgreSQL's integer range name nothing (rather than failing the query).
MAX_ID = MAX_ROW_ID


def follow(session: Session, part_ids: Iterable[int]) -> None:
    """Stock of these parts moved outside scans (moves written): what follows every stock write, in order.

    Called after an API stock transaction's, a count's or an import's moves are written, before the
    warning line is judged: the holds of request and sale lines follow the stock (trimmed when it left,
    given to waiting lines when it came: `floor.core.demand.followers.follow_stock`).
    """
    ids = sorted(set(part_ids))
    if ids:
        follow_stock(session, ids)


class StockFlowError(Reject):
    """A receiving or returns rule refused a change: a rejected scan, or an API 4xx (status by code in `floor.http.errors`)."""


class PartLike(Protocol):
    """A part as the scan path (`PartInfo`) or the API (`Part`) knows it."""

    @property
    def id(self) -> int: ...
    @property
    def part_no(self) -> str: ...
    @property
    def unit_cost(self) -> Decimal: ...
    @property
    def allow_negative(self) -> bool: ...


class LocationLike(Protocol):
    """A bin as the scan path (`LocationInfo`) or the API (`Location`) knows it."""

    @property
    def id(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def kind(self) -> str: ...


@dataclass
class StockTxn:
    """One change's session, ledger, time and actor; `event_id` ties it to a scan."""

    session: Session
    ledger: Ledger
    at: datetime
    actor_id: int | None = None
    event_id: int | None = None
    scan: ScanContext | None = None
    touched: set[int] = field(default_factory=set)

    @classmethod
    def of_scan(cls, ctx: ScanContext, actor_id: int | None) -> StockTxn:
        """The transaction of a scan: its ledger, time and event."""
        return cls(ctx.session, ctx.ledger, ctx.at, actor_id, ctx.event_id, ctx)

    @classmethod
    def begin(cls, session: Session, at: datetime, actor_id: int | None = None) -> StockTxn:
        """A transaction of its own (API calls)."""
        return cls(session, Ledger(session), at, actor_id)

    def move(
        self,
        part: PartLike,
        loc: LocationLike,
        qty: int,
        reason: str,
        ref: str | None = None,
        unit_cost: Decimal | None = None,
    ) -> Any:
        """Buffer one move; a bin that would go negative is a rejection naming part and bin."""
        try:
            mv = self.ledger.move(
                part.id,
                loc.id,
                qty,
                reason,
                self.at,
                part.unit_cost if unit_cost is None else unit_cost,
                allow_negative=part.allow_negative,
                event_id=self.event_id,
                actor_id=self.actor_id,
                ref=ref,
            )
        except NegativeStock as exc:
            raise refuse_negative(exc, part.part_no, loc.code) from None
        self.touched.add(part.id)
        return mv

    def finish(self) -> None:
        """Write the moves and re-evaluate the warning line of every part they touched (API only)."""
        assert self.scan is None, "the scan engine flushes a scan's ledger"
        self.ledger.flush()
        self.session.flush()
        if self.touched:
            follow(self.session, self.touched)
            evaluate_parts(self.session, self.touched, self.at)


def part_by_no(session: Session, part_no: str) -> Part:
    """An active part by number, or a 404-style error."""
    part = session.scalar(select(Part).where(Part.part_no == part_no, Part.active.is_(True)))
    if part is None:
        raise StockFlowError("unknown_part", text=part_no[:60])
    return part


def location_by_code(session: Session, code: str) -> Location:
    """An active bin by code, or an error naming it."""
    loc = session.scalar(select(Location).where(Location.code == code, Location.active.is_(True)))
    if loc is None:
        raise StockFlowError("unknown_location", code=code[:40])
    return loc


def quarantine_bin(session: Session, code: str | None = None) -> Location:
    """The named quarantine bin, or the first active one (by code)."""
    if code:
        loc = location_by_code(session, code)
        if loc.kind != "quarantine":
            raise StockFlowError("not_quarantine_bin", code=loc.code, kind=loc.kind)
        return loc
    first = session.scalar(
        select(Location)
        .where(Location.kind == "quarantine", Location.active.is_(True))
        .order_by(Location.code)
        .limit(1)
    )
    if first is None:
        raise StockFlowError("no_quarantine_bin")
    return first
