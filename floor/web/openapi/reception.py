"""Operations of reception, final inspection, hand-over and the key cabinet (SPEC 9.4)."""

from __future__ import annotations

from typing import Any

from floor.web.openapi.schema import BADGE, BOOL, TIME, i, obj, op, s

OPERATIONS: list[dict[str, Any]] = [
    # reception, final inspection, hand-over and the key cabinet (SPEC 9.4)
    op(
        "post",
        "/api/reception",
        "Receive a car: a new job with the reception fields, tags and its job label",
        obj(
            ["badge"],
            badge=BADGE,
            number=s(64),
            vehicle=s(200),
            customer=s(200),
            promised_at=TIME,
            estimate_minutes=i(1, 100000),
            plate=s(32),
            vin=s(17),
            mileage=i(0, 9_999_999),
            fuel_pct=i(0, 100),
            belongings=s(2000),
            old_parts=s(16),
            wash=BOOL,
            advisor=s(200),
            key_tag=s(128),
            folder_tag=s(128),
            printer=s(64),
        ),
    ),
    op(
        "post",
        "/api/workorders/{number}/qc",
        "Final inspection: PASS or FAIL (a FAIL needs a reason)",
        obj(["result", "badge"], result=s(8, ["pass", "fail"]), reason=s(500), badge=BADGE),
    ),
    op(
        "post",
        "/api/workorders/{number}/signature",
        "Store the customer's signature (PNG, base64)",
        obj(["png", "badge"], png=s(400_000), badge=BADGE),
    ),
    op("get", "/api/workorders/{number}/signature.png", "The customer's signature as PNG"),
    op(
        "post",
        "/api/workorders/{number}/deliver",
        "Hand the car over (signature when required) and print the gate pass",
        obj(["badge"], badge=BADGE, signature=s(600_000), printer=s(64)),
    ),
    op(
        "post",
        "/api/workorders/{number}/key",
        "The key cabinet without a reader: out to a person or back in",
        obj(["action", "badge"], action=s(4, ["out", "in"]), badge=BADGE),
    ),
    op("get", "/api/keys/out", "Keys of open jobs out of the cabinet"),
    op("get", "/api/workorders/{number}/handover", "What the hand-over page shows for a job"),
]
