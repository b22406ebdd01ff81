"""Work orders on the floor: the job status machine, timing and the board, parts cost, cores, job tags.

Plain functions over a SQLAlchemy Session (no I/O); rule violations raise
`WorkOrderError` (a scan `Reject`, so scan handlers let it through). The scan
handlers live in `floor.core.workorders.scans`, wired in `floor.core.wiring`.
"""

from floor.core.workorders.board import board, flags, jobs_by_status
from floor.core.workorders.cores import (
    DISPOSITIONS,
    cores_report,
    dispose_core,
    find_core,
    return_core,
    waive,
    waive_job,
)
from floor.core.workorders.costs import parts_cost_rows, to_csv
from floor.core.workorders.status import (
    CLOSED_VALUES,
    HOLD_REASONS,
    MOVES,
    OPEN,
    Status,
    WorkOrderError,
    change_status,
    legal_moves,
    parse_status,
    stage_times,
)
from floor.core.workorders.tags import bind_tag

__all__ = [
    "CLOSED_VALUES",
    "DISPOSITIONS",
    "HOLD_REASONS",
    "MOVES",
    "OPEN",
    "Status",
    "WorkOrderError",
    "bind_tag",
    "board",
    "change_status",
    "cores_report",
    "dispose_core",
    "find_core",
    "flags",
    "jobs_by_status",
    "legal_moves",
    "parse_status",
    "parts_cost_rows",
    "return_core",
    "stage_times",
    "to_csv",
    "waive",
    "waive_job",
]
