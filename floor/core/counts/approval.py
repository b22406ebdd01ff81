"""Supervisor approval: post one adjustment per variance line, then freeze the count.

Each adjustment is `counted - expected` (the variance as of the line's count
time), posted now with reason "adjust" and ref `CNT:<id>`. The bin then holds
the counted quantity plus every move made since it was counted, which is the
physical truth when the count was right. Adjustments may take a bin below zero
(the count says there is less than was issued since); such lines are listed in
the result so the supervisor can follow up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from floor import clock
from floor.core import stockflow
from floor.core.alerts import evaluate_parts
from floor.core.authority import BadgeError, RoleTable, person_shown, resolve_badge
from floor.core.changes import COUNTS, MASTER, publish
from floor.core.counts import CountError
from floor.core.counts.settings import CountSettings
from floor.core.counts.variance import CENT, VarianceRow, _live_rows, needs_recount
from floor.core.ledger import Ledger
from floor.core.pins import refuse_own_work, verify_pin
from floor.models import CountLine, CountLocation, CountSession, Location, StockLevel, User
from floor.models.base import table_of
from floor.models.counts import VarianceReason


def _preload_levels(ledger: Ledger, count_id: int, keys: Iterable[tuple[int, int]]) -> None:
    """Fill the ledger's level cache for the count's (part, bin) keys in one query, locking them on PostgreSQL.

    Keys with no level row yet (a part found where it never was) get one, so `Ledger.move` needs no query.
    """
    wanted = set(keys)
    level = table_of(StockLevel)
    in_count = select(CountLocation.location_id).where(CountLocation.count_id == count_id)
    stmt = select(level.c.part_id, level.c.location_id, level.c.qty).where(level.c.location_id.in_(in_count))
    if ledger.pg:
        stmt = stmt.order_by(level.c.part_id, level.c.location_id).with_for_update()
    for p, loc, qty in ledger.session.execute(stmt):
        if (p, loc) in wanted:
            ledger.levels[(p, loc)] = int(qty)
    missing = sorted(k for k in wanted if k not in ledger.levels)
    if missing:
        insert = pg_insert if ledger.pg else sqlite_insert
        ledger.session.execute(
            insert(level).on_conflict_do_nothing(), [{"part_id": p, "location_id": loc, "qty": 0} for p, loc in missing]
        )
        for i in range(0, len(missing), 500):
            chunk = missing[i : i + 500]
            stmt = select(level.c.part_id, level.c.location_id, level.c.qty).where(
                tuple_(level.c.part_id, level.c.location_id).in_(chunk)
            )
            for p, loc, qty in ledger.session.execute(stmt.with_for_update() if ledger.pg else stmt):
                ledger.levels[(p, loc)] = int(qty)


def _approver(session: Session, badge: str, roles: RoleTable) -> User:
    """The person whose badge approves: resolved by the one badge look-up, allowed `approve_count`."""
    try:
        user = resolve_badge(session, badge)
    except BadgeError as exc:
        raise CountError(exc.code, badge=exc.params["badge"], name=exc.params["name"]) from None
    if not roles.may(user.role, "approve_count"):
        # The message names who may, so the person at the kiosk knows whose badge to fetch.
        allowed = sorted(roles.roles_for("approve_count"))
        raise CountError("role_denied", name=user.name, role=user.role, action="approve_count", allowed=allowed)
    return user


def _reason_map(
    rows: list[VarianceRow], reasons: Mapping[tuple[str, str], str] | None, default_reason: str
) -> dict[tuple[str, str], str]:
    if default_reason not in VarianceReason.values():
        raise CountError("count_bad_reason", valid=", ".join(VarianceReason.values()), reason=default_reason)
    given = dict(reasons or {})
    keys = {(r.location, r.part_no) for r in rows if r.variance}
    for key, why in given.items():
        if why not in VarianceReason.values():
            raise CountError(
                "count_bad_line_reason",
                bin=key[0],
                part_no=key[1],
                valid=", ".join(VarianceReason.values()),
                reason=why,
            )
        if key not in keys:
            raise CountError("count_no_variance_line", bin=key[0], part_no=key[1])
    return given


def approve_count(
    session: Session,
    count_id: int,
    badge: str,
    settings: CountSettings,
    reasons: Mapping[tuple[str, str], str] | None = None,
    default_reason: str = "unknown",
    override_recount: bool = False,
    allow_partial: bool = False,
    at: datetime | None = None,
    *,
    roles: RoleTable,
    pin: object = None,
) -> dict[str, Any]:
    """Approve a count with a supervisor's badge and PIN: post its adjustments and freeze its lines.

    Four eyes (SPEC 10.6): nobody who counted a line of it may approve it (`four_eyes`); the approver's PIN is
    checked last (`pin_required`, `bad_pin`, `pin_locked`, ...: floor.core.pins).

    `reasons` maps (bin code, part_no) to a reason code; other variance lines get `default_reason`.
    Raises CountError (nothing changed) for an unknown count, an approved one, a non-supervisor,
    bins not counted yet (unless `allow_partial`) or lines needing a recount (unless `override_recount`).
    """
    stmt = select(CountSession).where(CountSession.id == count_id).execution_options(populate_existing=True)
    ledger = Ledger(session)
    if ledger.pg:
        stmt = stmt.with_for_update()
    count = session.scalar(stmt)
    if count is None:
        raise CountError("no_such_count", id=count_id)
    if count.status != "open":
        raise CountError("count_already_closed", id=count_id, state=count.status)
    user = _approver(session, badge, roles)
    counters = session.scalars(select(CountLine.counted_by).where(CountLine.count_id == count_id).distinct())
    refuse_own_work(user, counters, "approve_count")
    verify_pin(session, user, pin, now=at or clock.now(), action="approve_count")
    uncounted = list(
        session.scalars(
            select(Location.code)
            .join(CountLocation, CountLocation.location_id == Location.id)
            .where(CountLocation.count_id == count_id, CountLocation.pass_no == 0)
            .order_by(Location.code)
        )
    )
    if uncounted and not allow_partial:
        raise CountError("count_uncounted", {"bins": uncounted}, n=len(uncounted), bins=", ".join(uncounted[:10]))
    rows = _live_rows(session, count_id)
    recount = [] if override_recount else sorted({r.location for r in rows if needs_recount(r, settings)})
    if recount:
        raise CountError("count_recount_required", {"bins": recount}, n=len(recount), bins=", ".join(recount[:10]))
    why = _reason_map(rows, reasons, default_reason)
    now = at or clock.now()
    variances = [r for r in rows if r.variance]
    _preload_levels(ledger, count_id, ((r.part_id, r.location_id) for r in variances))
    ledger.ids.block = max(64, len(variances))
    move_ids: dict[tuple[int, int], int] = {}
    negative: list[str] = []
    ref = f"CNT:{count_id}"
    for r in variances:
        mv = ledger.move(
            r.part_id,
            r.location_id,
            r.variance,
            "adjust",
            now,
            r.unit_cost,
            allow_negative=True,
            actor_id=user.id,
            ref=ref,
        )
        move_ids[(r.location_id, r.part_id)] = mv.id
        if ledger.levels[(r.part_id, r.location_id)] < 0:
            negative.append(f"{r.location} {r.part_no}")
    ledger.flush()
    # Adjustments move stock like any issue or receipt: holds follow it (trimmed to a shortage,
    # given to waiting jobs from an overage), and the warning line must see them.
    stockflow.follow(session, {r.part_id for r in variances})
    evaluate_parts(session, {r.part_id for r in variances}, now)
    _freeze(session, count_id, rows, why, default_reason, move_ids)
    count.status, count.approved_at, count.approved_by = "approved", now, user.id
    session.flush()
    publish(session, COUNTS, count=count_id)
    publish(session, MASTER)  # stock levels moved: alerts and the board's part shortfalls
    over = sum((r.value for r in variances if r.variance > 0), Decimal(0))
    short = sum((-r.value for r in variances if r.variance < 0), Decimal(0))
    return {
        "id": count_id,
        "status": "approved",
        "approved_by": person_shown(user.name, user.role),
        "approved_at": now.isoformat(),
        "lines": len(rows),
        "adjustments": len(variances),
        "overage_value": str(over.quantize(CENT)),
        "shortage_value": str(short.quantize(CENT)),
        "net_value": str((over - short).quantize(CENT)),
        "negative_after": negative,
        "uncounted_bins": uncounted,
    }


def _freeze(
    session: Session,
    count_id: int,
    rows: list[VarianceRow],
    why: dict[tuple[str, str], str],
    default_reason: str,
    move_ids: dict[tuple[int, int], int],
) -> None:
    """Store each line's expected, unit cost, reason and adjustment (and the zero counts) on its count line."""
    current, stale, inserts = [], [], []
    for r in rows:
        values: dict[str, Any] = {
            "expected": r.expected,
            "unit_cost": r.unit_cost,
            "move_id": move_ids.get((r.location_id, r.part_id)),
            "reason": (why.get((r.location, r.part_no)) or r.reason or default_reason) if r.variance else None,
        }
        if r.line_id is None:  # expected but never counted
            inserts.append(
                {
                    "count_id": count_id,
                    "location_id": r.location_id,
                    "part_id": r.part_id,
                    "counted": 0,
                    "counted_at": r.at,
                    "pass_no": r.pass_no,
                    "recount": r.pass_no - 1,
                    **values,
                }
            )
        elif r.counted_current:
            current.append({"lid": r.line_id, **values})
        else:  # counted in an earlier pass, not found by the recount: a zero count now
            stale.append({"lid": r.line_id, "z": 0, "t": r.at, "p": r.pass_no, "rc": r.pass_no - 1, **values})
    line = table_of(CountLine)
    frozen: dict[str, Any] = {c: bindparam(c) for c in ("expected", "unit_cost", "reason", "move_id")}
    if current:
        # The bulk of a big count: plain DBAPI executemany skips SQLAlchemy's per-row parameter work.
        sqlite = session.get_bind().dialect.name == "sqlite"
        mark = "?" if sqlite else "%s"
        sql = (
            f"UPDATE count_lines SET expected = {mark}, unit_cost = {mark}, reason = {mark}, move_id = {mark} "
            f"WHERE id = {mark}"
        )
        session.connection().exec_driver_sql(
            sql,
            [
                (
                    v["expected"],
                    float(v["unit_cost"]) if sqlite else v["unit_cost"],
                    v["reason"],
                    v["move_id"],
                    v["lid"],
                )
                for v in current
            ],
        )
    if stale:
        session.execute(
            update(line)
            .where(line.c.id == bindparam("lid"))
            .values(
                counted=bindparam("z"),
                counted_at=bindparam("t"),
                pass_no=bindparam("p"),
                recount=bindparam("rc"),
                **frozen,
            ),
            stale,
        )
    if inserts:
        session.execute(line.insert(), inserts)


def set_reasons(session: Session, count_id: int, reasons: Mapping[tuple[str, str], str]) -> int:
    """Record reason codes on lines of an open count ahead of approval; return how many were set."""
    count = session.get(CountSession, count_id)
    if count is None:
        raise CountError("no_such_count", id=count_id)
    if count.status != "open":
        raise CountError("count_no_longer_open", id=count_id, state=count.status)
    rows = _live_rows(session, count_id)
    _reason_map(rows, reasons, "unknown")
    by_key = {(r.location, r.part_no): r for r in rows}
    n = 0
    for key, why in reasons.items():
        r = by_key[key]
        if r.line_id is None:  # expected but not counted: a zero line carries the reason
            session.add(
                CountLine(
                    count_id=count_id,
                    location_id=r.location_id,
                    part_id=r.part_id,
                    counted=0,
                    counted_at=r.at or clock.now(),
                    pass_no=0,
                    reason=why,
                )
            )
        else:
            session.execute(update(CountLine).where(CountLine.id == r.line_id).values(reason=why))
        n += 1
    return n
