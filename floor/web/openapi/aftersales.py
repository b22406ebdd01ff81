"""Operations of after-sales (SPEC 10.5): follow-ups, comebacks, complaints, service reminders."""

from __future__ import annotations

from typing import Any

from floor.web.openapi.schema import BADGE, BOOL, DAY, i, obj, op, s

_NOTE = s(4000)
_STEP = obj(["badge", "note"], badge=BADGE, note=_NOTE)

OPERATIONS: list[dict[str, Any]] = [
    op(
        "get",
        "/api/followups",
        "Follow-up calls (open ones by due time)",
        status=s(8, ["open", "done", "failed"]),
        today=s(1, ["0", "1"]),
    ),
    op(
        "post",
        "/api/followups/{followup_id}",
        "Log a follow-up call; a score of 6 or less opens a complaint",
        obj(["badge", "reached"], badge=BADGE, reached=BOOL, score=i(0, 10), note=_NOTE),
    ),
    op(
        "post",
        "/api/workorders/{number}/comeback",
        "Confirm or dismiss that a job is a comeback of an earlier one",
        obj(["badge", "of", "confirmed"], badge=BADGE, of=s(64), confirmed=BOOL, note=_NOTE),
    ),
    op("get", "/api/comebacks/check", "Reception's comeback check on a VIN or plate", vehicle=s(40)),
    op(
        "post",
        "/api/complaints",
        "Take in a complaint from any channel",
        obj(
            ["badge", "channel", "category", "text"],
            badge=BADGE,
            customer=s(64),
            vehicle=s(40),
            workorder=s(64),
            channel=s(16, ["phone", "in_person", "followup", "online", "letter"]),
            category=s(16, ["quality", "price", "time", "service", "parts", "damage", "other"]),
            text=_NOTE,
        ),
    ),
    op(
        "get",
        "/api/complaints",
        "Complaints (newest first); overdue=1: the alerts",
        status=s(12, ["open", "assigned", "responded", "resolved", "closed"]),
        overdue=s(1, ["0", "1"]),
    ),
    op("get", "/api/complaints/stats", "Monthly complaint statistics by category", **{"from": DAY, "to": DAY}),
    op("get", "/api/complaints/stats.csv", "Monthly complaint statistics as CSV", **{"from": DAY, "to": DAY}),
    op("get", "/api/complaints/{complaint_id}", "One complaint with its steps"),
    op(
        "post",
        "/api/complaints/{complaint_id}/assign",
        "Assign a complaint",
        obj(["badge", "to", "note"], badge=BADGE, to=BADGE, note=_NOTE),
    ),
    op("post", "/api/complaints/{complaint_id}/respond", "The customer was answered", _STEP),
    op("post", "/api/complaints/{complaint_id}/resolve", "The complaint is resolved", _STEP),
    op("post", "/api/complaints/{complaint_id}/close", "Close a complaint with its report", _STEP),
    op("get", "/api/reminders", "Vehicles whose service is due, with the customer's phone", before=DAY),
    op("get", "/api/reminders.csv", "Service reminders as CSV", before=DAY),
]
