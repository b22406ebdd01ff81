"""Whose a request line is and when it is needed: the one rule every demand list and every receipt follows.

A line belongs to a job, or, until its car comes, to a booked appointment (`work_order_id` still
None; SPEC 9.4). It is live demand while its job is open or its appointment still booked. It is
needed by the job's promised time or the appointment's time, whichever it has; jobs without a
promise come last. The pick queue, the special orders, a receipt's re-reservation and the trim
to stock all read it from here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, FromClause, Join, and_, func, or_

from floor.models import Appointment, PartRequest, WorkOrder
from floor.models.appointments import BOOKED
from floor.models.base import table_of
from floor.models.workorders import CLOSED_STATUSES

LINE, JOB, APPT = table_of(PartRequest), table_of(WorkOrder), table_of(Appointment)
_r, _w, _a = LINE.c, JOB.c, APPT.c


def joined(base: FromClause = LINE) -> Join:
    """`base` (the request lines, maybe joined further) with each line's job and, while it has none, its appointment."""
    return base.outerjoin(JOB, _w.id == _r.work_order_id).outerjoin(
        APPT, and_(_a.id == _r.appointment_id, _r.work_order_id.is_(None))
    )


# Over `joined()`: the line's job is open, or it has no job yet and its appointment is still booked.
LIVE: ColumnElement[bool] = or_(_w.status.not_in(CLOSED_STATUSES), _a.status == BOOKED)
# When the line is needed: its job's promise, else its appointment's time (None: a job without a promise).
NEED_BY: ColumnElement[Any] = func.coalesce(_w.promised_at, _a.at)


def first_needed() -> tuple[ColumnElement[Any], ...]:
    """ORDER BY terms: the earliest needed first, lines needed at no set time last (add a tie-break)."""
    return (NEED_BY.is_(None), NEED_BY)


def last_needed() -> tuple[ColumnElement[Any], ...]:
    """ORDER BY terms, the reverse: lines needed at no set time first, then the latest needed."""
    return (NEED_BY.is_(None).desc(), NEED_BY.desc())
