"""The scan path, put together: what every scanned code does, in one table, in the order it is read.

Importing a handler module registers nothing. The engine is given `SCAN_WIRING` (by
`floor.application.scan_service.ScanService`) and looks a scan's handler up in it: one dict
lookup by code kind, `CMD:` verb or part-scan mode.

To add what a code does, write the handler beside its rule and add ONE line below:
`Kind.X: module.handler` (a code kind), `"VERB": module.handler` (a `CMD:` verb) or
`"MODE": module.part_handler` (a part scan in that mode); a new mode also goes into
`STATION_MODES` for the station kinds that may enter it. A handler that takes over only
some scans of a code is given the one it falls back to: `partial(new, otherwise=old)`.

The order of the hooks matters and is the order written here: a hook that may still reject
the scan (demand's issue check, receiving, returns, sales, the workshop) comes before one
that writes what a later rejection could not take back (demand's arrivals), and the warning
line (alerts) is judged last, on the stock every other hook has left.

The ORM session listeners (`SESSION_EVENTS`) are put together here too, and installed by
`install_session_events`, which `floor.db.Database` calls when it opens a database: importing a
module listens to nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from floor.core import catalog, reservations
from floor.core import ledger_summary as summaries
from floor.core.alerts import hooks as alerts
from floor.core.clocking import scans as clocking
from floor.core.codes import Kind
from floor.core.counts import handlers as counts
from floor.core.demand import arrivals as demand_arrivals
from floor.core.demand import scans as demand
from floor.core.receiving import scans as receiving
from floor.core.returns import scans as returns
from floor.core.sales import scans as sales
from floor.core.scanning import engine
from floor.core.scanning import session_handlers as session
from floor.core.scanning import stock_handlers as stock
from floor.core.scanning.context import Handler, Hooks, PartHandler, ScanWiring
from floor.core.vehicles import scans as vehicles
from floor.core.workorders import cores as core_rules
from floor.core.workorders import scans as workshop
from floor.core.workorders.status import VERB_STATUS

# What a scanned code does, by its kind (part kinds go by the station's mode, below).
KINDS: dict[Kind, Handler] = {
    Kind.BADGE: session.scan_badge,
    Kind.WORK_ORDER: session.scan_work_order,
    Kind.LOCATION: partial(counts.scan_location, otherwise=session.scan_location),
    Kind.QTY: session.scan_qty,
    Kind.COMMAND: session.dispatch_command,  # by verb: COMMANDS
    Kind.COUNT: counts.scan_count_sheet,
    Kind.DELIVERY: receiving.scan_delivery,
    Kind.RETURN_REASON: returns.scan_reason,
    Kind.SALE: sales.scan_sale,
    Kind.CORE: partial(sales.scan_core, otherwise=workshop.scan_core),
    Kind.BARCODE: workshop.scan_tag,  # only a code in the tag registry; any other barcode is a part scan
    Kind.VIN: vehicles.scan_vin,  # `VIN:`, Code 39 with a leading I, the door pillar's DataMatrix
    Kind.OPERATION: clocking.scan_operation,  # `OP:<line id>` from the job card: clock on
}

# What a `CMD:<verb>` does.
COMMANDS: dict[str, Handler] = {
    **dict.fromkeys(session.MODE_VERBS, session.scan_mode),  # ISSUE RETURN RECEIVE MOVE CORE COUNT
    # Replaces the mode verb above: while a bin is being counted, `CMD:COUNT` starts its recount.
    "COUNT": partial(counts.count_command, otherwise=session.scan_mode),
    "DONE": session.scan_done,
    "UNDO": stock.undo,
    demand.MODE: demand.request_mode,
    **dict.fromkeys(returns.RETURN_MODES, returns.return_mode),  # QUARANTINE RELEASE
    **dict.fromkeys(VERB_STATUS, workshop.scan_status),  # DISPATCH START HOLD QC WASH READY DELIVER CANCEL
    "WAIVE": workshop.scan_waive,
    **dict.fromkeys(core_rules.VERB_DISPOSITION, workshop.scan_disposition_verb),  # REUSABLE SCRAP WARRANTY ...
    "PASS": workshop.scan_pass,
    "FAIL": workshop.scan_fail,
    "STOP": clocking.scan_stop,  # clock off (HOLD, a status verb above, clocks off everyone on the job)
    "FINISH": clocking.scan_finish,  # the line done, its technicians clocked off
}

# What a part scan does in the station's mode.
MODES: dict[str, PartHandler] = {
    "ISSUE": stock.issue,
    "RETURN": stock.return_unused,
    "RECEIVE": stock.receive,
    "MOVE": stock.start_move,
    "COUNT": counts.count_part,
    "CORE": workshop.core_by_part,
    workshop.DISPOSE_MODE: workshop.dispose_part_scan,
    demand.MODE: demand.request_part,
    "QUARANTINE": returns.take_return,
    "RELEASE": returns.judge_return,
    sales.SALE_MODE: sales.pick,
}

# The modes each station kind may enter (`ScanContext.check_mode`); a kind not listed enters none.
STATION_MODES: dict[str, frozenset[str]] = {
    "counter": frozenset(
        {"ISSUE", "RETURN", "CORE", "MOVE", "RECEIVE", demand.MODE, *returns.RETURN_MODES, sales.SALE_MODE}
    ),
    "receiving": frozenset({"RECEIVE", "MOVE", "RETURN", *returns.RETURN_MODES}),
    "stocktake": frozenset({"COUNT", "MOVE"}),
    "kiosk": frozenset({demand.MODE}),
}

# Who hears of an issue, a return, a receipt, an UNDO, a batch's parts: called in this order.
HOOKS = Hooks(
    issued=(demand.issue_against_requests, workshop.cores_on_issue, clocking.parts_on_issue, alerts.after_issue),
    returned=(
        workshop.cores_on_unused_return,
        demand_arrivals.close_demand_on_return,
        clocking.parts_on_return,
        alerts.after_return,
    ),
    received=(receiving.book_against_delivery, demand_arrivals.reserve_for_waiting_jobs, alerts.after_receive),
    undone=(
        counts.undo_count_scan,
        workshop.undo_workshop,
        clocking.undo_parts,  # the units against a repair line
        receiving.undo_delivery_receipts,
        returns.undo_return_steps,
        sales.undo_sale_scan,
        demand_arrivals.undo_demand,
        demand_arrivals.reopen_on_undo,  # after the workshop's hook has put the job back
        alerts.after_undo,
    ),
    batch_parts=(demand.read_ahead,),
)

SCAN_WIRING = ScanWiring(KINDS, COMMANDS, MODES, HOOKS, STATION_MODES)

# What every ORM session does around a flush, on every database: (event, listener), installed in this order
# (SQLAlchemy calls one event's listeners in the order they were added).
SESSION_EVENTS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("before_flush", catalog.bump_on_flush),  # master data changed: the caches of every process reload
    ("after_flush", engine.count_flushes),  # the engine's mark of what a rejected scan wrote
    ("after_flush", reservations.lines_flushed),  # request lines changed: their parts' demand is read again
    ("after_flush", summaries.kind_changed),  # a bin's kind changed: its moves are re-summed
)


def install_session_events() -> None:
    """Listen to every ORM session's flushes with `SESSION_EVENTS`; a second call adds nothing."""
    for name, listener in SESSION_EVENTS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
