"""Parts against the clocked line, progress as clocked ÷ sold hours, the technicians' report (SPEC 10.3)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from floor import clock
from floor.core.clocking.attribution import parts_of_lines, record_parts, undo_parts
from floor.core.clocking.clocks import clock_off, clock_on, finish, labour_line
from floor.core.clocking.progress import labour_lines, progress_of
from floor.core.clocking.report import technicians
from floor.models import Part, WorkOrder
from tests.repair_factories import ROLES, add_line, answer, job_of, move_job, person


def _setup(db):
    oil = add_line(db, "1001", kind="labour", op="OIL-CHG", pay="customer")[0]  # 0.8 h
    brakes = add_line(db, "1001", kind="labour", op="BRK-FRT", pay="customer")[0]  # 1.2 h
    answer(db, "1001", [oil, brakes])
    move_job(db, "1001", "in_progress", badge="T001")
    return oil, brakes, clock.now()


def _clock(db, line_id, badge, at):
    with db.writing() as s:
        clock_on(s, labour_line(s, line_id), person(db, badge), at, roles=ROLES)


def test_parts_issued_by_a_clocked_technician_go_against_the_line(garage):
    """GIVEN T001 clocked onto the brakes of job 1001 WHEN T001 issues 2 pads to it, returns 1, and T002 (not clocked
    on) issues a filter THEN the brakes line holds 1 pad net; UNDO of the return puts it back to 2; a job nobody is
    clocked onto records nothing."""
    db = garage
    _oil, brakes, opened = _setup(db)
    _clock(db, brakes, "T001", opened)
    t1, t2 = person(db, "T001").id, person(db, "T002").id
    with db.reading() as s:
        pad = int(s.scalar(select(Part.id).where(Part.part_no == "BP-400")))
        job = job_of(s, "1001")
        job_id, clocked = job.id, job.clocked_on
        other = s.scalar(select(WorkOrder.id).where(WorkOrder.number == "1002"))
    assert clocked == 1
    with db.writing() as s:
        assert record_parts(s, job_id, clocked, t1, pad, 2, opened, event_id=901) == brakes
        assert record_parts(s, job_id, clocked, t1, pad, -1, opened, event_id=902) == brakes
        assert record_parts(s, job_id, clocked, t2, pad, 1, opened, event_id=903) is None  # T002 is not on a line
        assert record_parts(s, other, 0, t1, pad, 1, opened, event_id=904) is None  # nobody on job 1002: no query
    with db.reading() as s:
        assert parts_of_lines(s, [brakes]) == {brakes: {pad: 1}}
    with db.writing() as s:
        assert undo_parts(s, 902) == 1
    with db.reading() as s:
        assert parts_of_lines(s, [brakes]) == {brakes: {pad: 2}}


def test_progress_is_clocked_over_sold_hours(garage):
    """GIVEN 2.0 sold hours (0.8 + 1.2) WHEN T001 clocks 30 min on the oil change and T002 has been on the brakes for
    60 min THEN progress is 1.5 ÷ 2.0 = 75 %; each line shows its hours and who is on it now."""
    db = garage
    oil, brakes, opened = _setup(db)
    _clock(db, oil, "T001", opened)
    with db.writing() as s:
        clock_off(s, person(db, "T001"), opened + timedelta(minutes=30), roles=ROLES)
    _clock(db, brakes, "T002", opened)
    now = opened + timedelta(minutes=60)
    with db.reading() as s:
        job = job_of(s, "1001")
        progress = progress_of(s, [job.id, job.id + 1], now)
        lines = labour_lines(s, job.id, now)
    assert list(progress) == [job.id]  # job 1002 has no sold hours: the board keeps its estimate
    assert (progress[job.id].sold, progress[job.id].clocked, progress[job.id].ratio) == (
        Decimal("2.00"),
        Decimal("1.5"),
        Decimal("0.75"),
    )
    assert [(ln["op"], ln["sold_hours"], ln["clocked_hours"], ln["technicians"]) for ln in lines] == [
        ("OIL-CHG", "0.80", "0.50", [{"name": "Li Wei", "on": False}]),
        ("BRK-FRT", "1.20", "1.00", [{"name": "Zhang Min", "on": True}]),
    ]


def test_the_technicians_report(garage):
    """GIVEN T001 who clocked 0.5 h and finished the oil change (0.8 h sold), and T002 who has clocked 0.75 h on the
    brakes, not finished WHEN the report covers the day THEN T001: 0.50 clocked, 0.80 sold, efficiency 1.60, 1 job;
    T002: 0.75 clocked, 0.00 sold, 0.00; a period before the clocking shows no one."""
    db = garage
    oil, brakes, opened = _setup(db)
    _clock(db, oil, "T001", opened)
    with db.writing() as s:
        finish(s, person(db, "T001"), opened + timedelta(minutes=30), roles=ROLES)
    _clock(db, brakes, "T002", opened + timedelta(minutes=15))
    now = opened + timedelta(minutes=60)
    with db.reading() as s:
        rows = technicians(s, opened - timedelta(hours=1), opened + timedelta(days=1), now)
        before = technicians(s, opened - timedelta(days=2), opened - timedelta(days=1), now)
    assert rows == [
        {
            "name": "Li Wei",
            "role": "technician",
            "clocked_hours": "0.50",
            "sold_hours": "0.80",
            "efficiency": "1.60",
            "jobs": 1,
            "comebacks": 0,
        },
        {
            "name": "Zhang Min",
            "role": "technician",
            "clocked_hours": "0.75",
            "sold_hours": "0.00",
            "efficiency": "0.00",
            "jobs": 1,
            "comebacks": 0,
        },
    ]
    assert before == []
    with db.reading() as s:  # a period that cuts the clocking counts only its part
        half = technicians(s, opened + timedelta(minutes=15), opened + timedelta(minutes=30), now)
    assert [(r["name"], r["clocked_hours"]) for r in half] == [("Li Wei", "0.25"), ("Zhang Min", "0.25")]


def test_the_board_flags_progress_by_clocked_hours(garage):
    """GIVEN job 1001 (estimate 120 min) with 2.0 sold hours WHEN 96 min after the start T001 has clocked 30 min THEN the
    board shows 25 % used and no progress check (by the estimate it would be 80 %); once T001 has clocked 1.6 h, 80 %
    and the check. Job 1002 has no sold hours and keeps its estimate in minutes."""
    from floor.core.workorders.board import board

    db = garage
    oil, _brakes, opened = _setup(db)
    _clock(db, oil, "T001", opened)
    with db.writing() as s:
        clock_off(s, person(db, "T001"), opened + timedelta(minutes=30), roles=ROLES)
    with db.reading() as s:
        rows = {r["number"]: r for r in board(s, opened + timedelta(minutes=96))}
    assert rows["1001"]["hours"] == {"sold": "2.00", "clocked": "0.50"}
    assert rows["1001"]["estimate_used_pct"] == 25 and "progress_check" not in rows["1001"]["flags"]
    assert rows["1002"]["hours"] is None
    _clock(db, oil, "T001", opened + timedelta(minutes=96))
    with db.reading() as s:
        later = {r["number"]: r for r in board(s, opened + timedelta(minutes=162))}
    assert later["1001"]["hours"]["clocked"] == "1.60"
    assert later["1001"]["estimate_used_pct"] == 80 and "progress_check" in later["1001"]["flags"]
