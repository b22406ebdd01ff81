"""A job from the VIN scan at reception to READY, at the core (SPEC 10.1-10.3), on both databases.

VIN → vehicle → job with concerns → lines → estimate → the customer's yes (one line declined) → clocking on, off
and FINISH → parts issued against the lines → a supplement refused, then authorized → QC → READY; on the vehicle's
next visit its file offers the declined work again, until it is sold.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from floor import clock
from floor.core import vin
from floor.core.clocking.attribution import parts_of_lines
from floor.core.clocking.clocks import clock_off, clock_on, finish, labour_line
from floor.core.clocking.job_view import repair_order_json
from floor.core.clocking.progress import progress_of
from floor.core.codes import Kind, parse_scan
from floor.core.master import receive_car
from floor.core.repair.concerns import add_concern
from floor.core.repair.estimate import estimate
from floor.core.results import ScanInput
from floor.core.vehicles.history import vehicle_file
from floor.core.vehicles.records import find_vehicle
from floor.core.workorders import qc
from floor.models import Customer, Part, Vehicle
from tests.repair_factories import BILLING, ROLES, VIN, add_line, answer, job_of, person


class Station:
    """A counter's scans, numbered, and what each returned."""

    def __init__(self, service: Any) -> None:
        self.service, self.seq = service, 0

    def scan(self, *texts: str) -> Any:
        inputs = []
        for text in texts:
            self.seq += 1
            inputs.append(ScanInput(text.encode(), self.seq))
        results = self.service.submit("counter-1", "dev-journey", inputs)
        return results[-1]


def _issue_against_line(db: Any, station: Station, badge: str, qty: int, part_no: str) -> Any:
    """Issue at the counter: the issue scan's hook records the units against the line the technician is on
    (floor.core.clocking.attribution, wired in floor.core.wiring)."""
    result = station.scan(f"U:{badge}", "WO:2101", f"Q:{qty}", f"P:{part_no}")
    assert result.code == "issued", result.message
    assert "repair_line" in result.effects
    return result


def test_from_the_vin_to_ready(garage, service):
    db = garage
    advisor, t1, t2 = person(db, "ADV1"), person(db, "T001"), person(db, "T002")

    # The VIN on the door pillar (Code 39 with its I) opens the vehicle at reception: in warranty, Zhou's.
    code = parse_scan("I1M8GDM9AXKP042788")
    assert code.kind is Kind.VIN
    with db.reading() as s:
        car = find_vehicle(s, vin.parse_vin(code.value, check=True))
        assert (car.plate, vehicle_file(s, car, clock.now().date())["in_warranty"]) == ("沪A12345", True)

    # Reception: a job by reference to the vehicle and its customer.
    with db.writing() as s:
        wo, _warnings = receive_car(
            s,
            "2101",
            {"vehicle": "Ford Transit", "customer": "Mr Zhou", "vin": VIN, "plate": "沪A12345", "mileage": "42000"},
            actor=advisor,
            roles=ROLES,
        )
        owner = s.get(Customer, wo.customer_id)
        assert owner is not None and owner.code == "C-ZHOU" and s.get(Vehicle, wo.vehicle_id).vin == VIN
        squeal = add_concern(s, wo, "Squeal when braking", advisor, "U:ADV1", clock.now(), roles=ROLES).id
        service_due = add_concern(s, wo, "保养到期", advisor, "U:ADV1", clock.now(), roles=ROLES).id

    # The lines, the estimate.
    brakes = add_line(db, "2101", kind="labour", op="BRK-FRT", pay="customer", concern=squeal, safety=True)[0]
    pads = add_line(db, "2101", kind="part", part_no="BP-400", qty=2, pay="customer", concern=squeal)[0]
    oil = add_line(db, "2101", kind="labour", op="OIL-CHG", pay="warranty", concern=service_due)[0]
    oil_filter = add_line(db, "2101", kind="part", part_no="OF-100", pay="warranty", concern=service_due)[0]
    diag = add_line(db, "2101", kind="labour", op="DIAG", pay="customer")[0]
    with db.reading() as s:
        quote = estimate(s, job_of(s, "2101").id, BILLING).json()
    assert quote["totals"] == {"customer": "762.66", "warranty": "316.90", "internal": "0.00"}  # 456 + 116.66 + 190
    assert quote["due"] == "861.81"

    # The customer's yes, by phone: all but the diagnosis.
    answer(db, "2101", [brakes, pads, oil, oil_filter], [diag], how="phone")
    with db.reading() as s:
        assert estimate(s, job_of(s, "2101").id, BILLING).json()["due"] == "647.11"  # 572.66 + 74.45 tax

    # Work starts; T001 on the brakes fits the pads, T002 on the oil change fits the filter.
    station = Station(service)
    assert station.scan("U:T001", "WO:2101", "CMD:START").code == "status_changed"
    opened = clock.now()
    with db.writing() as s:
        clock_on(s, labour_line(s, brakes), t1, opened, roles=ROLES)
        clock_on(s, labour_line(s, oil), t2, opened, roles=ROLES)
    _issue_against_line(db, station, "T001", 2, "BP-400")
    _issue_against_line(db, station, "T002", 1, "OF-100")
    with db.writing() as s:
        clock_off(s, t1, opened + timedelta(minutes=40), roles=ROLES)  # T001 stops for a part
        finish(s, t2, opened + timedelta(minutes=45), roles=ROLES)
        clock_on(s, labour_line(s, brakes), t1, opened + timedelta(minutes=50), roles=ROLES)
    with db.reading() as s:
        against = parts_of_lines(s, [brakes, oil])
        pad, filt = (s.scalar(select(Part.id).where(Part.part_no == n)) for n in ("BP-400", "OF-100"))
        assert against == {brakes: {pad: 2}, oil: {filt: 1}}
        job_id = job_of(s, "2101").id
        progress = progress_of(s, [job_id], opened + timedelta(minutes=60))[job_id]
        assert (str(progress.sold), str(progress.clocked.quantize(progress.sold))) == ("2.00", "1.58")

    # A supplement: spark plugs. Refused at the counter until the customer says yes.
    plugs = add_line(db, "2101", kind="part", part_no="SP-200", qty=4, pay="customer")[0]
    refused = station.scan("U:T001", "WO:2101", "Q:4", "P:SP-200")
    assert refused.code == "not_authorized"
    answer(db, "2101", [plugs], how="in_person")
    _issue_against_line(db, station, "T001", 4, "SP-200")
    with db.writing() as s:
        finish(s, t1, opened + timedelta(minutes=80), roles=ROLES)

    # QC by the foreman who did not work on it, then READY: every authorized labour line is done.
    assert station.scan("U:T001", "WO:2101", "CMD:QC").code == "status_changed"
    with db.writing() as s:
        qc.pass_qc(s, job_of(s, "2101"), person(db, "F001"), clock.now(), roles=ROLES)
    ready = station.scan("U:F001", "WO:2101", "CMD:READY")
    assert ready.code == "status_changed", ready.message
    with db.reading() as s:
        assert job_of(s, "2101").status == "ready"
        shown = repair_order_json(s, job_of(s, "2101"), opened + timedelta(minutes=90))
    assert (shown["vehicle"], shown["customer_code"], [c["text"] for c in shown["concerns"]]) == (
        VIN,
        "C-ZHOU",
        ["Squeal when braking", "保养到期"],
    )
    by_id = {line["id"]: line for line in shown["lines"]}
    assert (by_id[brakes]["status"], by_id[brakes]["sold_hours"], by_id[brakes]["clocked_hours"]) == (
        "done",
        "1.20",
        "1.17",
    )
    assert by_id[brakes]["technicians"] == [{"name": "Li Wei", "on": False}]
    assert (by_id[plugs]["part_no"], by_id[plugs]["qty"], by_id[plugs]["status"]) == ("SP-200", 4, "authorized")
    assert "sold_hours" not in by_id[plugs] and by_id[diag]["status"] == "declined"

    # The vehicle's file: the job, its mileage and concerns, and the diagnosis declined, to offer next time.
    with db.reading() as s:
        file = vehicle_file(s, find_vehicle(s, "沪A12345"), clock.now().date())
    assert [(j["number"], j["mileage"], j["concerns"]) for j in file["jobs"]] == [
        ("2101", 42000, ["Squeal when braking", "保养到期"])
    ]
    assert [(d["workorder"], d["op"], d["price"]) for d in file["declined"]] == [("2101", "DIAG", "190.00")]

    # Next visit, found by plate: the declined diagnosis is offered; once sold, it leaves the file.
    with db.writing() as s:
        receive_car(s, "2102", {"plate": "沪A·12345", "mileage": "47000"}, actor=advisor, roles=ROLES)
    with db.reading() as s:
        file = vehicle_file(s, find_vehicle(s, VIN), clock.now().date() + timedelta(days=1))
    assert [j["number"] for j in file["jobs"]] == ["2102", "2101"] and len(file["declined"]) == 1
    again = add_line(db, "2102", kind="labour", op="DIAG", pay="customer")[0]
    answer(db, "2102", [again])
    with db.reading() as s:
        assert vehicle_file(s, find_vehicle(s, VIN), clock.now().date())["declined"] == []
