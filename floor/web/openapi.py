"""The OpenAPI 3.1 description of the whole HTTP API, served at `GET /api/openapi.json`.

One table, `OPERATIONS`, names every `/api/...` route with its method, summary, query
parameters and JSON body schema; path parameters come from the path itself (`{count_id}`
style names ending in `_id` are 64-bit ids). tests/trust/test_openapi.py compares this
table with the routes the app registers, and the fuzz test drives every operation from it.
To add a route: add one `op(...)` line below (docs/CONTRIBUTING-internal.md, "The API description").
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, jsonify

from floor.core.inputs import MAX_ID

bp = Blueprint("openapi", __name__, url_prefix="/api")

# -- small schema helpers ------------------------------------------------------------------------
STR: dict[str, Any] = {"type": "string"}
BOOL: dict[str, Any] = {"type": "boolean"}


def s(max_len: int = 200, enum: list[str] | None = None) -> dict[str, Any]:
    """A string schema."""
    out: dict[str, Any] = {"type": "string", "maxLength": max_len}
    if enum:
        out["enum"] = enum
    return out


def i(lo: int = 1, hi: int = 9999) -> dict[str, Any]:
    """An integer schema."""
    return {"type": "integer", "minimum": lo, "maximum": hi}


def obj(required: list[str] | None = None, **props: dict[str, Any]) -> dict[str, Any]:
    """An object schema (extra members allowed: the API ignores what it does not know)."""
    out: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        out["required"] = required
    return out


def arr(items: dict[str, Any], max_items: int = 1000) -> dict[str, Any]:
    """An array schema."""
    return {"type": "array", "items": items, "maxItems": max_items}


TIME = {"type": "string", "format": "date-time"}
DAY = {"type": "string", "format": "date"}
BADGE = s(64)
LINE_REASON = obj(["location", "part_no", "reason"], location=s(64), part_no=s(64), reason=s(24))
SCAN = obj(["data"], data=s(4096), seq=i(0, 2**62), at=TIME, data_b64=STR)
PART = obj(
    ["part_no", "name"],
    part_no=s(64),
    name=s(200),
    unit_cost=STR,
    reorder_point=STR,
    core=STR,
    barcodes=STR,
)


def op(method: str, path: str, summary: str, body: dict[str, Any] | None = None, **query: dict[str, Any]) -> dict:
    """One operation of the table."""
    return {"method": method, "path": path, "summary": summary, "body": body, "query": query}


OPERATIONS: list[dict[str, Any]] = [
    op("get", "/api/openapi.json", "This description"),
    # scans and master data (SPEC section 6)
    op(
        "post",
        "/api/scans",
        "Apply a batch of one device's scans at a station; one result per scan",
        obj(["station", "scans"], station=s(64), device=s(64), scans=arr(SCAN)),
    ),
    op("post", "/api/parts", "Create or update parts (one object or {items: [...]})", PART),
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
        obj(["badge", "name", "role"], badge=s(64), name=s(200), role=s(32)),
    ),
    op(
        "post",
        "/api/workorders",
        "Create or update jobs",
        obj(["number"], number=s(32), vehicle=s(200), customer=s(200), promised_at=TIME),
    ),
    op("post", "/api/locations", "Create or update bins", obj(["code"], code=s(64), name=s(200), zone=s(32))),
    op("get", "/api/parts/{part_no}", "A part with its on-hand per bin"),
    op("get", "/api/workorders/{number}", "A job with its issued parts, cores and cost"),
    op("get", "/api/stations/{name}", "A station's live session"),
    op("get", "/api/devices", "Configured devices and their live state"),
    # counts and ABC
    op("get", "/api/abc", "ABC classes of the parts"),
    op("get", "/api/abc/pareto.svg", "The Pareto curve as SVG"),
    op("post", "/api/abc/recompute", "Recompute ABC classes", obj(cutoffs=arr({"type": "number"}, 3))),
    op("get", "/api/counts/due", "Bins due for counting on a day", date=DAY),
    op(
        "post",
        "/api/counts",
        "Open a count of bins or a zone",
        obj(["kind"], kind=s(8), zone=s(64), locations=arr(s(64)), badge=BADGE, note=s(200), blind=BOOL),
    ),
    op("get", "/api/counts", "Counts, newest first", status=STR),
    op("get", "/api/counts/{count_id}", "One count"),
    op("get", "/api/counts/{count_id}/progress.svg", "A count's progress as SVG", only=STR),
    op("get", "/api/counts/{count_id}/variance", "A count's variance lines"),
    op("get", "/api/counts/{count_id}/variance.csv", "A count's variance as CSV"),
    op("get", "/api/counts/{count_id}/variance.html", "A count's variance as a printable page"),
    op("post", "/api/counts/{count_id}/reasons", "Reasons for variance lines", obj(lines=arr(LINE_REASON))),
    op(
        "post",
        "/api/counts/{count_id}/approve",
        "A supervisor approves a count",
        obj(["badge"], badge=BADGE, reasons=arr(LINE_REASON), reason=s(24)),
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
            kind=s(16),
            badge=BADGE,
            lines=arr(obj(["part_no", "qty"], part_no=s(64), qty=i())),
        ),
        badge=STR,
    ),
    op("get", "/api/deliveries", "Deliveries by status", status=STR),
    op("get", "/api/deliveries/{delivery_id}", "A delivery's report"),
    op(
        "post",
        "/api/deliveries/{delivery_id}/receive",
        "Receive lines of a delivery",
        obj(
            ["lines"],
            badge=BADGE,
            lines=arr(obj(["part_no", "location", "qty"], part_no=s(64), location=s(64), qty=i())),
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
        "Record a customer return",
        obj(["part_no", "qty", "reason"], part_no=s(64), qty=i(), reason=s(32), badge=BADGE, workorder=s(32)),
    ),
    op("get", "/api/returns", "Customer returns", status=STR),
    op("get", "/api/returns/log", "The returns log"),
    op("get", "/api/returns/{return_id}", "One customer return"),
    op(
        "post",
        "/api/returns/{return_id}/inspect",
        "Inspect a customer return",
        obj(["outcome"], outcome=s(32), qty=i(), location=s(64), note=s(500), badge=BADGE),
    ),
    op("get", "/api/supplier-returns/candidates", "What could go back to suppliers"),
    op(
        "post",
        "/api/supplier-returns",
        "Make a supplier return shipment",
        obj(
            ["supplier"],
            supplier=s(200),
            badge=BADGE,
            returns=arr(obj(["id"], id=i(1, MAX_ID), qty=i())),
            cores=arr(s(64)),
        ),
    ),
    op("get", "/api/supplier-returns/{shipment_id}", "One supplier return shipment"),
    op("get", "/api/supplier-returns/{shipment_id}/packing-list.csv", "Its packing list as CSV"),
    op("post", "/api/supplier-returns/{shipment_id}/ship", "Ship it", obj(["badge"], badge=BADGE)),
    # work orders and cores
    op("get", "/api/workorders", "Jobs by status", status=STR),
    op("get", "/api/workorders/board", "The job board"),
    op(
        "get",
        "/api/workorders/costs.csv",
        "Parts cost per job",
        **{"from": DAY, "to": DAY, "by": s(8, ["job", "part"])},
    ),
    op(
        "post",
        "/api/workorders/{number}/status",
        "Move a job to a status",
        obj(["status"], status=s(32), note=s(2000), reason=s(32), team=s(64), badge=BADGE),
    ),
    op(
        "post",
        "/api/workorders/{number}/tags",
        "Attach a key tag to a job",
        obj(["code"], code=s(128), kind=s(16), label=s(200)),
    ),
    op("get", "/api/cores", "Cores by status", status=STR),
    op("post", "/api/cores/{serial}/return", "A core comes back", obj(badge=BADGE)),
    op(
        "post",
        "/api/cores/{serial}/disposition",
        "Judge a returned core",
        obj(["disposition"], disposition=s(32), badge=BADGE, claim_ref=s(64)),
    ),
    op("post", "/api/cores/{serial}/waive", "Waive a due core", obj(badge=BADGE, note=s(2000))),
    # labels
    op(
        "post",
        "/api/labels",
        "Print a label or return it rendered",
        obj(["kind"], kind=s(16), id=s(128), ids=arr(s(128), 500), format=s(8), printer=s(64), station=s(64)),
    ),
    op("get", "/api/printers", "Printers and their queues"),
    op("post", "/api/print-jobs/{job_id}/reprint", "Queue an earlier print job again"),
    # gateways
    op(
        "post",
        "/api/gateway/alerts",
        "A gateway reports a batch it quarantined",
        obj(
            ["device", "first_seq", "last_seq", "scans", "error"],
            station=s(64),
            device=s(64),
            first_seq=i(0, 2**62),
            last_seq=i(0, 2**62),
            scans=i(1, 100_000),
            error=s(500),
        ),
    ),
    op("get", "/api/gateway/alerts", "Batches gateways quarantined, newest first"),
    # reception, final inspection, hand-over and the key cabinet (SPEC 9.4)
    op(
        "post",
        "/api/reception",
        "Receive a car: a new job with the reception fields, tags and its job label",
        obj(
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
        obj(["result"], result=s(8, ["pass", "fail"]), reason=s(500), badge=BADGE),
    ),
    op(
        "post",
        "/api/workorders/{number}/signature",
        "Store the customer's signature (PNG, base64)",
        obj(["png"], png=s(400_000), badge=BADGE),
    ),
    op("get", "/api/workorders/{number}/signature.png", "The customer's signature as PNG"),
    op(
        "post",
        "/api/workorders/{number}/deliver",
        "Hand the car over (signature when required) and print the gate pass",
        obj(badge=BADGE, signature=s(600_000), printer=s(64)),
    ),
    op(
        "post",
        "/api/workorders/{number}/key",
        "The key cabinet without a reader: out to a person or back in",
        obj(["action"], action=s(4, ["out", "in"]), badge=BADGE),
    ),
    op("get", "/api/keys/out", "Keys of open jobs out of the cabinet"),
    op("get", "/api/workorders/{number}/handover", "What the hand-over page shows for a job"),
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
    op("post", "/api/sales/{number}/approve", "A supervisor approves discounted prices", obj(["badge"], badge=BADGE)),
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
        obj(["badge"], badge=BADGE, serial=s(64), part_no=s(64)),
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
        "A claim's step: submit, approve, reject or credit",
        obj(["badge"], badge=BADGE, amount=STR, note=s(2000)),
    ),
    op("get", "/api/claims", "Warranty claims", status=STR),
    op("get", "/api/claims/credits", "Credited claims"),
    # part requests (SPEC 9.2)
    op(
        "post",
        "/api/workorders/{number}/requests",
        "Request parts for a job (reserved when in stock)",
        obj(["badge", "lines"], badge=BADGE, lines=arr(obj(["part_no", "qty"], part_no=s(64), qty=i(1, 100000)), 200)),
    ),
    op("get", "/api/workorders/{number}/requests", "A job's request lines"),
    op("post", "/api/requests/{line_id}/approve", "A supervisor approves a request line", obj(["badge"], badge=BADGE)),
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
        obj(["badge", "to"], badge=BADGE, to=i(1, MAX_ID), qty=i(1, 100000)),
    ),
    op("get", "/api/picks", "What to pick, earliest promised job first", workorder=STR),
    op("get", "/api/special-orders", "Backordered lines per supplier", supplier=STR),
    op(
        "post",
        "/api/special-orders/delivery",
        "Put a supplier's special orders on an expected delivery",
        obj(["badge", "supplier"], badge=BADGE, supplier=s(200), reference=s(64)),
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
    op("get", "/api/appointments", "The day's appointments", date=DAY),
    op("get", "/api/appointments/parts", "Parts to prepare for a day's appointments", date=DAY),
    # reports (SPEC 9.5)
    op("get", "/api/reports/kpis", "KPIs of a period (the site's days, both included)", **{"from": DAY, "to": DAY}),
    op("get", "/api/reports/kpis.csv", "The KPIs as CSV", **{"from": DAY, "to": DAY}),
    op("get", "/api/reports/dead-stock", "Stock with no issue or sale in N days, with a suggestion", days=i(1, 3650)),
    op("get", "/api/reports/dead-stock.csv", "Dead stock as CSV", days=i(1, 3650)),
    op("get", "/api/reports/month-end", "The month-end report (the signed snapshot once signed)", month=s(7)),
    op("get", "/api/reports/month-end.csv", "The month-end report as CSV", month=s(7)),
    op(
        "post",
        "/api/reports/month-end/{month}/proposals",
        "Handling proposals per cause, until the month is signed",
        obj(["badge", "proposals"], badge=BADGE, proposals={"type": "object", "additionalProperties": s(2000)}),
    ),
    op(
        "post",
        "/api/reports/month-end/{month}/sign",
        "A supervisor signs and freezes an ended month",
        obj(["badge"], badge=BADGE),
    ),
]

_PARAM = re.compile(r"\{([a-z_]+)\}")
ERROR = {
    "type": "object",
    "properties": {"error": STR, "code": STR, "error_zh": STR},
    "required": ["error"],
}


def _path_param(name: str) -> dict[str, Any]:
    schema = i(1, MAX_ID) if name.endswith("_id") else {"type": "string", "minLength": 1}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _operation(entry: dict[str, Any]) -> dict[str, Any]:
    params = [_path_param(n) for n in _PARAM.findall(entry["path"])]
    params += [{"name": n, "in": "query", "required": False, "schema": sch} for n, sch in entry["query"].items()]
    out: dict[str, Any] = {
        "summary": entry["summary"],
        "operationId": f"{entry['method']}{re.sub(r'[^A-Za-z0-9]+', '_', entry['path'])}",
        "responses": {
            "200": {"description": "done"},
            "4XX": {"description": "refused: nothing changed", "content": {"application/json": {"schema": ERROR}}},
        },
    }
    if params:
        out["parameters"] = params
    if entry["body"] is not None:
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": entry["body"]}}}
    if entry["method"] == "post":
        out["security"] = [{"bearer": []}, {}]
    return out


def spec() -> dict[str, Any]:
    """The OpenAPI 3.1 document."""
    paths: dict[str, dict[str, Any]] = {}
    for entry in OPERATIONS:
        paths.setdefault(entry["path"], {})[entry["method"]] = _operation(entry)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "floor",
            "version": "1",
            "description": "Parts store and workshop floor. Refusals are 4xx JSON {error, code, error_zh} and change nothing.",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "[api] tokens"}}
        },
    }


def flask_rule_to_path(rule: str) -> str:
    """`/api/counts/<int:count_id>` → `/api/counts/{count_id}` (OpenAPI's path template)."""
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


@bp.get("/openapi.json")
def get_openapi() -> Any:
    """This API's OpenAPI 3.1 description."""
    return jsonify(spec())
