"""Operations of the vehicle file, the repair order and the technicians' report (SPEC 10.1-10.3)."""

from __future__ import annotations

from typing import Any

from floor.web.openapi.schema import BADGE, BOOL, DAY, arr, i, obj, one_of_members, op, s

_ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
_HOW = s(16, ["signature", "phone", "in_person"])
_PAY = s(16, ["customer", "warranty", "internal"])

# What a line says beyond its kind: made with a line, changed by PATCH (at least one of them).
_LINE: dict[str, dict[str, Any]] = {
    "qty": i(1, 100000),
    "hours": s(10),
    "pay": _PAY,
    "concern": _ID,
    "safety": BOOL,
    "unit_price": s(20),
    "note": s(500),
}

OPERATIONS: list[dict[str, Any]] = [
    # vehicles (SPEC 10.1)
    op(
        "post",
        "/api/vehicles",
        "Register a vehicle by VIN, or update it (plate, make, model, year, customer code, warranty)",
        obj(
            ["badge", "vin"],
            badge=BADGE,
            vin=s(40),
            plate=s(32),
            make=s(64),
            model=s(64),
            year=i(1900, 2200),
            customer=s(64),
            warranty_until=DAY,
            warranty_km=i(0, 9_999_999),
        ),
    ),
    op(
        "get",
        "/api/vehicles/{key}",
        "A vehicle by VIN or plate: customer, in_warranty, next service, jobs with mileage and concerns, declined work",
    ),
    # the repair order (SPEC 10.2)
    op(
        "post",
        "/api/workorders/{number}/concerns",
        "The customer's concern, in their words",
        obj(["badge", "text"], badge=BADGE, text=s(2000)),
    ),
    op(
        "patch",
        "/api/workorders/{number}/concerns/{concern_id}",
        "A concern's cause and correction (or its words)",
        obj(["badge"], badge=BADGE, cause=s(2000), correction=s(2000), text=s(2000)),
    ),
    op(
        "post",
        "/api/workorders/{number}/lines",
        "A line: labour (an operation of the catalogue) or a part (a request line that reserves stock); proposed",
        obj(["badge", "kind", "pay"], badge=BADGE, kind=s(16, ["labour", "part"]), op=s(32), part_no=s(64), **_LINE),
    ),
    op(
        "patch",
        "/api/workorders/{number}/lines/{line_id}",
        "Change a line (after the customer's yes: a supervisor with their PIN, and the line is proposed again)",
        one_of_members(obj(["badge"], badge=BADGE, pin=s(12), **_LINE), list(_LINE)),  # a field to change
    ),
    op("get", "/api/workorders/{number}/estimate", "The estimate: lines, totals per pay type, tax, what is due"),
    op(
        "post",
        "/api/workorders/{number}/authorize",
        "The customer's yes and no per line: how, who took it, when (declining a safety item needs a signature)",
        obj(
            ["badge", "how"],
            badge=BADGE,
            lines=arr(_ID, 200),
            declined=arr(_ID, 200),
            how=_HOW,
            signature=s(400_000),
        ),
    ),
    # clocking (SPEC 10.3)
    op(
        "get",
        "/api/reports/technicians",
        "Per technician: clocked and sold hours, efficiency, jobs, comebacks",
        **{"from": DAY, "to": DAY},
    ),
    op("get", "/api/reports/technicians.csv", "The technicians' report as CSV", **{"from": DAY, "to": DAY}),
]
