"""Parts demand at the job (SPEC 9.2): request lines, their reservations, picks and special orders."""

from floor.core.demand.queues import job_lines, picks, special_orders
from floor.core.demand.rules import (
    Ask,
    DemandError,
    approval_value,
    approve,
    cancel,
    close_job,
    get_line,
    move_reservation,
    release_line,
    request_parts,
    rereserve,
    resolve_lines,
)

__all__ = [
    "Ask",
    "DemandError",
    "approval_value",
    "approve",
    "cancel",
    "close_job",
    "get_line",
    "job_lines",
    "move_reservation",
    "picks",
    "release_line",
    "request_parts",
    "rereserve",
    "resolve_lines",
    "special_orders",
]
