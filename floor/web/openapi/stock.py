"""Operations of scans and master data (SPEC section 6), counts and ABC, alerts, deliveries and returns."""

from __future__ import annotations

from typing import Any

from floor.core.inputs import MAX_ROW_ID
from floor.models.counts import VARIANCE_REASONS
from floor.models.master import LOCATION_KINDS, ROLES
from floor.models.receiving import DELIVERY_KINDS
from floor.web.openapi.schema import (
    BADGE,
    BOOL,
    CODE,
    COUNT,
    DAY,
    MONEY,
    PIN,
    STR,
    TIME,
    YES_NO,
    arr,
    i,
    obj,
    one_word,
    op,
    s,
    text,
)

LINE_REASON = obj(
    ["location", "part_no", "reason"], location=s(64), part_no=s(64), reason=s(24, list(VARIANCE_REASONS))
)
SCAN = obj(["data"], data=s(4096), seq=i(0, 2**62), at=TIME, data_b64=STR)
# Aliases, `|`-separated: each a printable code of up to 128 characters.
_ALIASES = {"type": "string", "maxLength": 2000, "pattern": "^[^|\\x00-\\x1f]{0,128}([|][^|\\x00-\\x1f]{0,128})*$"}
PART_ROW = obj(
    ["part_no", "name"],
    part_no=CODE,
    name=text(200, required=True),
    unit_cost=MONEY,
    sell_price=MONEY,
    core_charge=MONEY,
    reorder_point=COUNT,
    reorder_qty=COUNT,
    core=YES_NO,
    barcodes=_ALIASES,
    supplier=text(64),
    abc=one_word(["A", "B", "C", "a", "b", "c"]),
)
LOCATION_ROW = obj(["code"], code=CODE, name=text(200), zone=text(64), kind=one_word(LOCATION_KINDS))
USER_ROW = obj(
    ["badge", "name", "role"], badge=CODE, name=text(200, required=True), role=s(16, list(ROLES)), active=BOOL
)


OPERATIONS: list[dict[str, Any]] = [
    # scans and master data (SPEC section 6)
    op(
        "post",
        "/api/scans",
        "Apply a batch of one device's scans at a station; one result per scan",
        obj(["station", "scans"], station=s(64), device=s(64), scans=arr(SCAN, min_items=1)),
    ),
    op("post", "/api/parts", "Create or update parts (one object or {items: [...]})", PART_ROW),
    op(
        "post",
        "/api/stock",
        "Set opening stock of a part in a bin",
        obj(["part_no", "location", "qty"], part_no=s(64), location=s(64), qty=STR),
    ),
    op(
        "post",
        "/api/users",
        "Create or update people",
        USER_ROW,
    ),
    op(
        "post",
        "/api/users/{badge}/reissue",
        "A supervisor with their PIN gives a person a new badge; the old one stops working at once",
        obj(["badge", "pin"], badge=BADGE, pin=PIN, new=s(64)),
    ),
    op(
        "post",
        "/api/workorders",
        "Create or update jobs (a `vin` links the job to its vehicle; `customer_code` names its customer)",
        obj(
            ["number"],
            number=s(32),
            vehicle=s(200),
            customer=s(200),
            promised_at=TIME,
            vin=s(40),
            customer_code=s(64),
        ),
    ),
    op("post", "/api/locations", "Create or update bins", LOCATION_ROW),
    op(
        "post",
        "/api/imports/{kind}",
        "Start a CSV import of a kind (the CSV as the body or a multipart `file`): 202 with the run to follow",
        None,
        badge=BADGE,
    ),
    op("get", "/api/imports/{run_id}", "One import: status, rows done of total (progress %), errors by line"),
    op("get", "/api/imports", "The latest imports, newest first"),
    op("get", "/api/parts/{part_no}", "A part with its on-hand per bin"),
    op(
        "get",
        "/api/workorders/{number}",
        "A job with its issued parts, cores and cost; its vehicle (VIN), concerns and repair lines (SPEC 10.2, 10.3)",
    ),
    op("get", "/api/stations/{name}", "A station's live session (its person by name and role, never the badge)"),
    op("get", "/api/devices", "Configured devices and their live state"),
    # counts and ABC
    op("get", "/api/abc", "ABC classes of the parts"),
    op("get", "/api/abc/pareto.svg", "The Pareto curve as SVG"),
    op(
        "post",
        "/api/abc/recompute",
        "Recompute ABC classes (cutoffs: three percentages A, B, C that add up to 100)",
        obj(cutoffs=arr({"type": "number", "minimum": 0, "maximum": 100}, 3, 3)),
    ),
    op("get", "/api/counts/due", "Bins due for counting on a day", date=DAY),
    op(
        "post",
        "/api/counts",
        "Open a count of bins or a zone",
        obj(
            ["kind"],
            kind=s(8, ["cycle", "full"]),
            zone=s(64),
            locations=arr(s(64)),
            badge=BADGE,
            note=s(200),
            blind=BOOL,
        ),
    ),
    op("get", "/api/counts", "Counts, newest first", status=STR),
    op("get", "/api/counts/{count_id}", "One count"),
    op("get", "/api/counts/{count_id}/progress.svg", "A count's progress as SVG", only=STR),
    op("get", "/api/counts/{count_id}/variance", "A count's variance lines"),
    op("get", "/api/counts/{count_id}/variance.csv", "A count's variance as CSV"),
    op("get", "/api/counts/{count_id}/variance.html", "A count's variance as a printable page"),
    op(
        "post",
        "/api/counts/{count_id}/reasons",
        "Reasons for variance lines",
        obj(["lines"], lines=arr(LINE_REASON, min_items=1), badge=BADGE),
    ),
    op(
        "post",
        "/api/counts/{count_id}/approve",
        "A supervisor approves a count with their PIN (not a count they counted in: four_eyes)",
        obj(["badge", "pin"], badge=BADGE, pin=PIN, reasons=arr(LINE_REASON), reason=s(24, list(VARIANCE_REASONS))),
    ),
    # stock: alerts, deliveries, returns
    op("get", "/api/alerts", "Parts at or below their reorder point"),
    op("get", "/api/alerts/reorder.csv", "The reorder list as CSV"),
    op("get", "/api/alerts/log", "The alert log", part_no=STR),
    op("post", "/api/alerts/evaluate", "Re-evaluate every alert"),
    op(
        "post",
        "/api/deliveries",
        "Import expected deliveries (JSON lines or CSV)",
        obj(
            ["lines"],
            supplier=s(200),
            reference=s(64),
            kind=one_word(DELIVERY_KINDS),
            badge=BADGE,
            lines=arr(obj(["part_no", "qty"], part_no=s(64), qty=i())),
        ),
        badge=STR,
    ),
    op("get", "/api/deliveries", "Deliveries by status", status=s(8, ["open", "closed", "all"])),
    op("get", "/api/deliveries/{delivery_id}", "A delivery's report"),
    op(
        "post",
        "/api/deliveries/{delivery_id}/receive",
        "Receive lines of a delivery",
        obj(
            ["lines", "badge"],
            badge=BADGE,
            lines=arr(obj(["part_no", "location", "qty"], part_no=s(64), location=s(64), qty=i()), 10000, 1),
        ),
    ),
    op(
        "post",
        "/api/deliveries/{delivery_id}/select",
        "Select a delivery at a station",
        obj(["station"], station=s(64)),
    ),
    op("post", "/api/deliveries/{delivery_id}/close", "Close a delivery", obj(badge=BADGE)),
    op(
        "post",
        "/api/returns",
        "Record a customer return: from a job (work_order) or a real sale (sale_ref SO:<number>), "
        "never more than it had less what came back",
        obj(
            ["part_no", "qty", "reason", "badge"],
            part_no=s(64),
            qty=i(),
            reason=s(32),
            badge=BADGE,
            work_order=s(32),
            sale_ref=s(64),
            location=s(64),
            note=s(500),
        ),
    ),
    op("get", "/api/returns", "Customer returns", status=STR),
    op("get", "/api/returns/log", "The returns log"),
    op("get", "/api/returns/{return_id}", "One customer return"),
    op(
        "post",
        "/api/returns/{return_id}/inspect",
        "Inspect a customer return",
        obj(["outcome", "badge"], outcome=s(32), qty=i(), location=s(64), note=s(500), badge=BADGE),
    ),
    op("get", "/api/supplier-returns/candidates", "What could go back to suppliers"),
    op(
        "post",
        "/api/supplier-returns",
        "Make a supplier return shipment",
        {
            **obj(
                ["supplier", "badge"],
                supplier=s(200),
                badge=BADGE,
                returns=arr(obj(["id"], id=i(1, MAX_ROW_ID), qty=i())),
                cores=arr(s(64)),
                note=s(500),
            ),
            # an empty shipment is refused (empty_shipment): a return or a core to send
            "anyOf": [
                {"required": ["returns"], "properties": {"returns": {"minItems": 1}}},
                {"required": ["cores"], "properties": {"cores": {"minItems": 1}}},
            ],
        },
    ),
    op("get", "/api/supplier-returns/{shipment_id}", "One supplier return shipment"),
    op("get", "/api/supplier-returns/{shipment_id}/packing-list.csv", "Its packing list as CSV"),
    op("post", "/api/supplier-returns/{shipment_id}/ship", "Ship it", obj(["badge"], badge=BADGE)),
]
