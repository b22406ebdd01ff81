"""The scan side of parts demand: `CMD:REQUEST` mode, and the check every issue makes against reservations.

Its issue hook runs before the workshop's (see `floor/core/wiring.py`), so the issue
check may still refuse the scan before any other hook has written anything.

The check is on the hot path. A batch's parts have their demand (reserved total and
whether any open request line names them) read ahead in one statement (`read_ahead`), and
every write of a hold or a line drops its part from that read (floor.core.reservations);
only when either is non-zero, or the job (read by the scan anyway) has part lines of a repair order the
customer has not said yes to (`JobRef.parts_unauthorized`, kept by floor.core.repair.lines), does the
check look at the job's own lines: then it also refuses units the customer has not authorized
(`refuses_issue`, code `not_authorized`). On PostgreSQL the engine's
prefetch has already locked the part's level rows, and every reservation change locks
those rows first, so the total read after that cannot change under the issue.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from floor.core import rawsql, reservations
from floor.core.alerts import evaluate_in_scan
from floor.core.catalog import PartInfo
from floor.core.demand import rules
from floor.core.demand.lines import Ask, DemandError, approval_value, holder, status_for
from floor.core.ledger import Move
from floor.core.scanning.context import JobRef, Outcome, Reject, ScanContext
from floor.models import PartRequest, RepairLine, RequestIssue, Reservation, StockLevel
from floor.models.base import table_of
from floor.models.master import AVAILABLE_KINDS
from floor.models.repair import UNAUTHORIZED_STATUSES
from floor.models.requests import OPEN_REQUEST_STATUSES

MODE = "REQUEST"

_OPEN = ", ".join(f"'{s}'" for s in OPEN_REQUEST_STATUSES)


def demand_of(ctx: ScanContext, part_id: int) -> tuple[int, bool]:
    """The part's reserved total and whether open request lines name it (once per transaction)."""
    return reservations.scan_demand(ctx.session, ctx.cache, part_id)


def read_ahead(session: Session, cache: dict[Any, Any], part_ids: set[int]) -> None:
    """Every part of a batch has its demand read in one query before the first scan (see `demand_of`)."""
    reservations.prefetch_demand(session, cache, part_ids)


def forget(ctx: ScanContext, part_id: int) -> None:
    """This scan changed the part's reservations or lines: read them again next time."""
    reservations.forget_demand(ctx.session, part_id, ctx.cache)


_LEVELS = {
    lock: rawsql.Statement(
        f'SELECT "location_id", "qty" FROM "{StockLevel.__tablename__}" WHERE "part_id" = ?'
        f' ORDER BY "location_id"{" FOR UPDATE" if lock else ""}'
    )
    for lock in (False, True)
}


def scan_on_hand(ctx: ScanContext, part_id: int, scanned: bool = True) -> int:
    """On-hand of a part over its pickable bins as the scan's ledger sees it (moves of this transaction included).

    A part the batch scanned had every bin loaded (and locked) by the engine's prefetch. Any other
    part (one an UNDO touched) is read from the database, with the ledger's own levels laid over it.
    """
    locations = ctx.catalog.locations

    def pickable(loc: int) -> bool:  # SPEC 10.6: stock in quarantine, receiving, core or scrap bins is not available
        info = locations.get(loc)
        return info is not None and info.kind in AVAILABLE_KINDS

    if scanned:
        ctx.ledger.prefetch({part_id})
        return sum(q for (p, loc), q in ctx.ledger.levels.items() if p == part_id and pickable(loc))
    levels = dict(rawsql.run(ctx.session, _LEVELS[ctx.ledger.pg], (part_id,)))
    for (p, loc), q in ctx.ledger.levels.items():
        if p == part_id:
            levels[loc] = q
    return sum(int(q) for loc, q in levels.items() if pickable(loc))


class ScanStock:
    """The scan's view of stock for demand's followers (`lines.StockView`): on-hand as its ledger sees it,
    its warning line, and what the counter was told, for the scan's effects (as a receipt's)."""

    def __init__(self, ctx: ScanContext, scanned: bool = False) -> None:
        self.ctx, self.scanned = ctx, scanned
        self.alerts: list[dict[str, Any]] = []
        self.crossings: list[dict[str, object]] = []

    def on_hand(self, part_id: int) -> int:
        """The part's on-hand with this transaction's moves; its demand is read again after (the follower changes it)."""
        forget(self.ctx, part_id)
        return scan_on_hand(self.ctx, part_id, scanned=self.scanned)

    def warning_line(self, part_ids: Sequence[int]) -> None:
        """Judge the parts' warning line with the scan's view of stock and holds."""
        for part_id in part_ids:
            forget(self.ctx, part_id)
        self.crossings += evaluate_in_scan(self.ctx, part_ids)

    def told(self, alerts: list[dict[str, Any]]) -> None:
        """Keep what the counter was told (one alert per part)."""
        self.alerts += alerts

    def into(self, effects: dict[str, Any]) -> None:
        """Put what the counter was told into a scan's effects: who got what and the alert, as a receipt does."""
        if self.alerts:
            effects["reserved_for"] = [
                {**row, "part_no": alert["part_no"]} for alert in self.alerts for row in alert["reserved_for"]
            ]
            effects["alert"] = {
                "code": self.alerts[0]["code"],
                "message": "; ".join(a["message"] for a in self.alerts),
                "message_zh": "；".join(a["message_zh"] for a in self.alerts),
            }
        if self.crossings:
            effects.setdefault("stock_alerts", []).extend(self.crossings)


def request_mode(ctx: ScanContext) -> Outcome:
    """`CMD:REQUEST`: part scans now ask for parts for the job in session instead of issuing them."""
    ctx.check_mode(MODE)
    ctx.state.mode = MODE
    ctx.state.extra.pop("move_part", None)
    return Outcome("mode_set", {"mode": MODE}, {"mode": MODE})


def request_part(ctx: ScanContext, part: PartInfo) -> Outcome:
    """A part scan in REQUEST mode: one request line for the job in session (reserve, else backorder)."""
    actor = ctx.require_role("request_parts")
    wo = ctx.work_order()
    qty = ctx.take_qty()
    ask = Ask(part.id, part.part_no, qty, part.unit_cost)
    on_hand = scan_on_hand(ctx, part.id)
    via = f"U:{actor.badge}"
    try:
        (line,) = rules.request_parts(
            ctx.session,
            wo,
            [ask],
            actor,
            via,
            ctx.at,
            limit=approval_value(ctx.cfg),
            event_id=ctx.event_id,
            table=ctx.roles(),
            on_hand={part.id: on_hand},
        )
    except DemandError as exc:
        raise Reject(exc.code, **exc.params) from None
    forget(ctx, part.id)
    held = reservations.held(ctx.session, holder(line))
    effects: dict[str, Any] = {
        "work_order": wo.number,
        "request": {"id": line.id, "qty": qty, "reserved": held, "status": line.status},
    }
    if held:
        crossings = evaluate_in_scan(ctx, [part.id])
        if crossings:
            effects["stock_alerts"] = crossings
    return Outcome(
        f"requested_{line.status}",
        {"qty": qty, "part_no": part.part_no, "wo": wo.number, "reserved": held},
        effects,
        txn=True,
    )


_PR, _RES, _RL = table_of(PartRequest), table_of(Reservation), table_of(RepairLine)
_NOT_YES = ", ".join(f"'{s}'" for s in UNAUTHORIZED_STATUSES)
# The job's open lines of the part, and (for the repair order's check) its part lines the customer has not said
# yes to, whatever their request's status (a declined line's request is closed): each with its repair status.
_JOB_LINES = rawsql.Statement(
    f'SELECT r."id", r."qty", r."issued", r."status", COALESCE(v."qty", 0), l."status" FROM "{_PR.name}" r'
    f' LEFT JOIN "{_RES.name}" v ON v."holder" = \'request\' AND v."holder_id" = r."id"'
    f' LEFT JOIN "{_RL.name}" l ON l."request_id" = r."id"'
    f' WHERE r."work_order_id" = ? AND r."part_id" = ? AND (r."status" IN ({_OPEN}) OR l."status" IN ({_NOT_YES}))'
    ' ORDER BY r."id"'
)
_SET_LINE = rawsql.update_where(_PR, ["issued", "status"], ["id"])
_INSERT_ISSUE = rawsql.insert_into(table_of(RequestIssue), ["request_id", "event_id", "qty", "released"])
_LINE_MAPPER = sa_inspect(PartRequest)


def refuses_issue(qty: int, lines: Sequence[Sequence[Any]], unauthorized: Sequence[Sequence[Any]]) -> bool:
    """THE repair order's check on an issue (SPEC 10.2): a part of a line the customer has not said yes to.

    While a line the customer has not authorized (proposed, or declined) names the part, only the units the
    job's other open lines still want may be issued; units beyond them would be the unauthorized line's.
    `lines`: the job's open request lines of the part (id, qty, issued, status, held); `unauthorized`: those
    of its part lines not authorized.
    """
    if not unauthorized:
        return False
    room = sum(int(r[1]) - int(r[2]) for r in lines if r[3] != "awaiting_approval")
    return qty > room


def issue_needs_approval(qty: int, lines: Sequence[Sequence[Any]]) -> bool:
    """THE check of an issue worth more than `[requisition] approval_value`: approved request lines must cover it.

    `lines`: the job's open request lines of the part (id, qty, issued, status, held). A line still awaiting
    approval covers nothing; a line approved (or small enough to need no approval) covers what it still wants.
    """
    covered = sum(max(0, int(r[1]) - int(r[2])) for r in lines if r[3] != "awaiting_approval")
    return qty > covered


def issue_against_requests(
    ctx: ScanContext, part: PartInfo, qty: int, wo: JobRef, move: Move, outcome: Outcome
) -> None:
    """Issuing consumes the job's own reservation first; stock held for another job is refused; units the
    customer has not said yes to are refused (`not_authorized`)."""
    total, has_lines = demand_of(ctx, part.id)
    guarded = wo.parts_unauthorized > 0  # read with the job: a job without such lines asks nothing more
    limit = approval_value(ctx.cfg)
    value = part.unit_cost * qty
    over = limit is not None and value > limit
    if total == 0 and not has_lines and not guarded and not over:
        return
    if has_lines or guarded:
        ctx.session.flush()  # lines made by an earlier scan of this transaction are read below
        found = rawsql.run(ctx.session, _JOB_LINES, (wo.id, part.id))
    else:
        found = []
    lines = [r[:5] for r in found if r[5] not in UNAUTHORIZED_STATUSES]
    if refuses_issue(qty, lines, [r for r in found if r[5] in UNAUTHORIZED_STATUSES]):
        raise Reject("not_authorized", part_no=part.part_no, wo=wo.number)
    if over and issue_needs_approval(qty, lines):
        waiting_line = next((r[0] for r in lines if r[3] == "awaiting_approval"), None)
        if waiting_line is not None:  # the job asked for it already: the supervisor's yes is what is missing
            raise Reject("request_awaiting_approval", id=waiting_line, part_no=part.part_no, wo=wo.number)
        raise Reject("needs_approval", qty=qty, part_no=part.part_no, wo=wo.number, value=f"{value:.2f}", limit=limit)
    if total == 0 and not has_lines and not guarded:
        return
    ready = [r for r in lines if r[3] != "awaiting_approval"]
    own = sum(int(r[4]) for r in ready)
    waiting = sum(int(r[4]) for r in lines if r[3] == "awaiting_approval")
    free = max(0, scan_on_hand(ctx, part.id) + qty - total)  # on-hand before this issue, less all holds
    from_own = min(qty, own)
    # Refused only when someone else (or a line still awaiting approval) holds stock this issue would take.
    if qty - from_own > free and total - own > 0:
        if waiting and qty - from_own <= free + waiting:
            line_id = next(r[0] for r in lines if r[3] == "awaiting_approval")
            raise Reject("request_awaiting_approval", id=line_id, part_no=part.part_no, wo=wo.number)
        others = reservations.held_by_others(ctx.session, part.id, wo.id)
        raise Reject(
            "reserved_for_other",
            part_no=part.part_no,
            qty=qty,
            available=free + own,
            held_by=", ".join(f"{who} ({n})" for who, n in others[:5]) or "-",
        )
    left, used, issues = qty, [], []
    for line_id, line_qty, issued, status, held in ready:
        take = min(line_qty - issued, left)
        if take <= 0:
            continue
        give = min(int(held), take)
        if give:
            reservations.consume_locked(ctx.session, reservations.Holder("request", line_id, wo.id), part.id, give)
        new_status = status_for(status, line_qty, issued + take, False, int(held) - give)
        rawsql.run(ctx.session, _SET_LINE, (issued + take, new_status, line_id))
        issues.append((line_id, ctx.event_id, take, give))
        used.append({"id": line_id, "qty": take, "status": new_status})
        # The ORM may hold this line from earlier in the transaction: it must read the new values.
        loaded = ctx.session.identity_map.get(_LINE_MAPPER.identity_key_from_primary_key((line_id,)))
        if loaded is not None:
            ctx.session.expire(loaded)
        left -= take
        if left == 0:
            break
    if issues:
        rawsql.run_many(ctx.session, _INSERT_ISSUE, issues)
    forget(ctx, part.id)
    if used:
        outcome.effects["requests"] = used
