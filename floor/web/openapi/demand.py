"""Operations of parts demand: part requests, picks and special orders (SPEC 9.2), appointments (SPEC 9.4)."""

from __future__ import annotations

from typing import Any

from floor.core.inputs import MAX_ROW_ID
from floor.web.openapi.schema import BADGE, DAY, PIN, STR, TIME, arr, i, obj, op, s

OPERATIONS: list[dict[str, Any]] = [
    # part requests (SPEC 9.2)
    op(
        "post",
        "/api/workorders/{number}/requests",
        "Request parts for a job (reserved when in stock)",
        obj(
            ["badge", "lines"],
            badge=BADGE,
            lines=arr(obj(["part_no", "qty"], part_no=s(64), qty=i(1, 100000)), 200, min_items=1),
        ),
    ),
    op("get", "/api/workorders/{number}/requests", "A job's request lines"),
    op(
        "post",
        "/api/requests/{line_id}/approve",
        "A supervisor approves a request line with their PIN (not one they made: four_eyes)",
        obj(["badge", "pin"], badge=BADGE, pin=PIN),
    ),
    op("post", "/api/requests/{line_id}/cancel", "Cancel a request line", obj(["badge"], badge=BADGE)),
    op(
        "post",
        "/api/requests/{line_id}/release",
        "Release what a line holds",
        obj(["badge"], badge=BADGE, qty=i(1, 100000)),
    ),
    op(
        "post",
        "/api/requests/{line_id}/move",
        "Move held stock to another line of the same part",
        obj(["badge", "to"], badge=BADGE, to=i(1, MAX_ROW_ID), qty=i(1, 100000)),
    ),
    op("get", "/api/picks", "What to pick for jobs and appointments, earliest needed first", workorder=STR),
    op("get", "/api/special-orders", "Backordered lines of jobs and appointments per supplier", supplier=STR),
    op(
        "post",
        "/api/special-orders/delivery",
        "Put a supplier's special orders on an expected delivery",
        obj(["badge", "supplier", "reference"], badge=BADGE, supplier=s(200), reference=s(64)),
    ),
    # appointments (SPEC 9.4)
    op(
        "post",
        "/api/appointments",
        "Book a visit with the parts it needs (reserved as request lines)",
        obj(
            ["badge", "at", "lines"],
            badge=BADGE,
            at=TIME,
            customer=s(200),
            plate=s(32),
            lines=arr(obj(["part_no", "qty"], part_no=s(64), qty=i(1, 100000)), 200),
        ),
    ),
    op(
        "post",
        "/api/appointments/{appointment_id}/arrive",
        "The car came: the job is created with the appointment's requests",
        obj(["badge"], badge=BADGE, number=s(32)),
    ),
    op(
        "post",
        "/api/appointments/{appointment_id}/cancel",
        "Cancel a booked visit: its request lines end and release what they hold",
        obj(["badge"], badge=BADGE),
    ),
    op(
        "post",
        "/api/appointments/{appointment_id}/reschedule",
        "Move a booked visit to another time ahead; its parts stay reserved",
        obj(["badge", "at"], badge=BADGE, at=TIME),
    ),
    op("get", "/api/appointments", "The day's appointments", date=DAY),
    op("get", "/api/appointments/parts", "Parts to prepare for a day's appointments", date=DAY),
]
