"""Counting by scans: `CNT:<id>`, `L:<bin>`, part scans in COUNT mode, recount, UNDO of a count scan.

- `CNT:<id>` (at a station whose kind allows COUNT) puts the count in session and selects COUNT mode.
- `L:<bin>` in a count sets the bin, which must belong to the count; the first one starts the bin's pass 1.
- A part scan adds 1 (or the pending `Q:n`) to the (bin, part) line of the current pass.
- `CMD:COUNT` with a bin in session starts a recount of that bin: the next pass replaces the bin's
  lines (a part not found again counts as zero).
- `CMD:UNDO` right after a count scan takes that scan's quantity back.

Every handler checks first and changes the count last, so a rejected scan changes nothing.
Results never show expected quantities of a blind count.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import inspect, select

from floor.core.catalog import LocationInfo, PartInfo
from floor.core.inputs import ascii_int
from floor.core.ledger import on_hand_at
from floor.core.scanning.context import Handler, Outcome, Reject, ScanContext
from floor.models import CountLine, CountLocation, CountSession

COUNT_STATUS_ZH = {"open": "进行中", "approved": "审批", "cancelled": "取消"}


def _counting(ctx: ScanContext) -> bool:
    return ctx.state.mode == "COUNT" and ctx.state.count_id is not None


def _cached(ctx: ScanContext, key: tuple[Any, ...]) -> Any:
    """A count row an earlier scan of this write transaction loaded, if it is still in the session.

    `ctx.cache` lives for one write transaction (`ScanTxn`), and every row kept in it stays
    true for that transaction: the count is held FOR SHARE on PostgreSQL (approval, like any
    change of its status, waits for the row), its bins and lines FOR UPDATE, and on SQLite the
    transaction (BEGIN IMMEDIATE) is the only writer. A row a rolled-back savepoint added
    (careful mode) has left the session and is read again.
    """
    obj = ctx.cache.get(key)
    if obj is None:
        return None
    state = inspect(obj)
    return obj if (state.persistent or state.pending) and obj not in ctx.session.deleted else None


def _load_count(ctx: ScanContext, count_id: int) -> CountSession | None:
    key = ("count", count_id)
    count = _cached(ctx, key)
    if count is not None:
        return cast(CountSession, count)
    stmt = select(CountSession).where(CountSession.id == count_id).execution_options(populate_existing=True)
    if ctx.ledger.pg:
        stmt = stmt.with_for_update(read=True)  # approval takes it FOR UPDATE: no counting into a count being approved
    count = ctx.session.scalar(stmt)
    if count is not None:
        ctx.cache[key] = count
    return count


def _check_open(ctx: ScanContext, count: CountSession) -> None:
    if count.status != "open":
        raise Reject("count_closed", id=count.id, state=count.status, state_zh=COUNT_STATUS_ZH.get(count.status))
    if ctx.at < count.created_at:
        raise Reject("count_not_started", id=count.id, at=ctx.at.isoformat(timespec="seconds"))


def _open_count(ctx: ScanContext) -> CountSession:
    """The count in session, which must exist, be open and have been opened before this scan."""
    if ctx.state.count_id is None:
        raise Reject("no_count")
    count = _load_count(ctx, ctx.state.count_id)
    if count is None:
        raise Reject("unknown_count", id=ctx.state.count_id)
    _check_open(ctx, count)
    return count


def _count_bin(ctx: ScanContext, count: CountSession, loc: LocationInfo) -> CountLocation:
    key = ("count_bin", count.id, loc.id)
    cl = _cached(ctx, key)
    if cl is None:
        # FOR UPDATE on PostgreSQL: every scan that reads the bin's row writes it (_touch, recount), and
        # the row is kept for the transaction, so no other station's pass or recount is overwritten.
        cl = ctx.session.get(CountLocation, (count.id, loc.id), populate_existing=True, with_for_update=ctx.ledger.pg)
        if cl is None:
            raise Reject("bin_not_in_count", bin=loc.code, id=count.id)
        ctx.cache[key] = cl
    return cast(CountLocation, cl)


def _count_line(ctx: ScanContext, count: CountSession, loc: LocationInfo, part: PartInfo) -> CountLine | None:
    """The (bin, part) line of the count, locked on PostgreSQL; kept for the transaction once it exists."""
    key = ("count_line", count.id, loc.id, part.id)
    line = _cached(ctx, key)
    if line is not None:
        return cast(CountLine, line)
    stmt = (
        select(CountLine)
        .where(CountLine.count_id == count.id, CountLine.location_id == loc.id, CountLine.part_id == part.id)
        .execution_options(populate_existing=True)
    )
    if ctx.ledger.pg:
        stmt = stmt.with_for_update()
    line = ctx.session.scalar(stmt)
    if line is not None:
        ctx.cache[key] = line
    return line


def _touch(cl: CountLocation, station: str, at: datetime) -> None:
    if cl.pass_no == 0:
        cl.pass_no, cl.counted_at = 1, at
    cl.finished_at = max(cl.finished_at, at) if cl.finished_at else at
    cl.station = station


def scan_count_sheet(ctx: ScanContext) -> Outcome:
    """`CNT:<id>` selects the count and COUNT mode at a station that may count."""
    ctx.check_mode("COUNT")
    value = ctx.code.value
    count_id = ascii_int(value, 1, 999_999_999)
    if count_id is None:
        raise Reject("unknown_count", id=value[:20])
    count = _load_count(ctx, count_id)
    if count is None:
        raise Reject("unknown_count", id=value)
    _check_open(ctx, count)
    state = ctx.state
    state.count_id, state.mode, state.location_id, state.pending_qty = count.id, "COUNT", None, None
    state.extra.pop("move_part", None)
    state.extra.pop("last_count", None)
    return Outcome(
        "count_set",
        {"id": count.id, "kind": count.kind, "mode": "COUNT"},
        {"count": count.id, "mode": "COUNT", "blind": count.blind},
    )


def scan_location(ctx: ScanContext, otherwise: Handler) -> Outcome:
    """`L:<bin>` while counting sets the bin being counted; otherwise `otherwise` (the session's bin scan)."""
    if not _counting(ctx):
        return otherwise(ctx)
    loc = ctx.catalog.location_by_code.get(ctx.code.value)
    if loc is None:
        raise Reject("unknown_location", code=ctx.code.value[:40])
    count = _open_count(ctx)
    cl = _count_bin(ctx, count, loc)
    if (
        cl.station not in (None, ctx.station.name)
        and cl.finished_at is not None
        and (ctx.at - cl.finished_at).total_seconds() < ctx.station.idle_timeout_s
    ):
        raise Reject("bin_busy", bin=loc.code, station=cl.station)
    _touch(cl, ctx.station.name, ctx.at)
    ctx.state.location_id = loc.id
    ctx.state.extra.pop("last_count", None)
    return Outcome(
        "count_bin_set",
        {"code": loc.code, "id": count.id},
        {"count": count.id, "location": loc.code, "pass": cl.pass_no},
    )


def count_part(ctx: ScanContext, part: PartInfo) -> Outcome:
    """A part scan in COUNT mode adds to the counted quantity of that part in the session's bin."""
    count = _open_count(ctx)
    actor = ctx.allowed("count")
    if ctx.state.location_id is None:
        raise Reject("no_location")
    loc = ctx.catalog.locations.get(ctx.state.location_id)
    if loc is None:
        raise Reject("no_location")
    cl = _count_bin(ctx, count, loc)
    qty = ctx.take_qty()
    line = _count_line(ctx, count, loc, part)
    _touch(cl, ctx.station.name, ctx.at)
    who = actor.id if actor else None
    if line is None:
        line = CountLine(
            count_id=count.id,
            location_id=loc.id,
            part_id=part.id,
            counted=qty,
            counted_at=ctx.at,
            counted_by=who,
            pass_no=cl.pass_no,
            recount=cl.pass_no - 1,
        )
        ctx.session.add(line)
        ctx.cache[("count_line", count.id, loc.id, part.id)] = line
    elif line.pass_no != cl.pass_no:  # first scan of this part in a recount: it replaces the earlier count
        line.counted, line.counted_at, line.counted_by = qty, ctx.at, who
        line.pass_no, line.recount = cl.pass_no, cl.pass_no - 1
    else:
        line.counted += qty
    ctx.state.extra["last_count"] = {
        "event": ctx.event_id,
        "count": count.id,
        "location_id": loc.id,
        "part_id": part.id,
        "qty": qty,
        "pass": cl.pass_no,
    }
    effects: dict[str, Any] = {
        "count": count.id,
        "bin": loc.code,
        "part_no": part.part_no,
        "added": qty,
        "counted": line.counted,
    }
    if not count.blind:
        ctx.session.flush()
        effects["expected"] = on_hand_at(ctx.session, part.id, loc.id, line.counted_at)
    return Outcome(
        "counted", {"qty": qty, "part_no": part.part_no, "bin": loc.code, "total": line.counted}, effects, txn=True
    )


def count_command(ctx: ScanContext, otherwise: Handler) -> Outcome:
    """`CMD:COUNT` with a bin being counted starts its recount; otherwise `otherwise` (selecting COUNT mode)."""
    if not (_counting(ctx) and ctx.state.location_id is not None):
        return otherwise(ctx)
    count = _open_count(ctx)
    ctx.allowed("count")
    loc = ctx.catalog.locations.get(ctx.state.location_id)
    if loc is None:
        raise Reject("no_location")
    cl = _count_bin(ctx, count, loc)
    cl.pass_no = max(cl.pass_no, 1) + 1
    cl.counted_at = cl.finished_at = ctx.at
    cl.station = ctx.station.name
    ctx.state.extra.pop("last_count", None)
    return Outcome(
        "recount_started",
        {"code": loc.code, "pass": cl.pass_no},
        {"count": count.id, "location": loc.code, "pass": cl.pass_no},
    )


def undo_count_scan(ctx: ScanContext, event_id: int) -> None:
    """UNDO right after a count scan takes its quantity back off the line."""
    last = ctx.state.extra.get("last_count")
    if not last or last.get("event") != event_id:
        return
    count = _load_count(ctx, int(last["count"]))
    if count is None:
        return
    _check_open(ctx, count)
    line = ctx.session.scalar(
        select(CountLine)
        .where(
            CountLine.count_id == count.id,
            CountLine.location_id == last["location_id"],
            CountLine.part_id == last["part_id"],
        )
        .execution_options(populate_existing=True)
    )
    if line is None or line.pass_no != last["pass"]:
        return
    line.counted = max(0, line.counted - int(last["qty"]))
    if line.counted == 0:
        ctx.session.delete(line)
        ctx.cache.pop(("count_line", count.id, last["location_id"], last["part_id"]), None)
    ctx.state.extra.pop("last_count", None)
