"""A vehicle's fields checked, the vehicle created or updated by VIN, and found again by VIN or plate.

One row shape for `POST /api/vehicles` and `floor import vehicles`
(`vin,plate,make,model,year,customer,warranty_until,warranty_km`; `customer` is a customer's
code, SPEC 9.3). A field absent from a row keeps the vehicle's value; a field given blank clears it.
Plates are normalised as reception does (`normalise_plate`: capitals, no spaces, dots or dashes,
沪A·12345 → 沪A12345). A plate is on one vehicle at a time: given to another VIN it moves there
(re-registration) with a warning, so a look-up by plate is one unique-index hit, as by VIN.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core import audit, changes, messages, rows, vin
from floor.core.authority import NotAllowed, RoleTable
from floor.core.codes import CodeError, Kind, parse_scan
from floor.core.inputs import MomentError, parse_day
from floor.core.sales.customers import customer_by_code
from floor.core.sales.errors import SaleError
from floor.core.vehicles.errors import VehicleError, vin_refusal
from floor.core.workorders.reception import normalise_plate
from floor.models import Customer, Vehicle

COLUMNS = ("vin", "plate", "make", "model", "year", "customer", "warranty_until", "warranty_km")
REQUIRED = ("vin",)
# The import reports a refusal per field.
FIELD_OF_CODE = {"bad_vin": "vin", "bad_vin_check": "vin", "unknown_customer": "customer"}
EDIT = "edit_vehicles"  # the role-table row of registering or changing a vehicle (API and kiosk)
MAX_KM = 9_999_999
FIRST_YEAR = 1900


@dataclass(frozen=True)
class VehicleValues:
    """A checked vehicle row: the VIN, and the other fields the row gave (`given`)."""

    vin: str
    values: dict[str, Any] = field(default_factory=dict)
    customer_code: str | None = None
    given: frozenset[str] = frozenset()


@dataclass
class SavedVehicle:
    """A vehicle as saved, whether it was new, and the warnings a person should read (a plate moved)."""

    vehicle: Vehicle
    created: bool
    warnings: list[dict[str, str]] = field(default_factory=list)


def _bad(name: str, detail: str) -> VehicleError:
    return VehicleError("bad_vehicle_field", field=name, detail=detail)


def _text(row: Mapping[str, Any], name: str, max_len: int) -> str:
    try:
        return rows.text(row, name, max_len)
    except rows.RowError as exc:
        raise _bad(name, exc.message) from None


def _whole(row: Mapping[str, Any], name: str, lo: int, hi: int) -> int | None:
    try:
        return rows.integer(row, name, None, lo, hi)
    except rows.RowError as exc:
        raise _bad(name, exc.message) from None


def _day(row: Mapping[str, Any], name: str) -> date | None:
    value = row.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_day(value)
    except MomentError:
        raise _bad(name, f"must be a day like 2027-06-30, not {str(value)[:30]!r}") from None


def read_vehicle(row: Mapping[str, Any], *, check_digit: bool, today: date) -> VehicleValues:
    """Check a vehicle row (CSV strings or JSON values); raises VehicleError naming the field."""
    try:
        key = vin.parse_vin(row.get("vin"), check=check_digit)
    except vin.VinError as exc:
        raise vin_refusal(exc) from None
    values: dict[str, Any] = {}
    given = frozenset(n for n in COLUMNS if n in row and n != "vin")
    if "plate" in given:
        values["plate"] = normalise_plate(_text(row, "plate", 20)) or None
    for name in ("make", "model"):
        if name in given:
            values[name] = _text(row, name, 64)
    if "year" in given:
        values["year"] = _whole(row, "year", FIRST_YEAR, today.year + 2)  # model years run ahead of the calendar
    if "warranty_until" in given:
        values["warranty_until"] = _day(row, "warranty_until")
    if "warranty_km" in given:
        values["warranty_km"] = _whole(row, "warranty_km", 0, MAX_KM)
    code = _text(row, "customer", 64) if "customer" in given else None
    return VehicleValues(key, values, code or None, given)


def vehicle_by_vin(session: Session, key: str) -> Vehicle | None:
    """The vehicle with this (normalised) VIN, if registered."""
    return session.scalar(select(Vehicle).where(Vehicle.vin == key))


def find_vehicle(session: Session, key: object) -> Vehicle:
    """A vehicle by VIN or plate (as people type them); `unknown_vehicle` (404) otherwise."""
    text = key.strip() if isinstance(key, str) else ""
    found = None
    if text:
        as_vin = vin.normalise(text)
        if vin.has_form(as_vin):
            found = vehicle_by_vin(session, as_vin)
        if found is None:
            plate = normalise_plate(text)[:20]
            found = session.scalar(select(Vehicle).where(Vehicle.plate == plate)) if plate else None
    if found is None:
        raise VehicleError("unknown_vehicle", key=text[:40] or "-")
    return found


def vehicle_for_scan(session: Session, scanned: str, *, check_digit: bool) -> Vehicle:
    """The vehicle a scanned VIN names (`VIN:`, Code 39, DataMatrix): `bad_vin`, `bad_vin_check`, `unknown_vehicle`."""
    try:
        key = vin.parse_vin(scanned, check=check_digit)
    except vin.VinError as exc:
        raise vin_refusal(exc) from None
    found = vehicle_by_vin(session, key)
    if found is None:
        raise VehicleError("unknown_vehicle", key=key)
    return found


def vehicle_named(session: Session, text: str, *, check_digit: bool) -> Vehicle:
    """The vehicle a scanned or typed text names at reception: a scanned VIN, a typed VIN, or a plate.

    Which text is a scanned VIN (`VIN:`, Code 39 with a leading I, a bare VIN with its right check digit) is
    the scan path's rule, `floor.core.codes.parse_scan`; a typed text of a VIN's form whose check digit is wrong
    is `bad_vin_check` (with `check_digit`), not an unknown plate; anything else is `find_vehicle`'s.
    """
    try:
        code = parse_scan(vin.normalise(text))
    except CodeError:
        code = None  # not a scan at all: a plate, perhaps
    if code is not None and code.kind is Kind.VIN:
        return vehicle_for_scan(session, code.value, check_digit=check_digit)
    as_vin = vin.normalise(text)
    if check_digit and vin.has_form(as_vin) and not vin.check_digit_ok(as_vin):
        return vehicle_for_scan(session, as_vin, check_digit=True)  # refused: the check digit, named
    return find_vehicle(session, text)


def _take_plate(session: Session, vehicle: Vehicle, plate: str | None) -> list[dict[str, str]]:
    """Give the vehicle its plate, taking it from the vehicle that had it (a re-registration)."""
    if plate is None or plate == vehicle.plate:
        vehicle.plate = plate
        return []
    holder = session.scalar(select(Vehicle).where(Vehicle.plate == plate, Vehicle.id != vehicle.id))
    warnings = []
    if holder is not None:
        holder.plate = None
        session.flush()  # the unique plate is free before the new holder takes it
        params = {"plate": plate, "old_vin": holder.vin, "vin": vehicle.vin}
        en, zh = messages.render("plate_moved", params)
        warnings.append({"code": "plate_moved", "warning": en, "warning_zh": zh})
    vehicle.plate = plate
    return warnings


def customer_of(session: Session, code: str | None) -> Customer | None:
    """The customer a row names by code (`unknown_customer`, 404, when none has it); None for no code."""
    return customer_by_code(session, code) if code else None


def save_vehicle(session: Session, checked: VehicleValues, at: datetime) -> SavedVehicle:
    """Create the vehicle of this VIN, or update it with the fields the row gave."""
    customer = customer_of(session, checked.customer_code)
    vehicle = vehicle_by_vin(session, checked.vin)
    created = vehicle is None
    if vehicle is None:
        vehicle = Vehicle(vin=checked.vin, make="", model="", created_at=at)
        session.add(vehicle)
        session.flush()
    plate = checked.values.get("plate", vehicle.plate)
    for name, value in checked.values.items():
        if name != "plate":
            setattr(vehicle, name, value)
    if "customer" in checked.given:
        vehicle.customer_id = customer.id if customer is not None else None
    warnings = _take_plate(session, vehicle, plate)
    vehicle.updated_at = at
    session.flush()
    return SavedVehicle(vehicle, created, warnings)


def register_vehicle(
    session: Session,
    row: Mapping[str, Any],
    actor: Any,
    via: str,
    at: datetime,
    *,
    roles: RoleTable,
    check_digit: bool,
) -> SavedVehicle:
    """`POST /api/vehicles` and the kiosk: `actor` must be allowed `edit_vehicles`; check, save, audit, announce."""
    try:
        roles.require(actor, EDIT)
    except NotAllowed as exc:
        raise VehicleError("role_denied", **exc.params) from None
    saved = save_vehicle(session, read_vehicle(row, check_digit=check_digit, today=at.date()), at)
    vehicle = saved.vehicle
    audit.record(
        session, via, "vehicle", vehicle.vin, at=at, created=saved.created, plate=vehicle.plate, warnings=saved.warnings
    )
    changes.publish(session, changes.MASTER, kinds=["vehicles"])
    return saved


def import_vehicle(session: Session, row: Mapping[str, Any], *, check_digit: bool, at: datetime) -> Vehicle:
    """One row of `floor import vehicles`: the same checks, refusals as `RowError` naming the field (for the importer)."""
    try:
        return save_vehicle(session, read_vehicle(row, check_digit=check_digit, today=at.date()), at).vehicle
    except (VehicleError, SaleError) as exc:
        name = str(exc.params.get("field") or FIELD_OF_CODE.get(exc.code, "row"))
        raise rows.RowError(name, messages.render(exc.code, exc.params)[0]) from None
