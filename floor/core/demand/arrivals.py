"""Scan-path hooks that change demand after the fact: receipts, returns and UNDO.

Wired after the hooks that may still refuse a scan (receiving, workshop: `floor/core/wiring.py`),
so what these hooks write is never left behind by a later rejection of the same scan.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from floor.core import messages, reservations
from floor.core.alerts import evaluate_in_scan
from floor.core.catalog import LocationInfo, PartInfo
from floor.core.demand import closing, followers, notify
from floor.core.demand.lines import holder, refresh
from floor.core.demand.scans import ScanStock, demand_of, forget, scan_on_hand
from floor.core.ledger import Move
from floor.core.scanning.context import JobRef, Outcome, Reject, ScanContext
from floor.models import PartRequest, RequestIssue


def reserve_for_waiting_jobs(
    ctx: ScanContext, part: PartInfo, qty: int, loc: LocationInfo, move: Move, outcome: Outcome
) -> None:
    """A receipt of a part a job or appointment waits for reserves it, earliest needed first, and tells the counter."""
    _total, has_lines = demand_of(ctx, part.id)
    if not has_lines:
        return
    # The stock follower every stock write and release path calls; the receipt tells the counter itself, below.
    got = followers.follow_stock(ctx.session, [part.id], view=ScanStock(ctx, scanned=True), tell=False)
    forget(ctx, part.id)
    if not got:
        return
    reserved = notify.served(ctx.session, got)
    outcome.effects["reserved_for"] = reserved
    jobs, jobs_zh = notify.jobs_text(reserved)
    params = {"part_no": part.part_no, "jobs": jobs, "jobs_zh": jobs_zh}
    en, zh = messages.render("special_order_arrived", params)
    outcome.effects["alert"] = {"code": "special_order_arrived", "message": en, "message_zh": zh}
    # The scan's own message says it too, so every page showing the station's last scan alerts the counter.
    before, before_zh = messages.render(outcome.code, outcome.params)
    outcome.code = "received_reserved"
    outcome.params = {"before": before, "before_zh": before_zh, "jobs": jobs, "jobs_zh": jobs_zh}
    # Only jobs get a label: an appointment's car is not here yet (the pick queue lists its parts).
    jobs_served = [x for x in reserved if x["workorder"] is not None]
    outcome.effects["labels"] = notify.queue_job_labels(ctx.labels, ctx.session, ctx.station.printer, jobs_served)


def close_demand_on_return(
    ctx: ScanContext, part: PartInfo, qty: int, wo: JobRef, move: Move, outcome: Outcome
) -> None:
    """A part returned unused ends the job's demand for it (issued counts go down, holds are released), and the
    units back on the shelf and the ones freed go to the jobs waiting for the part."""
    lines = list(
        ctx.session.scalars(
            select(PartRequest)
            .where(
                PartRequest.work_order_id == wo.id,
                PartRequest.part_id == part.id,
                PartRequest.status != "cancelled",
            )
            .order_by(PartRequest.id.desc())
        )
    )
    left = qty
    for line in lines:
        back = min(line.issued, left)
        line.issued -= back
        left -= back
        if line.status in ("reserved", "partial", "backordered", "awaiting_approval"):
            reservations.release(ctx.session, holder(line))
        line.status = "issued" if line.issued > 0 else "cancelled"
        line.closed_at = ctx.at
    if lines:
        forget(ctx, part.id)
        outcome.effects["requests_closed"] = [r.id for r in lines]
    if not demand_of(ctx, part.id)[1]:
        return  # no open line names the part now: nobody waits (the alert hook judges the warning line)
    view = ScanStock(ctx)
    why = messages.render("freed_by_return", {"number": wo.number})
    followers.follow_release(ctx.session, [part.id], ctx.at, why, view=view, event_id=ctx.event_id)
    view.into(outcome.effects)


def undo_demand(ctx: ScanContext, event_id: int) -> None:
    """UNDO of a REQUEST scan cancels its line; UNDO of an issue puts the line's count and hold back.

    What the UNDO freed or moved then follows as any release does: holds above the stock left are trimmed,
    free units go to the lines waiting for them.
    """
    made = list(ctx.session.scalars(select(PartRequest).where(PartRequest.event_id == event_id)))
    for line in made:
        if line.issued > 0:
            raise Reject("undo_blocked", reason=f"request {line.id} has parts issued")
    freed: set[int] = set()
    for line in made:
        if line.status != "cancelled":
            if reservations.release(ctx.session, holder(line)):
                freed.add(line.part_id)
            line.status, line.closed_at = "cancelled", ctx.at
        forget(ctx, line.part_id)
    issues = list(ctx.session.scalars(select(RequestIssue).where(RequestIssue.event_id == event_id)))
    for row in issues:
        issued_line = ctx.session.get(PartRequest, row.request_id)
        assert issued_line is not None
        issued_line.issued -= row.qty
        if (issued_line.status == "issued" and issued_line.closed_at is None) or issued_line.status in (
            "reserved",
            "partial",
            "backordered",
        ):
            issued_line.status = "backordered"  # open again; refresh below sets the real state
            if row.released:
                reservations.reserve(
                    ctx.session,
                    issued_line.part_id,
                    row.released,
                    holder(issued_line),
                    on_hand=scan_on_hand(ctx, issued_line.part_id, scanned=False),
                )
            refresh(ctx.session, issued_line)
        forget(ctx, issued_line.part_id)
    if issues:
        ctx.session.execute(delete(RequestIssue).where(RequestIssue.event_id == event_id))
    # Stock the undo took away (an undone receipt) may leave holds above on-hand: they are trimmed. Stock it put
    # back (an undone issue, beyond the hold restored above) and holds it ended go to the waiting lines.
    moved = {m.part_id for m in ctx.ledger.moves if m.event_id == ctx.event_id}
    if moved or freed:
        why = messages.render("freed_by_undo", {})
        view = ScanStock(ctx, scanned=False)
        followers.follow_release(ctx.session, sorted(moved | freed), ctx.at, why, view=view, event_id=ctx.event_id)


def reopen_on_undo(ctx: ScanContext, event_id: int) -> None:
    """UNDO of a DELIVER or CANCEL (the workshop's hook has put the job back): its lines hold again what they held.

    Only as far as the stock is still free: what another job took since stays taken and is backordered.
    """
    got = closing.reopen_closed(ctx.session, event_id, lambda p: scan_on_hand(ctx, p, scanned=False))
    parts = {line.part_id for line, _released, _held in got}
    for part_id in parts:
        forget(ctx, part_id)
    if any(held for _line, _released, held in got):
        evaluate_in_scan(ctx, sorted(parts))  # held again is not free stock: the warning line may be crossed
