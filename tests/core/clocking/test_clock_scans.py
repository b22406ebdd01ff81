"""Clocking and the VIN by scan, as wired in floor.core.wiring (SPEC 10.1, 10.3): OP:, CMD:STOP, CMD:FINISH,
the parts of a clocked technician against the line (UNDO and returns too), VIN in its three printed forms."""

from __future__ import annotations

from sqlalchemy import select

from floor.core.clocking.attribution import parts_of_lines
from floor.core.results import ScanInput
from floor.models import Part
from tests.repair_factories import VIN, add_line, answer, move_job


def _scan(service, *texts, station="counter-1"):
    return service.submit(station, "dev-clock", [ScanInput(t.encode()) for t in texts])


def _last(service, *texts, station="counter-1"):
    return _scan(service, *texts, station=station)[-1]


def _job_with_lines(db):
    brakes = add_line(db, "1001", kind="labour", op="BRK-FRT", pay="customer")[0]
    oil = add_line(db, "1001", kind="labour", op="OIL-CHG", pay="customer")[0]
    pads = add_line(db, "1001", kind="part", part_no="BP-400", qty=3, pay="customer")[0]
    answer(db, "1001", [brakes, oil, pads])
    move_job(db, "1001", "in_progress", badge="T001")
    return brakes, oil


def _against(db, line_id):
    with db.reading() as s:
        pad = s.scalar(select(Part.id).where(Part.part_no == "BP-400"))
        return parts_of_lines(s, [line_id]).get(line_id, {}).get(pad, 0)


def test_op_scan_clocks_on_and_parts_go_against_the_line(garage, service):
    """GIVEN T001 on the brakes by OP: WHEN T001 issues 2 pads, returns 1, UNDOes the return THEN the brakes line
    holds 2; after CMD:STOP an issue is the job's only; CMD:FINISH marks the line done."""
    db = garage
    brakes, oil = _job_with_lines(db)
    on = _last(service, "U:T001", f"OP:{brakes}")
    assert (on.code, on.effects["work_order"], on.effects["mode"]) == ("clocked_on", "1001", "ISSUE"), on.message
    assert "BRK-FRT" in on.message
    assert _last(service, "U:T001", f"OP:{brakes}").code == "already_on"
    issued = _last(service, "Q:2", "P:BP-400")  # the OP: scan put the job in session, in ISSUE mode
    assert issued.code == "issued" and issued.effects["repair_line"] == brakes
    returned = _last(service, "CMD:RETURN", "P:BP-400")
    assert returned.code == "returned" and _against(db, brakes) == 1
    assert _last(service, "CMD:UNDO").code == "undone" and _against(db, brakes) == 2
    stop = _last(service, "CMD:STOP")
    assert stop.code == "clocked_off" and stop.effects["line"] == brakes
    later = _last(service, "CMD:ISSUE", "P:BP-400")
    assert later.code == "issued" and "repair_line" not in later.effects and _against(db, brakes) == 2
    switch = _last(service, f"OP:{oil}")
    assert switch.code == "clocked_on" and "clocked_off_line" not in switch.effects
    done = _last(service, "CMD:FINISH")
    assert (done.code, done.effects["line"], done.effects["line_status"]) == ("line_finished", oil, "done")
    assert _last(service, "CMD:FINISH").code == "not_clocked_on"


def test_op_scan_needs_a_badge_and_a_job_at_work(garage, service):
    """GIVEN job 1001's authorized line WHEN scanned without a badge, or before the job starts THEN refused."""
    db = garage
    brakes = add_line(db, "1001", kind="labour", op="BRK-FRT", pay="customer")[0]
    answer(db, "1001", [brakes])
    assert _last(service, f"OP:{brakes}", station="kiosk-1").code == "no_actor"
    assert _last(service, "U:T001", f"OP:{brakes}").code == "job_not_working"
    assert _last(service, "U:T001", "OP:abc").code == "unknown_op_line"


def test_vin_scans_open_the_vehicle_in_each_printed_form(garage, service):
    """GIVEN the registered vehicle WHEN its VIN is scanned as VIN:, Code 39 with its I, or the bare DataMatrix text
    THEN the vehicle opens; with an open job of it, the job is put in session; an unknown VIN is refused."""
    db = garage
    for text in (f"VIN:{VIN}", f"I{VIN}", VIN, f"VIN:{VIN.lower()}"):
        got = _last(service, text, station="kiosk-1")
        assert (got.code, got.effects["vehicle"], got.effects["in_warranty"]) == ("vehicle_opened", VIN, True), text
    assert _last(service, "VIN:JH4DA9450MS001229", station="kiosk-1").code == "unknown_vehicle"
    assert _last(service, "VIN:NOTAVIN", station="kiosk-1").code == "bad_vin"
    with db.writing() as s:
        from floor.models import Vehicle, WorkOrder

        car = s.scalar(select(Vehicle).where(Vehicle.vin == VIN))
        s.scalar(select(WorkOrder).where(WorkOrder.number == "1002")).vehicle_id = car.id
    at_counter = _last(service, "U:T001", f"I{VIN}")
    assert (at_counter.code, at_counter.effects["work_order"], at_counter.effects["mode"]) == (
        "vehicle_job_opened",
        "1002",
        "ISSUE",
    )
    assert _last(service, "P:OF-100").code == "issued"  # the part goes to the car's job
