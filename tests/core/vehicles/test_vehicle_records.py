"""The vehicle file's records (SPEC 10.1): registered by VIN, found by VIN or plate, owned by a customer."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from floor import clock
from floor.core import audit, messages
from floor.core.rows import RowError
from floor.core.sales.errors import SaleError
from floor.core.vehicles.errors import VehicleError
from floor.core.vehicles.history import in_warranty
from floor.core.vehicles.records import find_vehicle, import_vehicle, register_vehicle
from floor.models import Customer, Vehicle
from tests.repair_factories import OTHER_VIN, ROLES, VIN, person


def _register(db, row, badge="ADV1", check_digit=True):
    with db.writing() as s:
        saved = register_vehicle(
            s, row, person(db, badge), f"U:{badge}", clock.now(), roles=ROLES, check_digit=check_digit
        )
        return saved.created, saved.vehicle.vin, saved.vehicle.plate, saved.warnings


def _count(db) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(Vehicle)) or 0)


def test_register_find_and_update(garage):
    """GIVEN an advisor WHEN a vehicle is registered with a spaced plate and a customer's code THEN it is found by VIN,
    by the plate however it is typed, belongs to the customer; an update keeps what the row leaves out and is audited."""
    created, vin, plate, _w = _register(
        garage, {"vin": OTHER_VIN.lower(), "plate": "沪b·678 90", "make": "Acura", "customer": "C-FLEET"}
    )
    assert (created, vin, plate) == (True, OTHER_VIN, "沪B67890")
    with garage.reading() as s:
        for key in (OTHER_VIN, " jh4da9450ms001229", "沪B 67890", "沪b67890", "沪B·67890"):
            found = find_vehicle(s, key)
            assert found.vin == OTHER_VIN
        owner = s.get(Customer, found.customer_id)
        assert owner is not None and owner.code == "C-FLEET"
    created, *_ = _register(garage, {"vin": OTHER_VIN, "model": "Integra", "year": 1991})
    assert created is False
    with garage.reading() as s:
        v = find_vehicle(s, OTHER_VIN)
        assert (v.make, v.model, v.year, v.plate) == ("Acura", "Integra", 1991, "沪B67890")
        assert [e["object"] for e in audit.entries(s, action="vehicle")] == [OTHER_VIN, OTHER_VIN]


def test_a_plate_moves_to_the_vehicle_that_now_carries_it(garage):
    """GIVEN 沪A12345 on the registered Ford WHEN another VIN is registered with that plate THEN the plate moves,
    with a warning naming both VINs, and a look-up by plate finds the new vehicle."""
    _c, _v, plate, warnings = _register(garage, {"vin": OTHER_VIN, "plate": "沪A12345"})
    assert plate == "沪A12345"
    assert [w["code"] for w in warnings] == ["plate_moved"]
    assert VIN in warnings[0]["warning"] and OTHER_VIN in warnings[0]["warning_zh"]
    with garage.reading() as s:
        assert find_vehicle(s, "沪A12345").vin == OTHER_VIN
        assert find_vehicle(s, VIN).plate is None


@pytest.mark.parametrize(
    ("row", "code", "field"),
    [
        ({"vin": "1M8GDM9A1KP042788"}, "bad_vin_check", None),
        ({"vin": "1M8GDM9AXKPO42788"}, "bad_vin", None),
        ({"vin": ""}, "bad_vin", None),
        ({"vin": OTHER_VIN, "year": "1899"}, "bad_vehicle_field", "year"),
        ({"vin": OTHER_VIN, "year": "nineteen"}, "bad_vehicle_field", "year"),
        ({"vin": OTHER_VIN, "warranty_km": "-5"}, "bad_vehicle_field", "warranty_km"),
        ({"vin": OTHER_VIN, "warranty_until": "30/06/2027"}, "bad_vehicle_field", "warranty_until"),
        ({"vin": OTHER_VIN, "plate": "X" * 21}, "bad_vehicle_field", "plate"),
        ({"vin": OTHER_VIN, "make": "Ford\x07"}, "bad_vehicle_field", "make"),
    ],
)
def test_bad_fields_are_refused_and_change_nothing(garage, row, code, field):
    """GIVEN a row with one bad field WHEN registered THEN a coded refusal names it (en and zh) and nothing is written."""
    before = _count(garage)
    with pytest.raises(VehicleError) as refused:
        _register(garage, row)
    assert refused.value.code == code
    if field is not None:
        assert refused.value.params["field"] == field
    en, zh = messages.render(refused.value.code, refused.value.params)
    assert en != code and zh != code and en != zh
    assert _count(garage) == before


def test_unknown_customer_and_who_may(garage):
    """GIVEN an unknown customer code, or a technician's badge THEN refused (unknown_customer, role_denied)."""
    with pytest.raises(SaleError) as refused:
        _register(garage, {"vin": OTHER_VIN, "customer": "NOBODY"})
    assert refused.value.code == "unknown_customer"
    with pytest.raises(VehicleError) as denied:
        _register(garage, {"vin": OTHER_VIN}, badge="T001")
    assert denied.value.code == "role_denied"
    assert _count(garage) == 1


def test_a_site_without_check_digits_takes_a_european_vin(garage):
    """GIVEN `[vehicles] vin_check_digit = false` WHEN a European VIN (no check digit) is registered THEN it is
    accepted; with the check on it is refused naming the digit it expected."""
    with pytest.raises(VehicleError) as refused:
        _register(garage, {"vin": "WP0ZZZ99ZTS392124"})
    assert refused.value.params["expected"] == "8"
    assert _register(garage, {"vin": "WP0ZZZ99ZTS392124"}, check_digit=False)[:2] == (True, "WP0ZZZ99ZTS392124")


def test_unknown_vehicle(garage):
    """GIVEN a VIN and a plate nobody registered THEN `unknown_vehicle` names what was looked for."""
    with garage.reading() as s:
        for key in (OTHER_VIN, "沪Z99999", "", "   "):
            with pytest.raises(VehicleError) as refused:
                find_vehicle(s, key)
            assert refused.value.code == "unknown_vehicle"


def test_import_rows_name_the_field(garage):
    """GIVEN `floor import vehicles` rows WHEN one is wrong THEN a RowError names its column; a good row is written."""
    now = clock.now()
    with garage.writing() as s:
        v = import_vehicle(
            s, {"vin": OTHER_VIN, "plate": "", "make": "Acura", "customer": ""}, check_digit=True, at=now
        )
        assert (v.vin, v.plate, v.customer_id) == (OTHER_VIN, None, None)
        for row, name in (
            ({"vin": "1M8GDM9A1KP042788"}, "vin"),
            ({"vin": OTHER_VIN, "customer": "NOBODY"}, "customer"),
            ({"vin": OTHER_VIN, "warranty_km": "x"}, "warranty_km"),
        ):
            with pytest.raises(RowError) as bad:
                import_vehicle(s, row, check_digit=True, at=now)
            assert bad.value.field == name


@pytest.mark.parametrize(
    ("until_days", "limit_km", "km", "covered"),
    [
        (200, 100_000, 40_000, True),
        (200, 100_000, None, True),  # mileage unknown: the day decides
        (0, 100_000, 99_999, True),  # the last day counts
        (-1, 100_000, 40_000, False),  # expired by date
        (200, 100_000, 100_001, False),  # expired by mileage
        (None, 60_000, 50_000, True),  # mileage-only warranty
        (None, None, 10, False),  # no warranty at all
    ],
)
def test_in_warranty(until_days, limit_km, km, covered):
    """GIVEN a warranty by day and mileage THEN the car is covered while both hold (on any test date)."""
    today = clock.now().date()
    until = None if until_days is None else today + timedelta(days=until_days)
    car = Vehicle(vin=VIN, warranty_until=until, warranty_km=limit_km)
    assert in_warranty(car, today, km) is covered
    assert isinstance(today, date)
