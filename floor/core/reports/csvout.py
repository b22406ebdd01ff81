"""Reports as CSV: one header row, then rows, every cell through `floor.core.csvsafe.safe_cell`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from floor.core.csvsafe import safe_cell


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The CSV text of a header and rows, every cell through `safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def kpis_csv(report: dict[str, Any], keys: Sequence[str]) -> str:
    """One row per KPI: kpi, value, from, to."""
    return to_csv(("kpi", "value", "from", "to"), ((k, report.get(k), report["from"], report["to"]) for k in keys))


DEAD_COLUMNS = (
    "part_no",
    "location",
    "zone",
    "supplier",
    "qty",
    "value",
    "last_issue",
    "last_receive",
    "suggestion",
    "age_band",
)


def dead_stock_csv(lines: list[dict[str, Any]]) -> str:
    """One row per dead (part, bin) line."""
    return to_csv(DEAD_COLUMNS, ([line[c] for c in DEAD_COLUMNS] for line in lines))


def month_end_csv(report: dict[str, Any], keys: Sequence[str]) -> str:
    """The month-end report in long form: section, name, metric, value."""
    rows: list[tuple[Any, ...]] = [("report", report["month"], "status", report["status"])]
    if report.get("signed"):
        rows += [("report", report["month"], "signed_by", report["signed"]["name"])]
        rows += [("report", report["month"], "signed_at", report["signed"]["at"])]
    for c in report["counts"]:
        for metric in ("bins", "bins_without_variance", "accuracy", "value_accuracy"):
            rows.append(("count", c["count_id"], metric, c[metric]))
    for reason, v in report["variance_by_reason"].items():
        for metric, value in v.items():
            rows.append(("variance", reason, metric, value))
    adj = report["adjustments"]
    for metric, value in adj["from_counts"].items():
        rows.append(("adjustments", "from_counts", metric, value))
    for o in adj["other"]:
        rows.append(("adjustment", f"{o['part_no']}@{o['location']}", "value", o["value"]))
    dead = report["dead_stock"]
    rows += [("dead_stock", "total", "value", dead["value"]), ("dead_stock", "total", "lines", dead["lines"])]
    for band, value in dead["by_age_band"].items():
        rows.append(("dead_stock", band, "value", value))
    for t in report["trend"]:
        for k in keys:
            rows.append(("kpi", t["month"], k, t.get(k)))
    for cause, text in report["proposals"].items():
        rows.append(("proposal", cause, "text", text))
    return to_csv(("section", "name", "metric", "value"), rows)
