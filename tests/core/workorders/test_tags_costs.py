"""Key fobs and job folders by scan; parts cost per job over a period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from floor import clock
from floor.core.workorders import WorkOrderError, bind_tag, parts_cost_rows, to_csv
from floor.models import Location, Tag, WorkOrder
from tests.core.workorders.helpers import codes, job, scan, snapshot

# Depends on the date: scripts/test.sh runs it again under a machine clock a year ahead and back.
pytestmark = pytest.mark.clock

FOB = "E2801160600002054A1B2C3D"  # an RFID EPC on a key fob


def bind(db, number: str = "1001", code: str = FOB, kind: str = "key") -> None:
    """Bind a tag to a job."""
    with db.writing() as s:
        wo = s.scalar(select(WorkOrder).where(WorkOrder.number == number))
        assert wo is not None
        bind_tag(s, wo, code, kind, "key 17")


def test_key_fob_scan_puts_its_job_in_session_and_is_seen(workshop, service):
    """GIVEN a key fob bound to job 1001 WHEN the fob is scanned at the counter, then a part THEN the part is
    issued to 1001, and the fob was last seen at counter-1."""
    bind(workshop)
    res = scan(service, "U:T001", FOB.lower(), "P:SP-200")
    assert codes(res) == ["actor_set", "wo_set", "issued"] and res[1].effects["tag"] == FOB
    assert job(workshop)["issued"] == {"SP-200": 1}
    [tag] = job(workshop)["tags"]
    assert tag["kind"] == "key" and tag["last_seen_where"] == "counter-1" and tag["last_seen_at"] is not None


def test_tag_of_delivered_job_is_rejected(workshop, service):
    """GIVEN a fob bound to job 1001 which is then cancelled WHEN the fob is scanned THEN rejected, not seen."""
    bind(workshop)
    scan(service, "U:ADV1", "WO:1001", "CMD:CANCEL", station="kiosk-1", device="k")
    before = snapshot(workshop)
    res = scan(service, "U:T001", FOB)
    assert res[-1].code == "wo_closed"
    assert snapshot(workshop) == before and job(workshop)["tags"][0]["last_seen_at"] is None


def test_fob_of_open_job_cannot_be_bound_twice_but_is_reused_after_delivery(workshop):
    """GIVEN a fob bound to open job 1001 WHEN bound to 1002 THEN refused; once 1001 is cancelled THEN re-bound."""
    bind(workshop)
    with workshop.writing() as s:
        wo = s.scalar(select(WorkOrder).where(WorkOrder.number == "1002"))
        assert wo is not None
        try:
            bind_tag(s, wo, FOB, "key")
        except WorkOrderError as exc:
            assert exc.code == "tag_in_use"
        else:
            raise AssertionError("binding a fob of an open job must be refused")
    with workshop.writing() as s:
        s.execute(WorkOrder.__table__.update().where(WorkOrder.number == "1001").values(status="cancelled"))
    bind(workshop, "1002")
    assert job(workshop, "1002")["tags"][0]["code"] == FOB and job(workshop)["tags"] == []


def test_bin_tag_acts_like_a_bin_label(workshop, service):
    """GIVEN an RFID tag on bin B-02-01 WHEN scanned before a part THEN the part is issued from B-02-01."""
    with workshop.writing() as s:
        loc = s.scalar(select(Location).where(Location.code == "B-02-01"))
        assert loc is not None
        s.add(Tag(code="BIN-TAG-7", kind="bin", location_id=loc.id))
    res = scan(service, "U:T001", "WO:1001", "BIN-TAG-7", "P:OF-100")
    assert codes(res) == ["actor_set", "wo_set", "location_set", "issued"]
    assert res[-1].effects["moves"][0]["bin"] == "B-02-01"


def test_unregistered_barcode_is_still_a_part_lookup(workshop, service):
    """GIVEN no tag with that code WHEN an unknown barcode is scanned THEN it is an unknown code, not a tag."""
    res = scan(service, "U:T001", "WO:1001", "NOT-A-TAG-1")
    assert res[-1].code == "unknown_code"


def test_parts_cost_per_job_over_a_period(workshop, service):
    """GIVEN issues and a return on two jobs WHEN the cost rows for today are made THEN issued − returned at the
    cost of issue per job and per part; a period before today has none."""
    scan(
        service,
        "U:T001",
        "WO:1001",
        "Q:3",
        "P:OF-100",
        "P:ALT-300",
        "CMD:RETURN",
        "P:OF-100",
        "WO:1002",
        "Q:2",
        "P:SP-200",
        "P:BP-400",
        "CMD:UNDO",
    )
    now = clock.now()
    with workshop.reading() as s:
        rows = parts_cost_rows(s, now - timedelta(hours=1), now + timedelta(hours=1))
        lines = parts_cost_rows(s, now - timedelta(hours=1), now + timedelta(hours=1), by="part")
        before = parts_cost_rows(s, now - timedelta(days=2), now - timedelta(days=1))
    assert [
        (r["work_order"], r["issued_qty"], r["returned_qty"], r["net_qty"], str(r["parts_cost"])) for r in rows
    ] == [("1001", 4, 1, 3, "227.00"), ("1002", 2, 0, 2, "8.50")]
    assert rows[0]["lines"] == 2 and rows[1]["lines"] == 2  # BP-400 was issued, then undone
    assert [(r["work_order"], r["part_no"], r["net_qty"], str(r["parts_cost"])) for r in lines] == [
        ("1001", "ALT-300", 1, "210.00"),
        ("1001", "OF-100", 2, "17.00"),
        ("1002", "BP-400", 0, "0.00"),
        ("1002", "SP-200", 2, "8.50"),
    ]
    assert str(rows[0]["parts_cost"]) == job(workshop)["parts_cost"]
    assert before == []
    text = to_csv(rows)
    assert text.splitlines()[0].lstrip("\ufeff").startswith("work_order,vehicle,customer,status")
    assert "1001,沪A·12345 VW Passat,Zhou,received" in text
