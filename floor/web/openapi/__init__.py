"""The OpenAPI 3.1 description of the whole HTTP API, served at `GET /api/openapi.json`.

One table, `OPERATIONS`, names every `/api/...` route with its method, summary, query
parameters and JSON body schema; path parameters come from the path itself (`{count_id}`
style names ending in `_id` are 64-bit ids). tests/trust/test_openapi.py compares this
table with the routes the app registers, and the fuzz test drives every operation from it.
The table is assembled here from one list per area (`stock`, `jobs`, `devices`, `reception`,
`sales`, `demand`, `reports`, `aftersales`, `repair`, `billing`; in this order, which the fuzz follows), written with the helpers
of `schema`; `document` builds the JSON.
To add a route: add one `op(...)` line to its area's list (docs/CONTRIBUTING-internal.md,
"The API description").
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from floor.web.openapi import aftersales, billing, demand, devices, jobs, reception, repair, reports, sales, stock
from floor.web.openapi.document import document, flask_rule_to_path
from floor.web.openapi.reference import html_page
from floor.web.openapi.schema import BADGE, BOOL, DAY, STR, TIME, arr, i, obj, op, s

__all__ = [
    "BADGE",
    "BOOL",
    "DAY",
    "OPERATIONS",
    "STR",
    "TIME",
    "arr",
    "bp",
    "flask_rule_to_path",
    "i",
    "obj",
    "op",
    "s",
    "spec",
]

bp = Blueprint("openapi", __name__, url_prefix="/api")

OPERATIONS: list[dict[str, Any]] = [
    op("get", "/api/openapi.json", "This description"),
    op("get", "/api/docs", "This description as a page to read (HTML)"),
    *stock.OPERATIONS,
    *jobs.OPERATIONS,
    *devices.OPERATIONS,
    *reception.OPERATIONS,
    *sales.OPERATIONS,
    *demand.OPERATIONS,
    *reports.OPERATIONS,
    *aftersales.OPERATIONS,
    *repair.OPERATIONS,
    *billing.OPERATIONS,
]


def spec() -> dict[str, Any]:
    """The OpenAPI 3.1 document."""
    return document(OPERATIONS)


@bp.get("/openapi.json")
def get_openapi() -> Any:
    """This API's OpenAPI 3.1 description."""
    return jsonify(spec())


@bp.get("/docs")
def get_docs() -> Any:
    """This API's reference, to read in a browser (served locally: no CDN, no script)."""
    return Response(html_page(spec()), mimetype="text/html")
