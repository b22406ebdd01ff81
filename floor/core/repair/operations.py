"""The labour operations catalogue (SPEC 10.2): code, names in en and zh, flat-rate hours.

`floor import operations FILE.csv` (`code,name,name_zh,hours`) and the API share `save_operation`,
which raises `RowError` naming the field, as the other master data rows do (floor.core.master).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core import audit, changes, rows
from floor.core.authority import RoleTable
from floor.core.inputs import ascii_decimal
from floor.core.repair.errors import EDIT_OPERATIONS, RepairError, require
from floor.models import LabourOperation

COLUMNS = ("code", "name", "name_zh", "hours")
REQUIRED = ("code", "name", "hours")
MAX_HOURS = Decimal("999.99")
_HUNDREDTH = Decimal("0.01")


def parse_hours(value: object) -> Decimal | None:
    """Hours as clients write them ("1.5", 1.5, 2): above 0, at most 999.99, two decimals; None if not such."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str) and len(value.strip()) > 12:
        return None
    hours = ascii_decimal(value)  # only ASCII digits are digits
    if hours is None or not Decimal(0) < hours <= MAX_HOURS or hours != hours.quantize(_HUNDREDTH):
        return None
    return hours.quantize(_HUNDREDTH)


def check_hours(value: object) -> Decimal:
    """Hours given for a line (`bad_hours`, 400, unless `parse_hours` reads them)."""
    hours = parse_hours(value)
    if hours is None:
        raise RepairError("bad_hours", hours=str(value)[:20])
    return hours


def save_operation(session: Session, row: Mapping[str, Any]) -> LabourOperation:
    """Create or update an operation by its code; raises RowError naming the field."""
    code = rows.code(row, "code").upper()
    if len(code) > 32:
        raise rows.RowError("code", "is longer than 32 characters")
    hours = parse_hours(row.get("hours"))
    if hours is None:
        raise rows.RowError("hours", f"must be flat-rate hours above 0 (e.g. 1.5), not {str(row.get('hours'))[:20]!r}")
    op = session.scalar(select(LabourOperation).where(LabourOperation.code == code))
    if op is None:
        op = LabourOperation(code=code)
        session.add(op)
    op.name = rows.text(row, "name", 200, required=True)
    op.name_zh = rows.text(row, "name_zh", 200) or op.name
    op.hours = hours
    op.active = not rows.boolean(row, "inactive") if "inactive" in row else True
    session.flush()
    return op


def register_operation(
    session: Session, row: Mapping[str, Any], actor: Any, via: str, at: datetime, *, roles: RoleTable
) -> LabourOperation:
    """An operation written through the API or the admin page: `edit_operations`, audited, announced."""
    require(roles, actor, EDIT_OPERATIONS)
    op = save_operation(session, row)
    audit.record(session, via, "operation", op.code, at=at, hours=str(op.hours))
    changes.publish(session, changes.MASTER, kinds=["operations"])
    return op


def operation_by_code(session: Session, code: object) -> LabourOperation:
    """An active operation by its code (any case); `unknown_operation` (404) otherwise."""
    text = code.strip().upper() if isinstance(code, str) else ""
    op = session.scalar(select(LabourOperation).where(LabourOperation.code == text)) if text else None
    if op is None or not op.active:
        raise RepairError("unknown_operation", op=text[:32] or str(code)[:32])
    return op
