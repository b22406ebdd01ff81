"""A job holds its vehicle and customer by reference (SPEC 10.1): reception creates or finds them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from floor.core.master import Importer
from floor.core.rows import RowError
from floor.models import Customer, Vehicle
from tests.repair_factories import OTHER_VIN, VIN, job_of


def _receive(db, row, check_digit=True):
    with db.writing() as s:
        imp = Importer(s, vin_check_digit=check_digit)
        wo = imp.apply("workorders", row)
        imp.finish()
        return wo.number, imp.warnings


def _links(db, number):
    with db.reading() as s:
        wo = job_of(s, number)
        vehicle = s.get(Vehicle, wo.vehicle_id) if wo.vehicle_id else None
        customer = s.get(Customer, wo.customer_id) if wo.customer_id else None
        return (
            vehicle.vin if vehicle else None,
            vehicle.plate if vehicle else None,
            customer.code if customer else None,
            wo.vehicle,
            wo.customer,
        )


def test_a_known_vin_links_the_vehicle_and_its_customer(garage):
    """GIVEN the Ford registered to C-ZHOU WHEN a job arrives with its VIN and no customer code THEN the job holds the
    vehicle and C-ZHOU by reference, and its free text stays as written."""
    _receive(garage, {"number": "2001", "vehicle": "Ford Transit", "customer": "Mr Zhou", "vin": VIN.lower()})
    assert _links(garage, "2001") == (VIN, "沪A12345", "C-ZHOU", "Ford Transit", "Mr Zhou")


def test_a_new_vin_registers_the_vehicle_with_the_jobs_plate(garage):
    """GIVEN an unknown VIN with a plate and a customer code WHEN the job is created THEN the vehicle is registered with
    that plate and owner; a second job with another customer's code keeps the vehicle's owner."""
    _receive(garage, {"number": "2002", "vin": OTHER_VIN, "plate": "沪C 55555", "customer_code": "C-FLEET"})
    assert _links(garage, "2002")[:3] == (OTHER_VIN, "沪C55555", "C-FLEET")
    _receive(garage, {"number": "2003", "vin": OTHER_VIN, "customer_code": "C-ZHOU"})
    assert _links(garage, "2003")[:3] == (OTHER_VIN, "沪C55555", "C-ZHOU")
    with garage.reading() as s:
        owner = s.scalar(
            select(Customer.code).join(Vehicle, Vehicle.customer_id == Customer.id).where(Vehicle.vin == OTHER_VIN)
        )
        assert owner == "C-FLEET"


def test_a_plate_alone_finds_the_vehicle(garage):
    """GIVEN a job with only the Ford's plate (typed with a dot) THEN it is linked to the Ford; an unknown plate links
    nothing and registers nothing (a vehicle is keyed by its VIN)."""
    _receive(garage, {"number": "2004", "plate": "沪A·12345"})
    assert _links(garage, "2004")[:3] == (VIN, "沪A12345", "C-ZHOU")
    _receive(garage, {"number": "2005", "plate": "沪D00001"})
    assert _links(garage, "2005")[:3] == (None, None, None)
    with garage.reading() as s:
        assert len(s.scalars(select(Vehicle)).all()) == 1


def test_existing_files_import_as_before(garage):
    """GIVEN the workorders CSV columns of before (no VIN, no code) THEN the job imports with its text only."""
    _receive(
        garage, {"number": "2006", "vehicle": "Toyota", "customer": "Sun", "promised_at": "", "estimate_minutes": ""}
    )
    assert _links(garage, "2006") == (None, None, None, "Toyota", "Sun")


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ({"vin": "1M8GDM9A1KP042788"}, "vin", "check digit"),
        ({"vin": OTHER_VIN, "customer_code": "NOBODY"}, "customer_code", "Unknown customer"),
        ({"vin": "1M8GDM9AXKPO42788"}, "vin", "no I, O or Q"),
    ],
)
def test_bad_vin_or_customer_refuses_the_row(garage, row, field, words):
    """GIVEN a job row with a VIN whose check digit is wrong, or an unknown customer code THEN the row is refused naming
    the column, and no job or vehicle is written."""
    with pytest.raises(RowError) as refused:
        _receive(garage, {"number": "2007", **row})
    assert refused.value.field == field and words in refused.value.message
    with garage.reading() as s:
        assert s.scalar(select(Vehicle.id).where(Vehicle.vin == OTHER_VIN)) is None


def test_without_the_check_digit_rule_the_vin_is_taken(garage):
    """GIVEN a site with `vin_check_digit = false` THEN a European VIN registers its vehicle at reception."""
    _receive(garage, {"number": "2008", "vin": "WP0ZZZ99ZTS392124"}, check_digit=False)
    assert _links(garage, "2008")[0] == "WP0ZZZ99ZTS392124"
