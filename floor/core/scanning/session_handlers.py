"""Scans that change the session: badge, job card, bin, quantity, mode commands, DONE."""

from __future__ import annotations

from sqlalchemy import select

from floor.core.authority import mask_badge, person_shown
from floor.core.scanning.context import Outcome, Reject, ScanContext
from floor.core.scanning.stock_handlers import finish_move
from floor.models import WorkOrder
from floor.models.scans import ScanMode as M

# The `CMD:` verbs that select a mode for part scans (`scan_mode`).
MODE_VERBS = (M.ISSUE, M.RETURN, M.RECEIVE, M.MOVE, M.CORE, M.COUNT)


def scan_badge(ctx: ScanContext) -> Outcome:
    """`U:<badge>` sets the actor."""
    user = ctx.catalog.user_by_badge.get(ctx.code.value)
    if user is None:
        raise Reject("unknown_badge", badge=ctx.code.value[:40])
    if not user.active:  # the same codes as `floor.core.authority.resolve_badge`
        raise Reject("inactive_badge", badge=mask_badge(ctx.code.value[:40]), name=user.name)  # never in full
    if ctx.state.actor_id != user.id:
        # A pending Q:7 or a half-done move must not pass to the next person (SPEC 9.1).
        ctx.state.clear_pending()
    ctx.state.actor_id = user.id
    return Outcome("actor_set", {"name": user.name, "role": user.role}, {"actor": person_shown(user.name, user.role)})


def set_work_order(ctx: ScanContext, wo: WorkOrder) -> Outcome:
    """Put a job in session; at a counter this also selects ISSUE mode."""
    if not wo.is_open:
        raise Reject("wo_closed", number=wo.number, status=wo.status)
    ctx.state.work_order_id = wo.id
    params = {"number": wo.number, "vehicle": wo.vehicle or "-", "status": wo.status}
    if ctx.station.kind != "counter":
        return Outcome("wo_selected", params, {"work_order": wo.number})
    ctx.state.mode = "ISSUE"
    return Outcome("wo_set", {**params, "mode": "ISSUE"}, {"work_order": wo.number, "mode": "ISSUE"})


def scan_work_order(ctx: ScanContext) -> Outcome:
    """`WO:<number>` sets the job (which must exist and be open)."""
    wo = ctx.session.scalar(select(WorkOrder).where(WorkOrder.number == ctx.code.value))
    if wo is None:
        raise Reject("unknown_wo", number=ctx.code.value[:40])
    return set_work_order(ctx, wo)


def scan_location(ctx: ScanContext) -> Outcome:
    """`L:<bin>` sets the bin, or in MOVE mode with a part waiting, is the move's target."""
    loc = ctx.catalog.location_by_code.get(ctx.code.value)
    if loc is None:
        raise Reject("unknown_location", code=ctx.code.value[:40])
    if ctx.state.mode == "MOVE" and "move_part" in ctx.state.extra:
        return finish_move(ctx, loc)
    ctx.state.location_id = loc.id
    return Outcome("location_set", {"code": loc.code}, {"location": loc.code})


def scan_qty(ctx: ScanContext) -> Outcome:
    """`Q:<n>` sets the quantity of the next part scan."""
    assert ctx.code.qty is not None  # the parser guarantees it
    ctx.state.pending_qty = ctx.code.qty
    return Outcome("qty_set", {"qty": ctx.code.qty}, {"pending_qty": ctx.code.qty})


# The role-table action each scan mode performs on its part scans.
MODE_ACTIONS: dict[str, str] = {
    M.ISSUE: "issue",
    M.RETURN: "return",
    M.RECEIVE: "receive",
    M.MOVE: "move",
    M.COUNT: "count",
    M.CORE: "core_return",
}


def scan_mode(ctx: ScanContext) -> Outcome:
    """`CMD:ISSUE|RETURN|RECEIVE|MOVE|CORE|COUNT` selects the mode for part scans."""
    verb = ctx.code.value
    ctx.check_mode(verb)
    if ctx.actor() is not None and verb in MODE_ACTIONS:
        ctx.require_role(MODE_ACTIONS[verb])  # say so now, not at the first part scan
    ctx.state.mode = verb
    ctx.state.extra.pop("move_part", None)
    return Outcome("mode_set", {"mode": verb}, {"mode": verb})


def scan_done(ctx: ScanContext) -> Outcome:
    """`CMD:DONE` clears the session."""
    ctx.state.clear()
    return Outcome("session_cleared", {}, {"cleared": True})


def dispatch_command(ctx: ScanContext) -> Outcome:
    """Run the handler of a `CMD:` verb (`ScanWiring.commands`)."""
    handler = ctx.wiring.commands.get(ctx.code.value)
    if handler is None:
        raise Reject("not_supported", what=f"CMD:{ctx.code.value}")
    return handler(ctx)
