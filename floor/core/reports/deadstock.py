"""Dead and slow stock: stock with no issue or sale in the last N days, valued, by bin and supplier.

A part is dead as of an instant when it has stock (outside scrap bins) and no `issue` or `sale`
move in the N days up to that instant. Each (part, bin) holding it is one line, valued at the
part's unit cost. The suggestion per line (docs/kpis.md, "Dead stock"):

- `return_to_supplier`: the part has a supplier and was received within RETURN_WINDOW_DAYS;
- `transfer`: else, it was issued or sold within 2 × N days (slow, still wanted somewhere);
- `review_reorder_point`: where `scrap` would follow but the part has a warning line (a reorder
  point above 0): it is kept in stock on purpose, so lower its reorder point rather than scrap it;
- `scrap`: else (inactive, or no demand for 2 × N days and no way back to a supplier).

Stock that arrived in the last N days (a receipt, or the opening stock on its import date) is not
dead: the N days of a line run from its last issue, sale, receipt or opening balance.

Quantities as of a past instant are the current level minus the moves after it. Each line's
last issue and last receipt are two probes of the (part_id, reason, at) index.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from floor.models import UTCDateTime

DEFAULT_DAYS = 180
RETURN_WINDOW_DAYS = 365
CENT = Decimal("0.01")
AGE_BANDS = ("lt_365", "365_729", "ge_730", "never")


def _as_datetime(value: Any) -> datetime | None:
    return UTCDateTime().process_result_value(value, None)  # type: ignore[arg-type]


def suggestion(
    active: bool,
    supplier: str | None,
    last_issue: datetime | None,
    last_receive: datetime | None,
    as_of: datetime,
    days: int,
    warning_line: bool = False,
) -> str:
    """What to do with a dead line: return_to_supplier, transfer, review_reorder_point or scrap (module docstring)."""
    if not active:
        return "scrap"
    if supplier and last_receive is not None and last_receive > as_of - timedelta(days=RETURN_WINDOW_DAYS):
        return "return_to_supplier"
    if last_issue is not None and last_issue > as_of - timedelta(days=2 * days):
        return "transfer"
    return "review_reorder_point" if warning_line else "scrap"


def age_band(last_issue: datetime | None, as_of: datetime) -> str:
    """The age band of a dead line by days since its last issue or sale."""
    if last_issue is None:
        return "never"
    age = (as_of - last_issue).days
    return "lt_365" if age < 365 else "365_729" if age < 730 else "ge_730"


# Alive: issued or sold in the window, or arrived in it (a receipt, or the opening stock on its import date).
_ALIVE = (
    "EXISTS (SELECT 1 FROM stock_moves m WHERE m.part_id = s.part_id"
    " AND m.reason IN ('issue', 'sale', 'receive', 'opening') AND m.at > :cutoff AND m.at <= :as_of)"
)
_LAST = "(SELECT MAX(m.at) FROM stock_moves m WHERE m.part_id = s.part_id AND m.reason {cond} AND m.at <= :as_of)"
_LATER = "(SELECT SUM(m.qty) FROM stock_moves m WHERE m.part_id = s.part_id AND m.location_id = s.location_id AND m.at > :as_of)"
# The last issue and receipt are probed only for the lines that are dead (the select list is
# evaluated for result rows only); as of now no move is later, so the level is the quantity.
# The query names no other table: joined to parts and bins, PostgreSQL misjudges how few levels
# are dead (it expects one) and loops over a whole table per dead line (seconds). Part and bin
# details are read afterwards for the dead lines only.
_NOT_SCRAP = "s.location_id NOT IN (SELECT id FROM locations WHERE kind = 'scrap')"
_NOW = f"""
SELECT s.part_id, s.location_id, s.qty, {_LAST.format(cond="IN ('issue', 'sale')")}, {_LAST.format(cond="IN ('receive', 'opening')")}
FROM stock_levels s
WHERE s.qty > 0 AND {_NOT_SCRAP} AND NOT {_ALIVE}
"""
# As of a past instant: the level less the later moves, worked out (in the select list) for the
# levels without an issue or sale only; whether anything is left is checked on the rows read.
_PAST = f"""
SELECT s.part_id, s.location_id, s.qty - COALESCE({_LATER}, 0),
       {_LAST.format(cond="IN ('issue', 'sale')")}, {_LAST.format(cond="IN ('receive', 'opening')")}
FROM stock_levels s
WHERE {_NOT_SCRAP} AND NOT {_ALIVE}
"""
_NOW_SQL = text(_NOW).bindparams(bindparam("as_of", type_=UTCDateTime), bindparam("cutoff", type_=UTCDateTime))
_PAST_SQL = text(_PAST).bindparams(bindparam("as_of", type_=UTCDateTime), bindparam("cutoff", type_=UTCDateTime))


def _by_id(session: Session, table: str, columns: str, ids: set[int]) -> dict[int, Any]:
    """Rows of one table by id (the first column), in one query.

    The ids are integers read from the database, written into the SQL as a literal list: bound one
    by one, a few thousand of them cost more to bind than the rows cost to read.
    """
    if not ids:
        return {}
    listed = ", ".join(str(int(i)) for i in sorted(ids))
    return {int(row[0]): row for row in session.execute(text(f"SELECT {columns} FROM {table} WHERE id IN ({listed})"))}


def dead_stock(
    session: Session, as_of: datetime, days: int = DEFAULT_DAYS, now: datetime | None = None
) -> list[dict[str, Any]]:
    """The dead lines as of an instant: part_no, location, zone, supplier, qty, value, last_issue, suggestion, band."""
    past = now is None or as_of < now
    found = session.execute(_PAST_SQL if past else _NOW_SQL, {"as_of": as_of, "cutoff": as_of - timedelta(days=days)})
    rows = [r for r in found if r[2] > 0]
    parts = _by_id(session, "parts", "id, part_no, supplier, active, unit_cost, reorder_point", {r[0] for r in rows})
    bins = _by_id(session, "locations", "id, code, zone", {r[1] for r in rows})
    lines: list[dict[str, Any]] = []
    for part_id, location_id, qty, last_issue, last_receive in rows:
        _id, part_no, supplier, active, cost, reorder_point = parts[part_id]
        _loc, code, zone = bins[location_id]
        issued = _as_datetime(last_issue)
        received = _as_datetime(last_receive)
        value = (Decimal(str(cost or 0)) * int(qty)).quantize(CENT)
        lines.append(
            {
                "part_no": part_no,
                "location": code,
                "zone": zone or "-",
                "supplier": supplier,
                "qty": int(qty),
                "value": float(value),
                "last_issue": issued.isoformat() if issued else None,
                "last_receive": received.isoformat() if received else None,
                "suggestion": suggestion(
                    bool(active), supplier, issued, received, as_of, days, warning_line=bool(reorder_point)
                ),
                "age_band": age_band(issued, as_of),
            }
        )
    lines.sort(key=lambda line: (line["part_no"], line["location"]))
    return lines


def summary(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals of dead lines: value, lines, by suggestion, by age band, by supplier."""
    by: dict[str, dict[str, Decimal]] = {
        "suggestion": {},
        "age_band": {b: Decimal(0) for b in AGE_BANDS},
        "supplier": {},
    }
    total = Decimal(0)
    for line in lines:
        v = Decimal(str(line["value"]))
        total += v
        for key in ("suggestion", "age_band"):
            by[key][line[key]] = by[key].get(line[key], Decimal(0)) + v
        sup = line["supplier"] or "-"
        by["supplier"][sup] = by["supplier"].get(sup, Decimal(0)) + v
    return {
        "lines": len(lines),
        "value": float(total.quantize(CENT)),
        **{f"by_{k}": {n: float(x.quantize(CENT)) for n, x in sorted(v.items())} for k, v in by.items()},
    }
