"""Clocking by scan (SPEC 10.3), wired in floor.core.wiring: a badge, then `OP:<line id>` from the job card.

- `OP:<id>` clocks the person in session onto that labour line (and off any other line). With a job
  in session the line must be that job's (`line_of_other_job`); without one, the line's job becomes
  the job in session (at a counter in ISSUE mode, as its `WO:` would), so the parts issued next go to it.
- `CMD:STOP` clocks them off; `CMD:FINISH` marks their line done and clocks off everyone on it.
  (`CMD:HOLD` is the status move, which clocks off everyone on the job: floor.core.workorders.status.)
- The hooks record a part issued (or returned) by a technician clocked onto a line of the job against
  that line, and UNDO takes the record away (floor.core.clocking.attribution).

Clock scans are not stock transactions: `CMD:UNDO` does not undo them (STOP or another `OP:` does).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from floor.core.catalog import PartInfo
from floor.core.clocking import attribution, clocks
from floor.core.inputs import valid_id
from floor.core.ledger import Move
from floor.core.repair.errors import RepairError
from floor.core.scanning.context import JobRef, Outcome, Reject, ScanContext
from floor.models import LabourOperation, RepairLine, WorkOrder
from floor.models.repair import LineKind


def _technician(ctx: ScanContext) -> Any:
    """The person in session (a badge is always needed to clock: the clock is theirs)."""
    user = ctx.actor()
    if user is None:
        raise Reject("no_actor")
    return user


def _labour_line(ctx: ScanContext) -> tuple[RepairLine, str]:
    """The line `OP:<id>` names and its operation's code, in one query (`unknown_op_line`, `not_labour_line`)."""
    key = valid_id(ctx.code.value)
    found = (
        ctx.session.execute(
            select(RepairLine, LabourOperation.code)
            .outerjoin(LabourOperation, LabourOperation.id == RepairLine.operation_id)
            .where(RepairLine.id == key)
        ).first()
        if key is not None
        else None
    )
    if found is None:
        raise RepairError("unknown_op_line", id=ctx.code.value[:20])
    line, op = found
    if line.kind != LineKind.LABOUR.value:
        raise RepairError("not_labour_line", id=line.id)
    return line, op or "-"


def scan_operation(ctx: ScanContext) -> Outcome:
    """`OP:<line id>`: clock the person in session onto the line (off any other)."""
    tech = _technician(ctx)
    line, op = _labour_line(ctx)
    session_job = ctx.work_order() if ctx.state.work_order_id is not None else None
    done = clocks.clock_on(
        ctx.session, line, tech, ctx.at, roles=ctx.roles(), session_job=session_job, event_id=ctx.event_id
    )
    wo = ctx.session.get_one(WorkOrder, line.work_order_id)
    effects: dict[str, Any] = {"work_order": wo.number, "line": line.id, "clocked_on": True}
    if ctx.state.work_order_id != wo.id:
        ctx.state.work_order_id = wo.id
        if ctx.station.kind == "counter":  # as the job card's WO: would: the parts scanned next are issued to it
            ctx.state.mode = effects["mode"] = "ISSUE"
    params = {"id": line.id, "number": wo.number, "name": tech.name, "op": op}
    if done.ended is not None:
        effects["clocked_off_line"] = done.ended.line_id
    return Outcome("already_on" if done.already else "clocked_on", params, effects)


def scan_stop(ctx: ScanContext) -> Outcome:
    """`CMD:STOP`: the person in session clocks off."""
    tech = _technician(ctx)
    record = clocks.clock_off(ctx.session, tech, ctx.at, roles=ctx.roles(), event_id=ctx.event_id)
    wo = ctx.session.get_one(WorkOrder, record.work_order_id)
    params = {"id": record.line_id, "number": wo.number, "name": tech.name}
    return Outcome("clocked_off", params, {"work_order": wo.number, "line": record.line_id, "clocked_on": False})


def scan_finish(ctx: ScanContext) -> Outcome:
    """`CMD:FINISH`: the line the person in session is on is done; everyone on it clocks off."""
    tech = _technician(ctx)
    line = clocks.finish(ctx.session, tech, ctx.at, roles=ctx.roles(), event_id=ctx.event_id)
    wo = ctx.session.get_one(WorkOrder, line.work_order_id)
    params = {"id": line.id, "number": wo.number, "name": tech.name}
    return Outcome("line_finished", params, {"work_order": wo.number, "line": line.id, "line_status": line.status})


def parts_on_issue(ctx: ScanContext, part: PartInfo, qty: int, wo: JobRef, move: Move, outcome: Outcome) -> None:
    """An issue by a technician clocked onto a line of the job is recorded against that line."""
    line_id = attribution.record_parts(
        ctx.session, wo.id, wo.clocked_on, ctx.state.actor_id, part.id, qty, ctx.at, ctx.event_id
    )
    if line_id is not None:
        outcome.effects["repair_line"] = line_id


def parts_on_return(ctx: ScanContext, part: PartInfo, qty: int, wo: JobRef, move: Move, outcome: Outcome) -> None:
    """A return by a technician clocked onto a line of the job takes the units off that line."""
    line_id = attribution.record_parts(
        ctx.session, wo.id, wo.clocked_on, ctx.state.actor_id, part.id, -qty, ctx.at, ctx.event_id
    )
    if line_id is not None:
        outcome.effects["repair_line"] = line_id


def undo_parts(ctx: ScanContext, event_id: int) -> None:
    """UNDO of an issue or a return: its units are no longer against a line."""
    attribution.undo_parts(ctx.session, event_id)
