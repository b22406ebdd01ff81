"""Part scans that move stock: ISSUE, RETURN, RECEIVE, MOVE, and UNDO of the last one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from floor.core.catalog import LocationInfo, PartInfo
from floor.core.ledger import Move, NegativeStock
from floor.core.scanning.context import Outcome, Reject, ScanContext, check_enough, refuse_negative
from floor.models import StockMove


def _take(ctx: ScanContext, part: PartInfo, loc: LocationInfo, qty: int, reason: str, **fields: Any) -> Move:
    """Move stock out of a bin, rejecting when it would go negative."""
    try:
        return ctx.ledger.move(
            part.id,
            loc.id,
            -qty,
            reason,
            ctx.at,
            part.unit_cost,
            allow_negative=part.allow_negative,
            event_id=ctx.event_id,
            **fields,
        )
    except NegativeStock as exc:
        raise refuse_negative(exc, part.part_no, loc.code) from None


def _moves_effect(ctx: ScanContext, *moves: Move) -> list[dict[str, Any]]:
    cat = ctx.catalog
    return [
        {"part_no": cat.parts[m.part_id].part_no, "bin": cat.locations[m.location_id].code, "qty": m.qty} for m in moves
    ]


def _job_booking(ctx: ScanContext, action: str) -> tuple[dict[str, Any], Any, LocationInfo, int]:
    """What an issue or return to the job in session needs: move fields, the job, the bin, the quantity."""
    actor = ctx.allowed(action)
    wo = ctx.open_job()
    loc = ctx.location()
    assert loc is not None
    fields = {"work_order_id": wo.id, "actor_id": actor.id if actor else None, "ref": f"WO:{wo.number}"}
    return fields, wo, loc, ctx.take_qty()


def issue(ctx: ScanContext, part: PartInfo) -> Outcome:
    """Issue a part to the job in session from the session's bin (a pickable one: SPEC 10.6)."""
    fields, wo, loc, qty = _job_booking(ctx, "issue")
    loc = ctx.pick_location()
    mv = _take(ctx, part, loc, qty, "issue", **fields)
    on_hand = ctx.ledger.on_hand(part.id, loc.id)
    outcome = Outcome(
        "issued",
        {"qty": qty, "part_no": part.part_no, "wo": wo.number, "bin": loc.code, "on_hand": on_hand},
        {"moves": _moves_effect(ctx, mv), "work_order": wo.number},
        txn=True,
    )
    for hook in ctx.wiring.hooks.issued:
        hook(ctx, part, qty, wo, mv, outcome)
    return outcome


def return_unused(ctx: ScanContext, part: PartInfo) -> Outcome:
    """Return an unused part from the job in session to the session's bin."""
    fields, wo, loc, qty = _job_booking(ctx, "return")
    issued = ctx.ledger.wo_issued(wo.id, part.id)
    if issued < qty:
        raise Reject("return_exceeds_issue", wo=wo.number, issued=issued, part_no=part.part_no, qty=qty)
    mv = ctx.ledger.move(
        part.id, loc.id, qty, "return", ctx.at, _issue_cost(ctx, wo.id, part), event_id=ctx.event_id, **fields
    )
    outcome = Outcome(
        "returned",
        {"qty": qty, "part_no": part.part_no, "wo": wo.number, "bin": loc.code},
        {"moves": _moves_effect(ctx, mv), "work_order": wo.number},
        txn=True,
    )
    for hook in ctx.wiring.hooks.returned:
        hook(ctx, part, qty, wo, mv, outcome)
    return outcome


def _issue_cost(ctx: ScanContext, wo_id: int, part: PartInfo) -> Any:
    """The unit cost of the job's latest issue of this part: returns credit what was charged."""
    for m in reversed(ctx.ledger.moves):
        if m.work_order_id == wo_id and m.part_id == part.id and m.reason == "issue":
            return m.unit_cost
    cost = ctx.session.scalar(
        select(StockMove.unit_cost)
        .where(StockMove.work_order_id == wo_id, StockMove.part_id == part.id, StockMove.reason == "issue")
        .order_by(StockMove.id.desc())
        .limit(1)
    )
    return cost if cost is not None else part.unit_cost


def receive(ctx: ScanContext, part: PartInfo) -> Outcome:
    """Receive a part into the session's bin."""
    actor = ctx.allowed("receive")
    loc = ctx.location()
    assert loc is not None
    qty = ctx.take_qty()
    gs1 = ctx.code.gs1
    ref = None
    if gs1 is not None and (gs1.lot or gs1.serial):
        ref = ";".join(f"{k}={v}" for k, v in (("lot", gs1.lot), ("serial", gs1.serial)) if v)
    mv = ctx.ledger.move(
        part.id,
        loc.id,
        qty,
        "receive",
        ctx.at,
        part.unit_cost,
        event_id=ctx.event_id,
        actor_id=actor.id if actor else None,
        ref=ref,
    )
    outcome = Outcome(
        "received",
        {"qty": qty, "part_no": part.part_no, "bin": loc.code},
        {"moves": _moves_effect(ctx, mv), "lot": gs1.lot if gs1 else None, "serial": gs1.serial if gs1 else None},
        txn=True,
    )
    for hook in ctx.wiring.hooks.received:
        hook(ctx, part, qty, loc, mv, outcome)
    return outcome


def start_move(ctx: ScanContext, part: PartInfo) -> Outcome:
    """In MOVE mode a part scan picks the part; the next `L:` is where it goes."""
    ctx.allowed("move")
    src = ctx.location()
    assert src is not None
    qty = ctx.take_qty()
    on_hand = ctx.ledger.on_hand(part.id, src.id)
    check_enough(on_hand, qty, part.part_no, src.code, part.allow_negative)
    ctx.state.extra["move_part"] = {"part_id": part.id, "qty": qty}
    return Outcome(
        "move_part_set",
        {"qty": qty, "part_no": part.part_no, "from_bin": src.code},
        {"move_part": part.part_no, "qty": qty},
    )


def finish_move(ctx: ScanContext, target: LocationInfo) -> Outcome:
    """Move the waiting part from the session's bin to the scanned target bin."""
    actor = ctx.allowed("move")
    src = ctx.location()
    assert src is not None
    if target.id == src.id:
        raise Reject("same_location", code=target.code)
    pending = ctx.state.extra["move_part"]
    part = ctx.catalog.parts.get(pending["part_id"])
    if part is None:
        raise Reject("unknown_part", text=str(pending["part_id"]))
    qty = int(pending["qty"])
    who = actor.id if actor else None
    out = _take(ctx, part, src, qty, "move", actor_id=who, ref=f"L:{target.code}")
    into = ctx.ledger.move(
        part.id,
        target.id,
        qty,
        "move",
        ctx.at,
        part.unit_cost,
        event_id=ctx.event_id,
        actor_id=who,
        ref=f"L:{src.code}",
    )
    del ctx.state.extra["move_part"]
    return Outcome(
        "moved",
        {"qty": qty, "part_no": part.part_no, "from_bin": src.code, "to_bin": target.code},
        {"moves": _moves_effect(ctx, out, into)},
        txn=True,
    )


def undo(ctx: ScanContext) -> Outcome:
    """Reverse the station's last stock transaction with compensating moves."""
    ctx.allowed("undo")
    event_id = ctx.state.last_txn_event_id
    if event_id is None:
        raise Reject("nothing_to_undo")
    originals = ctx.ledger.moves_of_event(event_id)
    reversals: list[Move] = []
    for m in originals:
        part = ctx.catalog.parts.get(m.part_id)
        allow = part.allow_negative if part else False
        try:
            reversals.append(
                ctx.ledger.move(
                    m.part_id,
                    m.location_id,
                    -m.qty,
                    "undo",
                    ctx.at,
                    m.unit_cost,
                    allow_negative=allow,
                    event_id=ctx.event_id,
                    work_order_id=m.work_order_id,
                    actor_id=ctx.state.actor_id,
                    reverses_id=m.id,
                    ref=m.ref,
                )
            )
        except NegativeStock as exc:
            code = ctx.catalog.parts[m.part_id].part_no if m.part_id in ctx.catalog.parts else str(m.part_id)
            raise Reject("undo_blocked", reason=f"{code}: only {exc.on_hand} left") from None
    for hook in ctx.wiring.hooks.undone:
        hook(ctx, event_id)
    ctx.undone.append(event_id)
    ctx.state.last_txn_event_id = None
    what = ", ".join(f"{r['qty']:+d} {r['part_no']} @ {r['bin']}" for r in _moves_effect(ctx, *reversals)) or "-"
    return Outcome("undone", {"what": what}, {"moves": _moves_effect(ctx, *reversals), "undone_event": event_id})
