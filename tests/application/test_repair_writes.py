"""The repair order's writes called directly (SPEC 10.1-10.2): each opens its transaction, names the person the gate
gives, and audits once; a refusal changes nothing (a wrong PIN is still counted)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select, update

from floor.application import repair, repair_writes
from floor.config import Config
from floor.core.authority import resolve_badge
from floor.core.refusal import Refusal
from floor.db import Database
from floor.models import AuditEntry, Concern, RepairLine, User, Vehicle, WorkOrder
from tests.factories import PIN
from tests.repair_factories import BILLING, VIN, add_line, answer, load_repair_shop


def site_of(cfg: Config) -> repair.RepairSite:
    """The site's settings with the test shop's labour rate and tax."""
    return replace(repair.site_of(cfg), billing=BILLING)


def gate(badge: str) -> repair_writes.Gate:
    """The doors' gate at its plainest: the person of the badge (the core checks the role table)."""
    return lambda s: resolve_badge(s, badge)


@pytest.fixture
def garage(shop: Database) -> Database:
    """The small shop with the repair catalogue and one registered vehicle."""
    load_repair_shop(shop)
    return shop


def state(db: Database) -> tuple[Any, ...]:
    with db.reading() as s:
        return (
            s.execute(select(Concern.id, Concern.text, Concern.cause).order_by(Concern.id)).all(),
            s.execute(select(RepairLine.id, RepairLine.status, RepairLine.hours).order_by(RepairLine.id)).all(),
            s.scalar(select(func.count()).select_from(AuditEntry)),
        )


def actions(db: Database) -> list[tuple[str, str]]:
    with db.reading() as s:
        return [tuple(r) for r in s.execute(select(AuditEntry.action, AuditEntry.actor).order_by(AuditEntry.id))]


def test_concern_line_and_yes_each_written_and_audited(garage: Database, cfg: Config):
    """GIVEN job 1001 WHEN the advisor writes a concern, the technician its cause, the advisor a line and the customer's
    yes THEN each answers what it wrote and adds audit entries by the gate's person."""
    site = site_of(cfg)
    before = len(actions(garage))
    concern = repair_writes.add_concern(garage, site, "1001", "Noise when braking", gate("ADV1"))
    fixed = repair_writes.update_concern(garage, site, "1001", concern["id"], {"cause": "Pads worn"}, gate("T001"))
    assert fixed == {**concern, "cause": "Pads worn"}
    data = {"kind": "labour", "op": "BRK-FRT", "pay": "customer", "concern": concern["id"]}
    line = repair_writes.add_line(garage, site, "1001", data, gate("ADV1"))
    assert line["status"] == "proposed"
    said = repair_writes.authorize(garage, site, "1001", [line["id"]], [], "in_person", gate("ADV1"))
    assert said["authorized"] == [line["id"]] and said["by"] == {"name": "Liu Yang", "role": "advisor"}
    written = actions(garage)[before:]
    assert {actor for _, actor in written} == {"U:ADV1", "U:T001"} and len(written) >= 4


def test_register_vehicle_creates_then_updates(garage: Database, cfg: Config):
    """GIVEN a new VIN WHEN reception registers it twice THEN created first, updated the second time."""
    site = site_of(cfg)
    row = {"vin": "JHLRD68404C018253", "plate": "沪B 54321", "make": "Honda", "model": "CR-V", "customer": "C-ZHOU"}
    first = repair_writes.register_vehicle(garage, site, row, gate("ADV1"))
    again = repair_writes.register_vehicle(garage, site, {**row, "model": "CR-V EX"}, gate("ADV1"))
    assert (first["created"], again["created"]) == (True, False)
    with garage.reading() as s:
        assert s.scalar(select(Vehicle.model).where(Vehicle.vin == row["vin"])) == "CR-V EX"


def test_reprice_after_the_yes_needs_the_supervisors_pin_and_keeps_a_wrong_one(garage: Database, cfg: Config):
    """GIVEN a line the customer said yes to WHEN a supervisor reprices it with a wrong PIN THEN refused, the line
    unchanged and the wrong try counted; WITH the right PIN the line is proposed again."""
    site = site_of(cfg)
    yes = add_line(garage, "1001", kind="labour", op="DIAG", pay="customer")[0]
    answer(garage, "1001", [yes], [])
    before = state(garage)
    with pytest.raises(Refusal) as exc:
        repair_writes.change_line(garage, site, "1001", yes, {"hours": "1.5"}, gate("SUP1"), pin="0000")
    assert exc.value.code == "bad_pin" and state(garage) == before
    with garage.reading() as s:
        assert s.scalar(select(User.pin_failures).where(User.badge == "SUP1")) == 1
    again = repair_writes.change_line(garage, site, "1001", yes, {"hours": "1.5"}, gate("SUP1"), pin=PIN)
    assert again["status"] == "proposed"


def test_offer_again_proposes_the_declined_line_on_the_open_job(garage: Database, cfg: Config):
    """GIVEN a line declined on job 1001 of the vehicle and job 1002 open on it WHEN offered again THEN 1002 has the
    line proposed and one `offer_again` entry; an unknown line is refused and changes nothing."""
    site = site_of(cfg)
    with garage.writing() as s:
        car = s.scalar(select(Vehicle.id).where(Vehicle.vin == VIN))
        s.execute(update(WorkOrder).where(WorkOrder.number.in_(["1001", "1002"])).values(vehicle_id=car))
    no = add_line(garage, "1001", kind="labour", op="DIAG", pay="customer")[0]
    answer(garage, "1001", [], [no])
    before = state(garage)
    with pytest.raises(Refusal) as exc:
        repair_writes.offer_again(garage, site, "1002", 77777, gate("ADV1"), shown="77777")
    assert exc.value.code == "unknown_line" and state(garage) == before
    number, new = repair_writes.offer_again(garage, site, "1002", no, gate("ADV1"), shown=str(no))
    assert number == "1002"
    with garage.reading() as s:
        assert s.scalar(select(RepairLine.status).where(RepairLine.id == new)) == "proposed"
    assert actions(garage)[-1] == ("offer_again", "U:ADV1")


@pytest.mark.parametrize(("badge", "code"), [("NOBODY", "unknown_badge"), ("S001", "role_denied")])
def test_refused_write_changes_nothing(garage: Database, cfg: Config, badge: str, code: str):
    """GIVEN job 1001 WHEN an unknown badge or a storekeeper writes a concern THEN refused and nothing changed."""
    before = state(garage)
    with pytest.raises(Refusal) as exc:
        repair_writes.add_concern(garage, site_of(cfg), "1001", "Rattle", gate(badge))
    assert exc.value.code == code and state(garage) == before
