"""Operations of counter sales, core charges and warranty claims (SPEC 9.3)."""

from __future__ import annotations

from typing import Any

from floor.web.openapi.schema import BADGE, BOOL, DAY, NONBLANK, PIN, STR, arr, i, obj, one_of_members, op, s

NONBLANK_64 = {**s(64), "minLength": 1, "pattern": NONBLANK}  # given, it names something

OPERATIONS: list[dict[str, Any]] = [
    # sales, core charges and warranty claims (SPEC 9.3)
    op(
        "post",
        "/api/customers",
        "Create or update a sales customer",
        obj(["code"], code=s(64), name=s(200), phone=s(64), kind=s(16, ["retail", "trade"]), badge=BADGE),
    ),
    op("get", "/api/customers", "Sales customers"),
    op(
        "post",
        "/api/sales",
        "A quote: customer and lines (part, qty, optional price)",
        obj(
            ["badge", "customer", "lines"],
            badge=BADGE,
            customer=s(64),
            lines=arr(obj(["part_no", "qty"], part_no=s(64), qty=i(1, 100000), price=STR), 200),
            note=s(2000),
        ),
    ),
    op("post", "/api/sales/{number}/confirm", "Confirm a quote: its stock is reserved", obj(["badge"], badge=BADGE)),
    op(
        "post",
        "/api/sales/{number}/approve",
        "A supervisor approves discounted prices with their PIN (not a sale they quoted: four_eyes)",
        obj(["badge", "pin"], badge=BADGE, pin=PIN),
    ),
    op(
        "post",
        "/api/sales/{number}/ship",
        "Ship a picked sale (carrier and tracking, or collected)",
        obj(["badge"], badge=BADGE, carrier=s(64), tracking=s(64), collected=BOOL),
    ),
    op("post", "/api/sales/{number}/cancel", "Cancel a sale", obj(["badge"], badge=BADGE)),
    op(
        "post",
        "/api/sales/{number}/cores/refund",
        "Refund a core charge (by tag serial, or the oldest of a part)",
        one_of_members(obj(["badge"], badge=BADGE, serial=NONBLANK_64, part_no=NONBLANK_64), ["serial", "part_no"]),
    ),
    op("get", "/api/sales/cores", "Core charges not yet refunded"),
    op("get", "/api/sales/{number}", "One sale with lines, totals and core charges"),
    op("get", "/api/sales", "Sales in a period", **{"from": DAY, "to": DAY, "status": STR}),
    op("get", "/api/sales.csv", "Sales in a period as CSV", **{"from": DAY, "to": DAY, "status": STR}),
    op("get", "/api/sales/stats", "Sales figures of a period", **{"from": DAY, "to": DAY}),
    op("get", "/api/sales/stats.csv", "Sales figures of a period as CSV", **{"from": DAY, "to": DAY}),
    op(
        "post",
        "/api/claims",
        "A draft warranty claim for cores of a job",
        obj(
            ["badge", "workorder", "cores", "claim_no", "amount"],
            badge=BADGE,
            workorder=s(32),
            cores=arr(s(64), 100),
            claim_no=s(64),
            amount=STR,
            note=s(2000),
        ),
    ),
    op(
        "post",
        "/api/claims/{claim_id}/{action}",
        "A claim's step: submit, approve, reject or credit (approve and credit: the approver's PIN; four_eyes)",
        obj(["badge"], badge=BADGE, pin=PIN, amount=STR, note=s(2000)),
    ),
    op(
        "get",
        "/api/claims",
        "Warranty claims",
        status=s(16, ["draft", "submitted", "approved", "rejected", "credited"]),
    ),
    op("get", "/api/claims/credits", "Credited claims"),
]
