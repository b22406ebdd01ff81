"""Cores: due on issue of a core part, returned by tag or by part, judged, waived, undone; the report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from floor import clock
from floor.core.master import Importer
from floor.core.workorders import cores_report
from floor.models import PrintJob, StockMove
from tests.core.workorders.helpers import codes, cores, job, on_hand, scan, snapshot

# Depends on the date: scripts/test.sh runs it again under a machine clock a year ahead and back.
pytestmark = pytest.mark.clock


def issue_alternators(service, qty: int = 1, number: str = "1001") -> list[str]:
    """Issue core parts (ALT-300) to a job at counter-1; return the new core serials."""
    res = scan(service, "U:T001", f"WO:{number}", f"Q:{qty}", "P:ALT-300")
    assert res[-1].code == "issued", res[-1].message
    return list(res[-1].effects["cores"])


def test_each_issued_unit_gets_its_own_core_and_tag(workshop, service):
    """GIVEN 2 alternators in stock WHEN both are issued in one scan THEN two due cores with distinct serials,
    each with its own queued tag, owed by the technician who took them."""
    serials = issue_alternators(service, 2)
    assert len(set(serials)) == 2
    rows = cores(workshop)
    assert [c.serial for c in rows] == serials and {c.status for c in rows} == {"due"}
    with workshop.reading() as s:
        jobs = list(s.scalars(select(PrintJob).order_by(PrintJob.id)))
    assert [j.object_id for j in jobs] == serials and [c.print_job_id for c in rows] == [j.id for j in jobs]
    report = cores_report_now(workshop)
    assert report["by_technician"]["Li Wei"]["count"] == 2 and report["by_job"]["1001"]["count"] == 2


def cores_report_now(db, status: str | None = "due", now=None):
    """The cores report as of now (or a given moment)."""
    with db.reading() as s:
        return cores_report(s, now or clock.now(), status)


def test_non_core_part_makes_no_core(workshop, service):
    """GIVEN an oil filter (not a core part) WHEN issued THEN no core and no print job."""
    res = scan(service, "U:T001", "WO:1001", "P:OF-100")
    assert res[-1].code == "issued" and "cores" not in res[-1].effects
    assert cores(workshop) == [] and snapshot(workshop)["prints"] == 0


def test_station_without_printer_still_creates_the_core(workshop, service):
    """GIVEN counter-2 without a printer WHEN a core part is issued THEN the core is due and no tag is queued."""
    res = scan(service, "U:T001", "WO:1001", "P:ALT-300", station="counter-2")
    assert res[-1].effects["core_tags"] == "no printer at this station"
    assert len(cores(workshop)) == 1 and snapshot(workshop)["prints"] == 0


def test_unknown_core_serial_is_rejected(workshop, service):
    """GIVEN no such core WHEN C:NOPE is scanned THEN rejected unknown_core, nothing changed."""
    before = snapshot(workshop)
    res = scan(service, "U:S001", "C:NOPE")
    assert res[-1].code == "unknown_core" and res[-1].message == "Unknown core tag NOPE"
    assert snapshot(workshop) == before


def test_core_returned_twice_is_rejected(workshop, service):
    """GIVEN a core returned once WHEN its tag is scanned again THEN rejected core_already_returned, nothing changed."""
    serial = issue_alternators(service)[0]
    assert scan(service, f"C:{serial}")[0].code == "core_returned"
    before = snapshot(workshop)
    res = scan(service, f"C:{serial}")
    assert res[0].code == "core_already_returned" and serial in res[0].message
    assert snapshot(workshop) == before


def test_core_of_another_job_is_rejected(workshop, service):
    """GIVEN a core of job 1001 WHEN its tag is scanned with job 1002 in session THEN rejected core_wrong_job."""
    serial = issue_alternators(service)[0]
    before = snapshot(workshop)
    res = scan(service, "WO:1002", f"C:{serial}")
    assert res[-1].code == "core_wrong_job"
    assert res[-1].message == f"Core {serial} belongs to job 1001, not 1002"
    assert snapshot(workshop) == before


def test_core_mode_returns_oldest_due_of_that_part(workshop, service):
    """GIVEN two alternator cores due WHEN CORE mode and the part are scanned THEN the oldest is returned."""
    first, second = issue_alternators(service, 2)
    res = scan(service, "CMD:CORE", "P:ALT-300")
    assert codes(res) == ["mode_set", "core_returned"] and res[-1].effects["core"] == first
    assert [(c.serial, c.status) for c in cores(workshop)] == [(first, "returned"), (second, "due")]


def test_core_mode_with_none_due_is_rejected(workshop, service):
    """GIVEN a job with no cores due WHEN CORE mode and a part are scanned THEN rejected no_core_due."""
    before = snapshot(workshop)
    res = scan(service, "U:T001", "WO:1002", "CMD:CORE", "P:ALT-300")
    assert res[-1].code == "no_core_due" and res[-1].message == "Job 1002 has no ALT-300 core due"
    assert snapshot(workshop) == before


def test_core_mode_more_than_due_is_rejected(workshop, service):
    """GIVEN one core due WHEN Q:2 and the part are scanned in CORE mode THEN rejected, the core still due."""
    issue_alternators(service)
    before = snapshot(workshop)
    res = scan(service, "CMD:CORE", "Q:2", "P:ALT-300")
    assert res[-1].code == "core_qty_exceeds"
    assert snapshot(workshop) == before


def test_disposition_before_return_is_rejected(workshop, service):
    """GIVEN a core still due WHEN SCRAP then its tag are scanned THEN rejected core_not_returned, nothing changed."""
    serial = issue_alternators(service)[0]
    before = snapshot(workshop)
    res = scan(service, "U:S001", "CMD:SCRAP", f"C:{serial}")  # judging cores is a storekeeper's (role table)
    assert codes(res) == ["actor_set", "disposition_set", "core_not_returned"]
    assert snapshot(workshop) == before


def test_dispositions_by_scan(workshop, service):
    """GIVEN four returned cores WHEN judged scrap, warranty, supplier core and customer-kept by scan THEN each
    is recorded, none moves stock, and a second judgement is refused."""
    with workshop.writing() as s:
        imp = Importer(s)
        imp.apply("stock", {"part_no": "ALT-300", "location": "A-01-01", "qty": "4"})
        imp.finish()
    serials = issue_alternators(service, 2) + issue_alternators(service, 2, "1002")
    res = scan(service, "CMD:DONE", "U:S001", *[f"C:{s}" for s in serials])  # no job in session: any job's core
    assert codes(res)[2:] == ["core_returned"] * 4
    moves = snapshot(workshop)["moves"]
    res = scan(
        service,
        "CMD:SCRAP",
        f"C:{serials[0]}",
        "CMD:WARRANTY",
        f"C:{serials[1]}",
        "CMD:SUPPLIER",
        f"C:{serials[2]}",
        "CMD:CUSTOMER",
        f"C:{serials[3]}",
        f"C:{serials[3]}",
    )
    assert codes(res) == ["disposition_set", "core_disposed"] * 4 + ["core_already_disposed"]
    assert [c.disposition for c in cores(workshop) + cores(workshop, "1002")] == [
        "scrap",
        "warranty",
        "supplier_core",
        "customer_kept",
    ]
    assert "退供应商旧件" in res[5].message_zh
    assert snapshot(workshop)["moves"] == moves


def test_reusable_core_needs_a_core_bin(shop, service):
    """GIVEN no bin of kind core WHEN a returned core is judged reusable THEN rejected, nothing changed."""
    serial = issue_alternators(service)[0]
    scan(service, f"C:{serial}")
    before = snapshot(shop)
    res = scan(service, "U:S001", "CMD:REUSABLE", f"C:{serial}")
    assert res[-1].code == "no_core_location"
    assert snapshot(shop) == before


def test_reusable_core_is_own_stock_in_core_bin(workshop, service):
    """GIVEN a returned core WHEN judged reusable THEN one unit enters CORE-01 as a core_return move at zero cost,
    with the tag as reference and no work order (the job's cost is unchanged)."""
    serial = issue_alternators(service)[0]
    scan(service, f"C:{serial}", "U:S001", "CMD:REUSABLE", f"C:{serial}")
    assert on_hand(workshop, "ALT-300") == {"A-01-01": 1, "CORE-01": 1}
    with workshop.reading() as s:
        mv = s.scalar(select(StockMove).where(StockMove.reason == "core_return"))
        assert mv is not None
        assert (mv.qty, mv.ref, mv.work_order_id, float(mv.unit_cost)) == (1, f"C:{serial}", None, 0.0)
    assert job(workshop)["parts_cost"] == "210.00"


def test_undo_of_reusable_judgement_takes_the_core_back_out(workshop, service):
    """GIVEN a core judged reusable into CORE-01 WHEN UNDO THEN it leaves the core bin and is returned, unjudged."""
    serial = issue_alternators(service)[0]
    res = scan(service, f"C:{serial}", "U:S001", "CMD:REUSABLE", f"C:{serial}", "CMD:UNDO")
    assert codes(res)[-1] == "undone"
    assert on_hand(workshop, "ALT-300") == {"A-01-01": 1}
    assert [(c.status, c.disposition) for c in cores(workshop)] == [("returned", None)]


def test_undo_of_core_issue_waives_core_and_cancels_tag(workshop, service):
    """GIVEN an alternator just issued WHEN UNDO THEN the stock is back, the core is waived and its tag cancelled."""
    serial = issue_alternators(service)[0]
    res = scan(service, "CMD:UNDO")
    assert res[0].code == "undone"
    assert on_hand(workshop, "ALT-300") == {"A-01-01": 2}
    [core] = cores(workshop)
    assert (core.serial, core.status, core.note) == (serial, "waived", "issue undone")
    with workshop.reading() as s:
        assert s.scalar(select(PrintJob.status)) == "cancelled"
    assert job(workshop)["cores_due"] == 0


def test_undo_of_issue_after_core_returned_is_refused(workshop, service):
    """GIVEN an issued alternator whose core already came back WHEN the issue is undone THEN refused, nothing changed."""
    serial = issue_alternators(service)[0]
    assert (
        scan(service, "U:S001", f"C:{serial}", station="counter-2", device="c2")[-1].code == "core_returned"
    )  # the counter-1 UNDO still points at the issue
    before = snapshot(workshop)
    res = scan(service, "CMD:UNDO")
    assert res[0].code == "undo_blocked" and serial in res[0].message
    assert snapshot(workshop) == before and on_hand(workshop, "ALT-300") == {"A-01-01": 1}


def test_undo_of_core_return_makes_it_due_again(workshop, service):
    """GIVEN a core returned by tag WHEN UNDO THEN it is due again."""
    serial = issue_alternators(service)[0]
    res = scan(service, f"C:{serial}", "CMD:UNDO")
    assert codes(res) == ["core_returned", "undone"]
    assert [(c.status, c.returned_at) for c in cores(workshop)] == [("due", None)]


def test_unused_core_part_returned_releases_its_core(workshop, service):
    """GIVEN one alternator issued WHEN it comes back unused THEN its core is no longer due; UNDO makes it due again."""
    issue_alternators(service)
    res = scan(service, "CMD:RETURN", "P:ALT-300")
    assert res[-1].code == "returned" and len(res[-1].effects["cores_released"]) == 1
    assert [(c.status, c.note) for c in cores(workshop)] == [("waived", "part returned unused")]
    scan(service, "CMD:UNDO")
    assert [c.status for c in cores(workshop)] == ["due"]


def test_deliver_with_cores_due_needs_supervisor_waiver(workshop, service):
    """GIVEN a ready job owing a core WHEN the advisor scans DELIVER THEN refused; WHEN a technician scans WAIVE
    THEN refused; WHEN the supervisor does THEN the core is waived and the job can be delivered."""
    issue_alternators(service)
    # PASS and READY are a foreman's or supervisor's (role table `pass_qc`); then the technician again.
    res = scan(service, "CMD:START", "CMD:QC", "U:SUP1", "CMD:PASS", "CMD:READY", "U:T001", station="counter-1")
    assert codes(res)[-2] == "status_changed"
    before = snapshot(workshop)
    # DELIVER is the hand-over (role table `handover`: advisor, foreman, supervisor), so the advisor scans it
    res = scan(service, "U:ADV1", "CMD:DELIVER", "U:T001", "CMD:WAIVE")
    assert codes(res) == ["actor_set", "cores_due", "actor_set", "role_denied"]
    assert snapshot(workshop) == before
    res = scan(service, "U:SUP1", "CMD:WAIVE", "CMD:DELIVER")
    assert codes(res) == ["actor_set", "cores_waived", "status_changed"]
    [core] = cores(workshop)
    assert core.status == "waived" and core.note == "waived by supervisor" and core.waived_by is not None
    assert job(workshop)["status"] == "delivered"


def test_waive_with_no_cores_due_is_rejected(workshop, service):
    """GIVEN a job owing no cores WHEN the supervisor scans WAIVE THEN rejected no_cores_due."""
    res = scan(service, "U:SUP1", "WO:1002", "CMD:WAIVE")
    assert res[-1].code == "no_cores_due"


def test_outstanding_cores_report_ages(workshop, service):
    """GIVEN cores due on two jobs WHEN the report is read two days later THEN each core shows its age,
    with counts and oldest age per job and per technician; returned cores drop out."""
    a = issue_alternators(service)[0]
    b = issue_alternators(service, 1, "1002")[0]
    scan(service, "U:T002", "WO:1002", "CMD:CORE", "P:ALT-300")
    later = clock.now() + timedelta(days=2)
    report = cores_report_now(workshop, now=later)
    assert [c["serial"] for c in report["cores"]] == [a]
    assert report["cores"][0]["work_order"] == "1001" and report["cores"][0]["technician"] == {
        "name": "Li Wei",
        "role": "technician",
    }
    assert 1.99 < report["cores"][0]["age_days"] < 2.01
    assert list(report["by_job"]) == ["1001"] and report["by_technician"]["Li Wei"]["count"] == 1
    returned = cores_report_now(workshop, "returned", later)
    assert [c["serial"] for c in returned["cores"]] == [b]
