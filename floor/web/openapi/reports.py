"""Operations of reports and the month-end (SPEC 9.5)."""

from __future__ import annotations

from typing import Any

from floor.core.reports.monthend import CAUSES, MAX_PROPOSAL
from floor.web.openapi.schema import BADGE, DAY, MONTH, PIN, i, obj, op, s

OPERATIONS: list[dict[str, Any]] = [
    # reports (SPEC 9.5)
    op("get", "/api/reports/kpis", "KPIs of a period (the site's days, both included)", **{"from": DAY, "to": DAY}),
    op("get", "/api/reports/kpis.csv", "The KPIs as CSV", **{"from": DAY, "to": DAY}),
    op("get", "/api/reports/dead-stock", "Stock with no issue or sale in N days, with a suggestion", days=i(1, 3650)),
    op("get", "/api/reports/dead-stock.csv", "Dead stock as CSV", days=i(1, 3650)),
    op("get", "/api/reports/month-end", "The month-end report (the signed snapshot once signed)", month=MONTH),
    op("get", "/api/reports/month-end.csv", "The month-end report as CSV", month=MONTH),
    op(
        "post",
        "/api/reports/month-end/{month}/proposals",
        "Handling proposals per cause, until the month is signed",
        obj(
            ["badge", "proposals"],
            badge=BADGE,
            proposals={
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"enum": list(CAUSES)},
                "additionalProperties": s(MAX_PROPOSAL),
                "description": "cause -> the handling proposed",
            },
        ),
    ),
    op(
        "post",
        "/api/reports/month-end/{month}/sign",
        "A supervisor signs and freezes an ended month (with their PIN)",
        obj(["badge", "pin"], badge=BADGE, pin=PIN),
    ),
]
