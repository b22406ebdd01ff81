"""What a scan handler works with: the station's state, caches, the ledger, and rejection."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from floor.core import rawsql
from floor.core.authority import RoleTable
from floor.core.catalog import Catalog, LocationInfo, PartInfo, UserInfo
from floor.core.codes import Code, Kind
from floor.core.label_queue import LabelQueue
from floor.core.ledger import Ledger, Move, NegativeStock
from floor.core.refusal import Refusal
from floor.core.site import Site, Station
from floor.models import StationSession, WorkOrder
from floor.models.base import table_of
from floor.models.master import AVAILABLE_KINDS, LocationKind
from floor.models.workorders import CLOSED_STATUSES

_STATE_COLUMNS = (
    "actor_id",
    "mode",
    "work_order_id",
    "location_id",
    "pending_qty",
    "count_id",
    "extra",
    "last_scan_at",
    "last_txn_event_id",
)
_STATIONS = table_of(StationSession)
_LOAD = {
    lock: rawsql.select_where(_STATIONS, _STATE_COLUMNS, ["station"], "FOR UPDATE" if lock else "")
    for lock in (False, True)
}
_UPDATE = rawsql.update_where(_STATIONS, _STATE_COLUMNS, ["station"])
_INSERT = rawsql.insert_into(_STATIONS, [*_STATE_COLUMNS, "station"])
_JOB = rawsql.select_where(
    table_of(WorkOrder), ["id", "number", "status", "technician_id", "parts_unauthorized", "clocked_on"], ["id"]
)
_WO_MAPPER = sa_inspect(WorkOrder)
# The role a scan without a badge is checked as at a station with `require_badge = false`.
ANONYMOUS_ROLE = "technician"
_ROLES = ("role_table",)  # the key of the role table in a transaction's cache
# Station state that belongs to the person who started it: a new badge clears it (SPEC 9.1).
PENDING_KEYS = ("move_part", "return_reason")


class Reject(Refusal):
    """Raised by a handler: the scan is rejected with this result code and changes nothing."""


def insufficient_stock(part_no: object, bin_code: object, on_hand: int, qty: int) -> Reject:
    """The one refusal for taking `qty` from a bin that holds `on_hand`; names the part and the bin."""
    return Reject("insufficient_stock", on_hand=on_hand, part_no=part_no, bin=bin_code, qty=qty)


def refuse_negative(exc: NegativeStock, part_no: object, bin_code: object) -> Reject:
    """The ledger's NegativeStock as the insufficient-stock refusal."""
    return insufficient_stock(part_no, bin_code, exc.on_hand, -exc.qty)


def check_enough(on_hand: int, qty: int, part_no: str, bin_code: str, allow_negative: bool) -> None:
    """Refuse up front taking `qty` from a bin holding `on_hand` (unless the part may go negative)."""
    if on_hand < qty and not allow_negative:
        raise insufficient_stock(part_no, bin_code, on_hand, qty)


@dataclass
class Outcome:
    """An accepted scan's result: its code, message parameters, effects, and whether it moved stock."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    effects: dict[str, Any] = field(default_factory=dict)
    txn: bool = False


@dataclass(frozen=True)
class JobRef:
    """What stock scans need of the job in session, read without loading the ORM object."""

    id: int
    number: str
    status: str
    technician_id: int | None
    # Read with the job so the issue path asks nothing more of a job without them (floor.core.repair,
    # floor.core.clocking): its part lines the customer has not said yes to, the technicians clocked on now.
    parts_unauthorized: int = 0
    clocked_on: int = 0

    @property
    def is_open(self) -> bool:
        """True unless delivered or cancelled."""
        return self.status not in CLOSED_STATUSES


@dataclass
class StationState:
    """The scan session of one station (mirrors the station_sessions row)."""

    station: str
    actor_id: int | None = None
    mode: str | None = None
    work_order_id: int | None = None
    location_id: int | None = None
    pending_qty: int | None = None
    count_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    last_scan_at: datetime | None = None
    last_txn_event_id: int | None = None
    row: bool = field(default=False, repr=False, compare=False)  # the station's row exists in the database

    def clear(self) -> None:
        """Forget everything but the station's name (DONE or idle timeout)."""
        self.__init__(self.station, row=self.row)  # type: ignore[misc]

    def clear_pending(self) -> None:
        """Forget the pending quantity and the mode's half-done step (a new person took over)."""
        self.pending_qty = None
        for key in PENDING_KEYS:
            self.extra.pop(key, None)

    def snapshot(self) -> StationState:
        """A copy to restore when a scan is rejected (only `extra` holds nested values)."""
        twin = object.__new__(StationState)  # every scan takes one: a plain field copy, not copy.copy's protocol
        twin.__dict__.update(self.__dict__)
        twin.extra = copy.deepcopy(self.extra) if self.extra else {}
        return twin

    @classmethod
    def load(cls, session: Session, station: str, lock: bool) -> StationState:
        """Read (and on PostgreSQL lock) the station's session row; a new station starts empty."""
        rows = rawsql.run(session, _LOAD[lock], (station,))
        if not rows:
            return cls(station)
        actor, mode, wo, loc, qty, count, extra, last_at, last_txn = rows[0]
        return cls(station, actor, mode, wo, loc, qty, count, json.loads(extra or "{}"), last_at, last_txn, True)

    def save(self, session: Session) -> None:
        """Write the state back into its row (Core statements: this runs once per batch on the scan path)."""
        values = (
            self.actor_id,
            self.mode,
            self.work_order_id,
            self.location_id,
            self.pending_qty,
            self.count_id,
            json.dumps(self.extra, sort_keys=True),
            self.last_scan_at,
            self.last_txn_event_id,
            self.station,
        )
        if self.row:
            rawsql.run(session, _UPDATE, values)
        else:
            rawsql.run(session, _INSERT, values)
            self.row = True


# What the engine dispatches to. The tables are put together in one place, `floor.core.wiring`, and
# passed to the engine (through `ScanService`); every scan reaches them as `ctx.wiring`.
Handler = Callable[["ScanContext"], Outcome]
PartHandler = Callable[["ScanContext", PartInfo], Outcome]
JobHook = Callable[["ScanContext", PartInfo, int, JobRef, Move, Outcome], None]  # issued, returned
ReceiptHook = Callable[["ScanContext", PartInfo, int, LocationInfo, Move, Outcome], None]  # received
UndoHook = Callable[["ScanContext", int], None]  # undone: (ctx, the event undone)
BatchHook = Callable[[Session, dict[Any, Any], set[int]], None]  # a batch's parts, before its first scan


@dataclass(frozen=True)
class Hooks:
    """Who hears of a scan-path event, in the order they are called (a hook may still reject the scan)."""

    issued: tuple[JobHook, ...] = ()
    returned: tuple[JobHook, ...] = ()
    received: tuple[ReceiptHook, ...] = ()
    undone: tuple[UndoHook, ...] = ()
    batch_parts: tuple[BatchHook, ...] = ()  # (session, cache, part ids): to read ahead in one query


@dataclass(frozen=True)
class ScanWiring:
    """The handlers of every code kind, `CMD:` verb and part-scan mode, the hooks, and the modes of each station kind."""

    kinds: Mapping[Kind, Handler]
    commands: Mapping[str, Handler]
    modes: Mapping[str, PartHandler]
    hooks: Hooks
    station_modes: Mapping[str, frozenset[str]]  # a mode verb at a station kind not listed is rejected


@dataclass
class ScanContext:
    """Everything one scan's handler may read or change."""

    session: Session
    cfg: Site
    station: Station
    device: str
    catalog: Catalog
    ledger: Ledger
    state: StationState
    event_id: int
    at: datetime
    code: Code
    wiring: ScanWiring
    raw_text: str = ""
    # Event ids this scan undid; the engine marks them once the batch's events are written.
    undone: list[int] = field(default_factory=list)
    # Objects shared by the scans of one batch (strong references keep the ORM identity map warm).
    cache: dict[Any, Any] = field(default_factory=dict)
    # The print queue, when the runtime has one (core tags are printed through it).
    labels: LabelQueue | None = None

    def check_mode(self, mode: str) -> None:
        """Refuse a mode this station's kind may not enter (`ScanWiring.station_modes`)."""
        if mode not in self.wiring.station_modes.get(self.station.kind, ()):
            raise Reject("mode_not_allowed", mode=mode, station_kind=self.station.kind)

    # -- people, jobs, bins -----------------------------------------------------
    def roles(self) -> RoleTable:
        """The site's role table, taken from the config once per transaction (every scan checks it)."""
        table = self.cache.get(_ROLES)
        if table is None:
            table = self.cache[_ROLES] = self.cfg.role_table()
        return cast(RoleTable, table)

    def actor(self) -> UserInfo | None:
        """The person in session, if any."""
        return self.catalog.users.get(self.state.actor_id) if self.state.actor_id else None

    def require_actor(self) -> UserInfo | None:
        """The person in session; rejects when the station needs a badge and none was scanned."""
        user = self.actor()
        if user is None and self.station.require_badge:
            raise Reject("no_actor")
        return user

    def require_role(self, action: str) -> UserInfo:
        """The person in session, whose role the role table allows `action` (always needs a badge)."""
        user = self.actor()
        if user is None:
            raise Reject("no_actor")
        if not self.roles().may(user.role, action):
            raise Reject("role_denied", name=user.name, role=user.role, action=action)
        return user

    def allowed(self, action: str) -> UserInfo | None:
        """The person in session, allowed `action` by the role table; None at a badge-free station.

        A station with `require_badge = false` acts without a badge as a technician would:
        what a technician may not do (receive, move, ...) still needs a badge there.
        """
        user = self.actor()
        if user is None:
            if self.station.require_badge or not self.roles().may(ANONYMOUS_ROLE, action):
                raise Reject("no_actor")
            return None
        return self.require_role(action)

    def work_order(self) -> WorkOrder:
        """The job in session; rejects when none was scanned."""
        if self.state.work_order_id is None:
            raise Reject("no_wo")
        key = ("wo", self.state.work_order_id)
        wo = self.cache.get(key)
        if wo is None:
            wo = self.cache[key] = self.session.get(WorkOrder, self.state.work_order_id)
        if wo is None:  # deleted behind our back: treat as never scanned
            raise Reject("no_wo")
        return cast(WorkOrder, wo)

    def job(self) -> JobRef:
        """The job in session as a light reference; rejects when none was scanned.

        A job this transaction already loaded as an ORM object is read from that object,
        so a status change made by an earlier scan of the batch (not yet flushed) counts.
        """
        wo_id = self.state.work_order_id
        if wo_id is None:
            raise Reject("no_wo")
        key = ("wo", wo_id)
        wo = self.cache.get(key) or self.session.identity_map.get(_WO_MAPPER.identity_key_from_primary_key((wo_id,)))
        if wo is not None:
            return JobRef(wo.id, wo.number, wo.status, wo.technician_id, wo.parts_unauthorized or 0, wo.clocked_on or 0)
        ref = self.cache.get(("job", wo_id))
        if ref is None:
            rows = rawsql.run(self.session, _JOB, (wo_id,))
            if not rows:  # deleted behind our back: treat as never scanned
                raise Reject("no_wo")
            ref = self.cache[("job", wo_id)] = JobRef(*rows[0])
        return ref

    def open_job(self) -> JobRef:
        """The job in session (light reference), which must not be delivered or cancelled."""
        job = self.job()
        if not job.is_open:
            raise Reject("wo_closed", number=job.number, status=job.status)
        return job

    def location(self, required: bool = True) -> LocationInfo | None:
        """The bin for stock moves: the scanned one, else the station's default."""
        if self.state.location_id is not None:
            loc = self.catalog.locations.get(self.state.location_id)
            if loc is not None:
                return loc
        if self.station.default_location:
            loc = self.catalog.location_by_code.get(self.station.default_location)
            if loc is not None:
                return loc
        if required:
            raise Reject("no_location")
        return None

    def pick_location(self) -> LocationInfo:
        """The bin to issue or pick from: refused (`bin_not_pickable`) unless its stock is available (SPEC 10.6)."""
        loc = self.location()
        assert loc is not None
        if loc.kind not in AVAILABLE_KINDS:
            raise Reject("bin_not_pickable", code=loc.code, kind=loc.kind, kind_zh=LocationKind.shown(loc.kind))
        return loc

    # -- the scanned part ---------------------------------------------------------
    def part(self) -> PartInfo:
        """The part this scan names (internal label, GS1 GTIN, alias or part number)."""
        code = self.code
        part = self.catalog.part_for_code(code)
        if part is None:
            raise Reject("unknown_part" if code.kind is not Kind.BARCODE else "unknown_code", text=code.text[:60])
        return part

    def take_qty(self) -> int:
        """The quantity of this part scan: pending `Q:`, else the GS1 quantity, else 1."""
        qty = self.state.pending_qty or self.code.qty or 1
        self.state.pending_qty = None
        return qty
