"""Reception (SPEC 9.4): the car's details and the customer's wishes on a job, checked in one place.

The importer (CSV and `POST /api/workorders`), `POST /api/reception` and the
kiosk's reception page all go through `reception_fields` and `apply_reception`. Who may
receive a car is `require_reception`, asked by `floor.core.master.receive_car` (the API,
the kiosk's form and an appointment's arrival all create their job there).
A mileage below the last visit of the same plate is accepted with a warning
(odometers get replaced); below zero is refused. Appointments (later) will
create jobs through `floor.core.master.receive_car` too, with their own number and requests.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core import messages, vin
from floor.core.authority import RoleTable
from floor.core.workorders.status import Actor, WorkOrderError, require_action
from floor.core.workorders.tags import tag_registry
from floor.models import WorkOrder

RECEPTION = "reception"  # the role-table row of receiving a car: API, kiosk form and an appointment's arrival

OLD_PARTS = ("return", "dispose")
FIELDS = ("plate", "vin", "mileage", "fuel_pct", "belongings", "old_parts", "wash", "advisor")
# A job's own columns besides its number; `customer_code` names a customer of SPEC 9.3 (floor.core.vehicles.jobs).
JOB_DETAILS = ("vehicle", "customer", "promised_at", "estimate_minutes", "customer_code")
# A job's row as reception takes it, whichever way it comes: the import's `workorders` columns, the API's body,
# the kiosk's form (the reception fields are optional).
JOB_COLUMNS = ("number", *JOB_DETAILS, *FIELDS)
MAX_MILEAGE = 9_999_999
# The import reports a refusal per field.
FIELD_OF_CODE = {
    "mileage_negative": "mileage",
    "mileage_bad": "mileage",
    "fuel_out_of_range": "fuel_pct",
    "bad_vin": "vin",
    "bad_vin_check": "vin",
    "unknown_customer": "customer_code",
    "unknown_vehicle": "vin",
    "bad_old_parts": "old_parts",
    "bad_wash": "wash",
}
_YES = {"yes", "y", "true", "1", "是"}
_NO = {"no", "n", "false", "0", "否", ""}


def require_reception(actor: Actor | None, roles: RoleTable) -> None:
    """THE reception check (API, kiosk and an appointment's arrival): the site's table must give `actor` `reception`.

    Raises WorkOrderError(role_denied); a reception without a badge is refused too.
    """
    require_action(actor, RECEPTION, roles)


@dataclass
class Reception:
    """Checked reception fields (only those given) and the warnings they raised."""

    values: dict[str, Any] = field(default_factory=dict)
    warnings: list[dict[str, str]] = field(default_factory=list)


def _str(row: Mapping[str, Any], name: str, max_len: int) -> str | None:
    value = row.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise WorkOrderError("bad_reception_field", field=name, detail="must be text")
    text = " ".join(str(value).split()) if name != "belongings" else str(value).strip()
    if len(text) > max_len:
        raise WorkOrderError("bad_reception_field", field=name, detail=f"at most {max_len} characters")
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise WorkOrderError("bad_reception_field", field=name, detail="control characters")
    return text


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip().replace(",", "")
    if re.fullmatch(r"-?[0-9]{1,12}", text):  # ASCII digits only: \d takes '٣' and int() reads it
        return int(text)
    return None


def normalise_plate(plate: str) -> str:
    """A plate as stored and compared: capitals, no spaces, dots or dashes (沪A·12345 → 沪A12345)."""
    return re.sub(r"[\s·.\-]", "", plate).upper()


def reception_fields(row: Mapping[str, Any]) -> Reception:
    """Check the reception fields present in a row (CSV or JSON); raises WorkOrderError on a bad one."""
    out = Reception()
    plate = _str(row, "plate", 20)
    if plate is not None:
        out.values["plate"] = normalise_plate(plate) or None
    vin_text = _str(row, "vin", 40)
    if vin_text is not None:
        # The form here (the check digit needs the site's `[vehicles]` setting: floor.core.vehicles.jobs).
        try:
            out.values["vin"] = vin.parse_vin(vin_text, check=False) if vin_text.strip() else None
        except vin.VinError as exc:
            raise WorkOrderError(exc.code, **exc.params) from None
    if row.get("mileage") not in (None, ""):
        km = _whole(row["mileage"])
        if km is None:
            raise WorkOrderError("mileage_bad", mileage=str(row["mileage"])[:20])
        if km < 0:
            raise WorkOrderError("mileage_negative", mileage=km)
        if km > MAX_MILEAGE:
            raise WorkOrderError("mileage_bad", mileage=km)
        out.values["mileage"] = km
    if row.get("fuel_pct") not in (None, ""):
        fuel = _whole(row["fuel_pct"])
        if fuel is None or not 0 <= fuel <= 100:
            raise WorkOrderError("fuel_out_of_range", fuel=str(row["fuel_pct"])[:20])
        out.values["fuel_pct"] = fuel
    belongings = _str(row, "belongings", 2000)
    if belongings is not None:
        out.values["belongings"] = belongings or None
    old = _str(row, "old_parts", 16)
    if old is not None:
        old = old.lower()
        if old and old not in OLD_PARTS:
            raise WorkOrderError("bad_old_parts", value=old[:20])
        out.values["old_parts"] = old or None
    if "wash" in row and row["wash"] is not None:
        wash = row["wash"]
        text = str(wash).strip().lower() if not isinstance(wash, bool) else ("yes" if wash else "no")
        if text in _YES:
            out.values["wash"] = True
        elif text in _NO:
            out.values["wash"] = False if text else None
        else:
            raise WorkOrderError("bad_wash", value=text[:20])
    advisor = _str(row, "advisor", 64)
    if advisor is not None:
        out.values["advisor"] = advisor or None
    return out


def last_visit(session: Session, plate: str, exclude_id: int | None = None) -> tuple[str, int] | None:
    """The job number and mileage of the latest earlier visit of a plate with a mileage recorded."""
    q = select(WorkOrder.number, WorkOrder.mileage).where(WorkOrder.plate == plate, WorkOrder.mileage.is_not(None))
    if exclude_id is not None:
        q = q.where(WorkOrder.id != exclude_id)
    row = session.execute(q.order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc()).limit(1)).first()
    return (row[0], int(row[1])) if row else None


def apply_reception(session: Session, wo: WorkOrder, rec: Reception) -> list[dict[str, str]]:
    """Write checked reception fields to a job; returns the warnings (e.g. mileage below the last visit)."""
    warnings = list(rec.warnings)
    plate = rec.values.get("plate", wo.plate)
    km = rec.values.get("mileage")
    if plate and km is not None:
        last = last_visit(session, plate, wo.id)
        if last is not None and km < last[1]:
            params = {"mileage": km, "plate": plate, "last": last[1], "number": last[0]}
            en, zh = messages.render("mileage_below_last", params)
            warnings.append({"code": "mileage_below_last", "warning": en, "warning_zh": zh})
    for name, value in rec.values.items():
        setattr(wo, name, value)
    return warnings


def next_number(session: Session, day: str) -> str:
    """The next free reception number of a day: `<yymmdd>-<nnn>` (e.g. 261123-004)."""
    prefix = f"{day}-"
    taken = session.scalars(select(WorkOrder.number).where(WorkOrder.number.like(f"{prefix}%"))).all()
    seq = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0) + 1
    # A number that is already a tag's code would be taken over by the tag at every scan (`code_is_tag`): skip it.
    tags = tag_registry(session, {f"{prefix}{n:03d}" for n in range(seq, seq + 50)})
    while f"{prefix}{seq:03d}" in tags:
        seq += 1
    return f"{prefix}{seq:03d}"


def reception_json(wo: WorkOrder) -> dict[str, Any]:
    """The reception fields of a job as the API shows them."""
    return {
        "plate": wo.plate,
        "vin": wo.vin,
        "mileage": wo.mileage,
        "fuel_pct": wo.fuel_pct,
        "belongings": wo.belongings,
        "old_parts": wo.old_parts,
        "wash": wo.wash,
        "advisor": wo.advisor,
    }
