"""Scan handlers of the workshop side: status verbs, core tags and dispositions, key and folder tags.

- `CMD:DISPATCH|START|HOLD|QC|WASH|READY|DELIVER|CANCEL` move the job in session
  (`HOLD` on a held job switches the reason: parts ⇄ customer approval).
- `C:<serial>` returns that core; `CMD:CORE` then a part returns the oldest due core
  of that part on the job in session.
- Dispositions are verb first: `CMD:REUSABLE|SCRAP|WARRANTY|SUPPLIER|CUSTOMER` picks
  the judgement, then every `C:<serial>` scanned is judged so, until another mode,
  a job card or DONE. (A `C:` scanned without a pending judgement is a return.)
- `CMD:WAIVE` (a supervisor) waives every core the job in session still owes.
- A registered tag: a job's key fob or folder puts the job in session; a bin tag acts like `L:`.
  At a station of kind `keys` a key tag checks the key out (after a badge) or in (alone).
- `CMD:PASS` / `CMD:FAIL`: final inspection of the job in session (floor.core.workorders.qc).
Status moves, returns, judgements and waivers are transactions: `UNDO` reverses them.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from floor.core.authority import person_shown
from floor.core.catalog import PartInfo, UserInfo
from floor.core.demand.scans import ScanStock
from floor.core.ledger import Move
from floor.core.scanning.context import JobRef, Outcome, Reject, ScanContext
from floor.core.scanning.session_handlers import set_work_order
from floor.core.scanning.stock_handlers import finish_move
from floor.core.workorders import cores as core_rules
from floor.core.workorders import keys, printing, qc
from floor.core.workorders.status import (
    VERB_STATUS,
    Status,
    change_status,
    undo_status_changes,
)
from floor.core.workorders.tags import tag_seen
from floor.core.workorders.texts import zh_params
from floor.models import WorkOrder
from floor.models.scans import ScanMode

DISPOSE_MODE = ScanMode.DISPOSE


def scan_status(ctx: ScanContext) -> Outcome:
    """A status verb moves the job in session (cancel and QC pass have their own role-table rows)."""
    actor = ctx.require_actor()
    wo = ctx.work_order()
    target = VERB_STATUS[ctx.code.value]
    before = wo.status
    technician = None
    if (
        target in (Status.DISPATCHED, Status.IN_PROGRESS)
        and is_technician(actor)
        and (target is Status.DISPATCHED or wo.technician_id is None)
    ):
        technician = actor.id  # the technician who takes the job (or starts it unassigned) owns it
    stock = ScanStock(ctx)  # a closing frees the job's holds: they follow this scan's view of stock
    change = change_status(
        ctx.session,
        wo,
        target,
        actor,
        ctx.at,
        event_id=ctx.event_id,
        technician_id=technician,
        roles=ctx.roles(),
        require_signature=ctx.cfg.require_signature,
        stock=stock,
    )
    effects: dict[str, Any] = {"work_order": wo.number, "from_status": before, "status": wo.status}
    stock.into(effects)  # the counter is told which waiting jobs got the freed units
    if target is Status.ON_HOLD:
        effects["hold_reason"] = change.hold_reason
        return Outcome("status_held", zh_params({"number": wo.number, "reason": change.hold_reason}), effects, txn=True)
    return Outcome(
        "status_changed",
        zh_params({"number": wo.number, "from_status": before, "status": wo.status}),
        effects,
        txn=True,
    )


def scan_waive(ctx: ScanContext) -> Outcome:
    """A supervisor waives every core the job in session still owes."""
    actor = ctx.actor()
    wo = ctx.work_order()
    waived = core_rules.waive_job(ctx.session, wo, actor, ctx.at, event_id=ctx.event_id, roles=ctx.roles())
    return Outcome(
        "cores_waived",
        {"count": len(waived), "wo": wo.number},
        {"work_order": wo.number, "waived": [c.serial for c in waived]},
        txn=True,
    )


def scan_disposition_verb(ctx: ScanContext) -> Outcome:
    """Pick the judgement for the core tags scanned next."""
    ctx.require_role("core_disposition")
    disposition = core_rules.VERB_DISPOSITION[ctx.code.value]
    ctx.state.mode = DISPOSE_MODE
    ctx.state.extra["disposition"] = disposition
    return Outcome(
        "disposition_set", zh_params({"disposition": disposition}), {"mode": DISPOSE_MODE, "disposition": disposition}
    )


def dispose_part_scan(ctx: ScanContext, part: PartInfo) -> Outcome:
    """A part scanned while judging cores: say what is expected instead."""
    raise Reject("dispose_needs_core", **zh_params({"disposition": ctx.state.extra.get("disposition", "-")}))


def _move_effects(ctx: ScanContext, move: Move | None) -> list[dict[str, Any]]:
    if move is None:
        return []
    return [
        {
            "part_no": ctx.catalog.parts[move.part_id].part_no
            if move.part_id in ctx.catalog.parts
            else str(move.part_id),
            "bin": ctx.catalog.locations[move.location_id].code
            if move.location_id in ctx.catalog.locations
            else str(move.location_id),
            "qty": move.qty,
        }
    ]


def _part_no(ctx: ScanContext, part_id: int) -> str:
    part = ctx.catalog.parts.get(part_id)
    return part.part_no if part else str(part_id)


def scan_core(ctx: ScanContext) -> Outcome:
    """`C:<serial>`: judge it when a judgement is pending, else record its return."""
    judging = ctx.state.mode == DISPOSE_MODE and "disposition" in ctx.state.extra
    actor = ctx.require_role("core_disposition") if judging else ctx.allowed("core_return")
    core = core_rules.find_core(ctx.session, ctx.code.value)
    owner = core_rules.wo_of(ctx.session, core.work_order_id)
    wo_number = owner.number if owner is not None else "-"  # a core sold over the counter has no job
    if judging:
        disposition = ctx.state.extra["disposition"]
        move = core_rules.dispose_core(
            ctx.session,
            core,
            disposition,
            actor.id if actor else None,
            ctx.at,
            ledger=ctx.ledger,
            event_id=ctx.event_id,
        )
        return Outcome(
            "core_disposed",
            zh_params({"serial": core.serial, "part_no": _part_no(ctx, core.part_id), "disposition": disposition}),
            {
                "core": core.serial,
                "work_order": wo_number,
                "disposition": disposition,
                "moves": _move_effects(ctx, move),
            },
            txn=True,
        )
    session_wo = ctx.session.get(WorkOrder, ctx.state.work_order_id) if ctx.state.work_order_id else None
    core_rules.return_core(ctx.session, core, actor.id if actor else None, ctx.at, wo=session_wo, event_id=ctx.event_id)
    return Outcome(
        "core_returned",
        {"serial": core.serial, "part_no": _part_no(ctx, core.part_id), "wo": wo_number},
        {"core": core.serial, "work_order": wo_number, "status": "returned"},
        txn=True,
    )


def core_by_part(ctx: ScanContext, part: PartInfo) -> Outcome:
    """CORE mode: a part scan returns the oldest due core(s) of that part on the job in session."""
    actor = ctx.allowed("core_return")
    wo = ctx.work_order()
    qty = ctx.take_qty()
    returned = core_rules.return_oldest(
        ctx.session, wo, part.id, qty, actor.id if actor else None, ctx.at, event_id=ctx.event_id
    )
    serials = [c.serial for c in returned]
    if len(serials) == 1:
        return Outcome(
            "core_returned",
            {"serial": serials[0], "part_no": part.part_no, "wo": wo.number},
            {"core": serials[0], "work_order": wo.number, "status": "returned"},
            txn=True,
        )
    return Outcome(
        "cores_returned",
        {"qty": qty, "part_no": part.part_no, "wo": wo.number, "serials": ", ".join(serials)},
        {"cores": serials, "work_order": wo.number, "status": "returned"},
        txn=True,
    )


def scan_tag(ctx: ScanContext) -> Outcome:
    """A registered tag (reached only for codes in the tag registry): a job's fob or folder, or a bin."""
    tag = ctx.catalog.tags[ctx.code.value.upper()]
    if tag.location_id is not None:
        loc = ctx.catalog.locations.get(tag.location_id)
        if loc is None:
            raise Reject("unknown_location", code=tag.code[:40])
        tag_seen(ctx.session, tag.id, ctx.station.name, ctx.at)
        if ctx.state.mode == "MOVE" and "move_part" in ctx.state.extra:
            return finish_move(ctx, loc)
        ctx.state.location_id = loc.id
        return Outcome("location_set", {"code": loc.code}, {"location": loc.code, "tag": tag.code})
    wo = ctx.session.get(WorkOrder, tag.work_order_id) if tag.work_order_id is not None else None
    if wo is None:
        raise Reject("tag_unbound", code=tag.code[:40])
    if ctx.station.kind == "keys":
        return key_cabinet(ctx, tag.code, tag.kind, tag.id, wo)
    outcome = set_work_order(ctx, wo)
    tag_seen(ctx.session, tag.id, ctx.station.name, ctx.at)
    outcome.effects["tag"] = tag.code
    return outcome


def key_cabinet(ctx: ScanContext, code: str, kind: str, tag_id: int, wo: WorkOrder) -> Outcome:
    """At the key cabinet: after a badge the key goes out to that person (session ends); alone it comes back in."""
    if kind != "key":
        raise Reject("not_a_key_tag", code=code[:40], kind=kind)
    tag_seen(ctx.session, tag_id, ctx.station.name, ctx.at)
    holder = ctx.actor()
    params = {"number": wo.number, "plate": wo.plate or wo.vehicle or "-"}
    if holder is not None:
        keys.check_out(ctx.session, wo, code, holder, ctx.at, ctx.station.name, roles=ctx.roles())
        ctx.state.clear()  # the next person starts with their own badge
        return Outcome(
            "key_out",
            {**params, "name": holder.name},
            {"work_order": wo.number, "key": "out", "holder": person_shown(holder.name, holder.role), "tag": code},
        )
    if keys.check_in(ctx.session, wo, code, ctx.at, ctx.station.name) is None:
        return Outcome("key_already_in", params, {"work_order": wo.number, "key": "in", "tag": code})
    return Outcome("key_in", params, {"work_order": wo.number, "key": "in", "tag": code})


def scan_pass(ctx: ScanContext) -> Outcome:
    """`CMD:PASS`: a foreman or supervisor who did not work on the job passes its final inspection."""
    actor = ctx.actor()
    wo = ctx.work_order()
    qc.pass_qc(ctx.session, wo, actor, ctx.at, event_id=ctx.event_id, roles=ctx.roles())
    return Outcome("qc_passed", {"number": wo.number}, {"work_order": wo.number, "qc": "pass"}, txn=True)


def scan_fail(ctx: ScanContext) -> Outcome:
    """`CMD:FAIL`: final inspection failed; the job goes back to in_progress as a rework."""
    actor = ctx.actor()
    wo = ctx.work_order()
    reason = "failed at final inspection (scan)"
    qc.fail_qc(ctx.session, wo, actor, ctx.at, reason, event_id=ctx.event_id, roles=ctx.roles())
    ctx.session.flush()
    rework = qc.rework_count(ctx.session, wo.id)
    return Outcome(
        "qc_failed",
        {"number": wo.number, "rework": rework},
        {"work_order": wo.number, "qc": "fail", "status": wo.status, "rework": rework},
        txn=True,
    )


def is_technician(actor: UserInfo | None) -> TypeGuard[UserInfo]:
    """Whether the person scanning is a technician: who takes a job by scanning it, and who owes its cores."""
    return actor is not None and actor.role == "technician"


# -- hooks of the stock scans -------------------------------------------------------
def cores_on_issue(ctx: ScanContext, part: PartInfo, qty: int, wo: JobRef, move: Move, outcome: Outcome) -> None:
    """Issuing a core part makes one due core per unit, each with a tag for the station's printer."""
    if not part.is_core:
        return
    actor = ctx.actor()
    owner = actor.id if actor is not None and is_technician(actor) else (wo.technician_id or ctx.state.actor_id)
    made = core_rules.create_cores(ctx.session, wo.id, part.id, qty, owner, ctx.event_id, ctx.at)
    outcome.effects["cores"] = [c.serial for c in made]
    printer = ctx.station.printer
    if not printer:
        outcome.effects["core_tags"] = "no printer at this station"
        return
    ctx.session.flush()  # the label is laid out from the core's row
    notes = []
    for core in made:
        job_id, note = printing.queue_core_tag(ctx.labels, ctx.session, printer, core.serial)
        core.print_job_id = job_id
        notes.append(note)
    outcome.effects["core_tags"] = notes[0] if len(set(notes)) == 1 else notes


def cores_on_unused_return(
    ctx: ScanContext, part: PartInfo, qty: int, wo: JobRef, move: Move, outcome: Outcome
) -> None:
    """A core part returned unused owes no core: its due cores (newest first) are waived."""
    if not part.is_core:
        return
    released = core_rules.release_for_unused_return(ctx.session, wo.id, part.id, qty, ctx.at, ctx.event_id)
    if released:
        outcome.effects["cores_released"] = [c.serial for c in released]


def undo_workshop(ctx: ScanContext, event_id: int) -> None:
    """UNDO of a scan also reverses its status move and what it did to cores."""
    core_rules.check_undo(ctx.session, event_id)
    undo_status_changes(ctx.session, event_id, ctx.state.actor_id, ctx.at)
    qc.undo_qc(ctx.session, event_id, ctx.at)
    for core in core_rules.undo_event(ctx.session, event_id, ctx.state.actor_id, ctx.at):
        if core.issue_event_id == event_id and core.print_job_id is not None:
            printing.cancel_print(ctx.labels, ctx.session, core.print_job_id)  # the tag of a core that never was
