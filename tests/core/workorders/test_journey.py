"""A job followed from reception to delivery by scans alone: status, parts, cost and cores at every step."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from floor import clock
from floor.core.workorders import board
from floor.models import PrintJob
from tests.core.workorders.helpers import codes, cores, history, job, on_hand, scan

# Depends on the date: scripts/test.sh runs it again under a machine clock a year ahead and back.
pytestmark = pytest.mark.clock


def test_job_from_reception_to_delivery_by_scans(workshop, service):
    """GIVEN job 1001 received WHEN it is dispatched, worked, given parts (one a core), held, returned to,
    checked, its core returned and judged reusable, and delivered, all by scans
    THEN status, parts, cost and cores are right after every step."""
    db = workshop
    # Dispatch and start at the workshop kiosk: the technician who scans takes the job.
    res = scan(service, "U:T001", "WO:1001", "CMD:DISPATCH", "CMD:START", station="kiosk-1", device="kiosk")
    assert all(r.ok for r in res), [r.message for r in res]
    assert codes(res)[2:] == ["status_changed", "status_changed"]
    info = job(db)
    assert info["status"] == "in_progress" and info["technician"] == {"name": "Li Wei", "role": "technician"}
    assert info["issued"] == {} and info["parts_cost"] == "0.00" and info["cores"] == []

    # Parts at the counter: two oil filters and an exchange alternator (a core part).
    res = scan(service, "U:T001", "WO:1001", "Q:2", "P:OF-100", "P:ALT-300")
    assert codes(res) == ["actor_set", "wo_set", "qty_set", "issued", "issued"]
    serials = res[-1].effects["cores"]
    assert len(serials) == 1 and serials[0].startswith("C")
    assert res[-1].effects["core_tags"] == "tag queued on counter-zebra"
    info = job(db)
    assert info["issued"] == {"OF-100": 2, "ALT-300": 1}
    assert info["parts_cost"] == "227.00"  # 2 × 8.50 + 210.00
    assert info["cores"] == [{"serial": serials[0], "part_no": "ALT-300", "status": "due", "disposition": None}]
    with db.reading() as s:
        tag = s.scalar(select(PrintJob).where(PrintJob.kind == "core"))
        assert tag is not None and tag.object_id == serials[0] and tag.printer == "counter-zebra"
        assert f"C:{serials[0]}" in tag.payload  # the tag's barcode is what the counter scans back

    # Waiting for parts: the board shows it.
    res = scan(service, "CMD:HOLD", station="kiosk-1", device="kiosk")
    assert codes(res) == ["status_held"] and "waiting for parts" in res[0].message
    with db.reading() as s:
        row = next(r for r in board(s, clock.now()) if r["number"] == "1001")
    assert row["status"] == "on_hold" and row["parts_outstanding"] is True and "waiting_parts" in row["flags"]
    assert row["cores_due"] == 1 and row["parts"] == {"lines": 2, "qty": 3}
    assert row["technician"] == {"name": "Li Wei", "role": "technician"}

    # One filter was not needed: back to the shelf at the cost it was issued at.
    res = scan(service, "CMD:RETURN", "P:OF-100")
    assert codes(res) == ["mode_set", "returned"]
    info = job(db)
    assert info["issued"] == {"OF-100": 1, "ALT-300": 1} and info["parts_cost"] == "218.50"
    assert info["lines"]["OF-100"] == {"issued": 2, "returned": 1, "net": 1, "cost": "8.50"}

    # Work resumes, final QC, ready: but not delivered while the old alternator is still out.
    # Final inspection is the supervisor's, who did not work on the job; READY after it needs
    # a foreman's or supervisor's badge too (role table `pass_qc`), even at the badge-free kiosk.
    res = scan(
        service,
        "CMD:START",
        "CMD:QC",
        "U:SUP1",
        "CMD:PASS",
        "CMD:READY",
        "CMD:DELIVER",
        station="kiosk-1",
        device="kiosk",
    )
    assert codes(res) == ["status_changed", "status_changed", "actor_set", "qc_passed", "status_changed", "cores_due"]
    assert res[-1].ok is False and serials[0] in res[-1].message
    assert job(db)["status"] == "ready"

    # The old alternator comes back with its tag, and is judged reusable: it goes to the core cage.
    res = scan(service, f"C:{serials[0]}", "U:S001", "CMD:REUSABLE", f"C:{serials[0]}")
    assert codes(res) == ["core_returned", "actor_set", "disposition_set", "core_disposed"], [r.message for r in res]
    assert on_hand(db, "ALT-300") == {"A-01-01": 1, "CORE-01": 1}
    assert [(c.status, c.disposition) for c in cores(db)] == [("returned", "reusable")]
    assert job(db)["parts_cost"] == "218.50"  # the core's stock is not the job's

    res = scan(service, "CMD:DELIVER", station="kiosk-1", device="kiosk")
    assert codes(res) == ["status_changed"]
    info = job(db)
    assert info["status"] == "delivered" and info["parts_cost"] == "218.50"
    assert info["issued"] == {"OF-100": 1, "ALT-300": 1}
    assert history(db) == [
        ("received", "dispatched"),
        ("dispatched", "in_progress"),
        ("in_progress", "on_hold"),
        ("on_hold", "in_progress"),
        ("in_progress", "qc"),
        ("qc", "ready"),
        ("ready", "delivered"),
    ]
    with db.reading() as s:
        assert all(r["number"] != "1001" for r in board(s, clock.now()))
    # A delivered job takes no more parts.
    assert codes(scan(service, "U:T001", "WO:1001")) == ["actor_set", "wo_closed"]
