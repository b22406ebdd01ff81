"""Customer returns by scans: intake into quarantine (QUARANTINE mode) and inspection (RELEASE mode).

Intake at a counter or the dock: badge, optionally the job card (`WO:`, which
must still be open), `RSN:<reason>` (quality_defect, wrong_spec,
wrong_shipment, customer_reason; also QUALITY, SPEC, SHIPMENT, CUSTOMER), then
part scans with `Q:` as needed. The parts go into the quarantine bin scanned
(`L:` of a quarantine bin) or else the first quarantine bin.

Inspection: badge, `CMD:RELEASE`, `L:<bin>`, part scans. A store bin takes the
parts back into stock; a scrap bin scraps them. The oldest open return of the
part is judged first. Sending parts back to the supplier is a kiosk/API decision.
"""

from __future__ import annotations

from floor.core.alerts.line import evaluate_in_scan
from floor.core.catalog import LocationInfo, PartInfo
from floor.core.returns.customer import check_reason, check_undo, inspect_part, record_return, undo_steps
from floor.core.sales.returns import ReturnWindow
from floor.core.scanning.context import Outcome, ScanContext
from floor.core.stockflow import StockFlowError, StockTxn
from floor.models.returns import FREIGHT_PAYER, RETURN_REASONS

RETURN_MODES = ("QUARANTINE", "RELEASE")
HINTS = {
    "QUARANTINE": ("scan the return reason, then the parts", "请扫描退货原因，然后扫描配件"),
    "RELEASE": ("scan the target bin (store or scrap), then the parts", "请扫描目标库位（仓库或报废），然后扫描配件"),
}
PAYER_ZH = {"company": "公司", "customer": "客户"}
REASON_KEY = "return_reason"


def _enter(ctx: ScanContext, mode: str) -> None:
    ctx.check_mode(mode)
    ctx.require_role("customer_return")
    ctx.state.mode = mode
    ctx.state.extra.pop("move_part", None)


def return_mode(ctx: ScanContext) -> Outcome:
    """`CMD:QUARANTINE` starts a return intake, `CMD:RELEASE` an inspection."""
    mode = ctx.code.value
    _enter(ctx, mode)
    if mode == "QUARANTINE":
        ctx.state.extra.pop(REASON_KEY, None)
        ctx.state.extra.pop("return_sale", None)
    hint, hint_zh = HINTS[mode]
    return Outcome("return_mode_set", {"mode": mode, "hint": hint, "hint_zh": hint_zh}, {"mode": mode})


def scan_reason(ctx: ScanContext) -> Outcome:
    """`RSN:<reason>` sets the reason of the returned parts scanned next (and the QUARANTINE mode)."""
    reason = check_reason(ctx.code.value)
    _enter(ctx, "QUARANTINE")
    ctx.state.extra[REASON_KEY] = reason
    payer = FREIGHT_PAYER[reason]
    return Outcome(
        "return_reason_set",
        {"reason": reason, "freight_payer": payer, "payer_zh": PAYER_ZH[payer]},
        {"return_reason": reason, "freight_payer": payer, "mode": "QUARANTINE"},
    )


def _quarantine_bin(ctx: ScanContext) -> LocationInfo:
    loc = ctx.location(required=False)
    if loc is not None and loc.kind == "quarantine":
        return loc
    bins = sorted((b for b in ctx.catalog.locations.values() if b.kind == "quarantine"), key=lambda b: b.code)
    if not bins:
        raise StockFlowError("no_quarantine_bin")
    return bins[0]


def take_return(ctx: ScanContext, part: PartInfo) -> Outcome:
    """A returned part is recorded with the session's reason and job and put into quarantine."""
    actor = ctx.require_role("customer_return")
    reason = ctx.state.extra.get(REASON_KEY)
    if reason is None:
        raise StockFlowError("no_return_reason", valid=", ".join(RETURN_REASONS))
    quarantine = _quarantine_bin(ctx)
    wo = ctx.work_order() if ctx.state.work_order_id is not None else None
    qty = ctx.take_qty()
    sale_ref = ctx.state.extra.get("return_sale")  # `SO:<number>` scanned in this intake (floor.core.sales.scans)
    late_ok = ctx.roles().may(actor.role, "accept_late_return")
    window = ReturnWindow(ctx.cfg.returns_days, late_ok, ctx.at)  # [returns] days after a named sale (SPEC 10.5)
    ret = record_return(
        StockTxn.of_scan(ctx, actor.id),
        part,
        qty,
        reason,
        quarantine,
        wo,
        sale_ref=sale_ref,
        origin_required=False,
        window=window,
    )
    return Outcome(
        "return_received",
        {"id": ret.id, "qty": qty, "part_no": part.part_no, "bin": quarantine.code, "reason": reason},
        {
            "return": {
                "id": ret.id,
                "reason": reason,
                "freight_payer": ret.freight_payer,
                "work_order": wo.number if wo else None,
            },
            "moves": [{"part_no": part.part_no, "bin": quarantine.code, "qty": qty}],
        },
        txn=True,
    )


def judge_return(ctx: ScanContext, part: PartInfo) -> Outcome:
    """An inspected part goes from quarantine to the session's bin: a store bin restocks, a scrap bin scraps."""
    actor = ctx.require_role("customer_return")
    target = ctx.location()
    assert target is not None
    outcome = "scrap" if target.kind == "scrap" else "restock"
    qty = ctx.take_qty()
    steps = inspect_part(StockTxn.of_scan(ctx, actor.id), part, outcome, qty, target)
    effects: dict[str, object] = {
        "returns": [s.return_id for s in steps],
        "moves": [{"part_no": part.part_no, "bin": target.code, "qty": qty}],
    }
    crossings = evaluate_in_scan(ctx, [part.id])
    if crossings:
        effects["stock_alerts"] = crossings
    code = "return_scrapped" if outcome == "scrap" else "return_restocked"
    return Outcome(code, {"qty": qty, "part_no": part.part_no, "bin": target.code}, effects, txn=True)


def undo_return_steps(ctx: ScanContext, event_id: int) -> None:
    """UNDO of an intake cancels the return; UNDO of an inspection puts the units back to be judged."""
    steps = check_undo(ctx.session, event_id)
    if steps:
        undo_steps(StockTxn.of_scan(ctx, ctx.state.actor_id), steps)
