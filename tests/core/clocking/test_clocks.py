"""Clocking (SPEC 10.3): one clock at a time, STOP, FINISH, HOLD and closing clock off; refusals with en/zh words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from floor import clock
from floor.core import messages
from floor.core.clocking.clocks import clock_off, clock_on, finish, labour_line, open_clock, reopen
from floor.core.scanning.context import Reject
from floor.models import ClockRecord, RepairLine, WorkOrder
from tests.repair_factories import ROLES, add_line, answer, job_of, move_job, person


@dataclass
class Bay:
    """The workshop of these tests: its database, the lines by name, and when the bay opened (scans are timed from it)."""

    db: Any
    lines: dict[str, int]
    opened: datetime = field(default_factory=clock.now)

    def at(self, minutes: int) -> datetime:
        """`minutes` after the bay opened."""
        return self.opened + timedelta(minutes=minutes)


@pytest.fixture
def bay(garage):
    """Jobs 1001 (oil change, brakes authorized; diagnosis declined; a proposed supplement) and 1002 (one line),
    both in progress."""
    oil = add_line(garage, "1001", kind="labour", op="OIL-CHG", pay="customer")[0]
    brakes = add_line(garage, "1001", kind="labour", op="BRK-FRT", pay="customer")[0]
    diag = add_line(garage, "1001", kind="labour", op="DIAG", pay="customer")[0]
    pads = add_line(garage, "1001", kind="part", part_no="BP-400", pay="customer")[0]
    answer(garage, "1001", [oil, brakes, pads], [diag])
    extra = add_line(garage, "1001", kind="labour", op="ALT-RR", pay="customer")[0]
    other = add_line(garage, "1002", kind="labour", op="DIAG", pay="customer")[0]
    answer(garage, "1002", [other])
    for number in ("1001", "1002"):
        move_job(garage, number, "in_progress", badge="T001")
    # the scans below are timed from `opened`
    return Bay(garage, {"oil": oil, "brakes": brakes, "diag": diag, "pads": pads, "extra": extra, "other": other})


def _on(bay, line_id, badge="T001", minutes=0, session_job=None):
    db = bay.db
    with db.writing() as s:
        wo = job_of(s, session_job) if session_job else None
        done = clock_on(s, labour_line(s, line_id), person(db, badge), bay.at(minutes), roles=ROLES, session_job=wo)
        return done.record.line_id, done.ended.line_id if done.ended else None, done.already


def _open(db):
    with db.reading() as s:
        rows = s.execute(
            select(ClockRecord.technician_id, ClockRecord.line_id).where(ClockRecord.off_at.is_(None))
        ).all()
        counts = dict(s.execute(select(WorkOrder.number, WorkOrder.clocked_on)).all())
        return sorted((int(t), int(i)) for t, i in rows), counts


def test_one_clock_at_a_time(bay):
    """GIVEN T001 on the oil change WHEN T001 scans the brakes THEN the oil change clock ends (switch) and the brakes
    one runs; scanning the brakes again changes nothing; T002 may join T001 on the brakes; each job counts its
    technicians on now."""
    db, lines = bay.db, bay.lines
    t1, t2 = person(db, "T001").id, person(db, "T002").id
    assert _on(bay, lines["oil"]) == (lines["oil"], None, False)
    assert _on(bay, lines["brakes"], minutes=30) == (lines["brakes"], lines["oil"], False)
    assert _on(bay, lines["brakes"], minutes=31) == (lines["brakes"], None, True)
    _on(bay, lines["brakes"], badge="T002", minutes=32)
    assert _open(db)[0] == sorted([(t1, lines["brakes"]), (t2, lines["brakes"])])
    assert _open(db)[1]["1001"] == 2
    _on(bay, lines["other"], badge="T002", minutes=40)  # to another job: off 1001, on 1002
    assert (_open(db)[1]["1001"], _open(db)[1]["1002"]) == (1, 1)
    with db.reading() as s:
        switched = s.scalars(
            select(ClockRecord).where(ClockRecord.off_reason == "switch").order_by(ClockRecord.on_at)
        ).all()
        assert [r.off_at - r.on_at for r in switched] == [timedelta(minutes=30), timedelta(minutes=8)]


def test_the_database_keeps_one_open_clock_per_technician(bay):
    """GIVEN T001 clocked on WHEN a second open record for T001 is written around the rules THEN the database refuses."""
    db, lines = bay.db, bay.lines
    _on(bay, lines["oil"])
    with pytest.raises(IntegrityError), db.writing() as s:
        wo = job_of(s, "1001")
        s.add(
            ClockRecord(
                technician_id=person(db, "T001").id, line_id=lines["brakes"], work_order_id=wo.id, on_at=clock.now()
            )
        )
        s.flush()


def test_stop_finish_hold(bay):
    """GIVEN T001 and T002 on the brakes WHEN T001 STOPs THEN only T001 is off; T002 FINISHes THEN the line is done by
    T002 and nobody is on it; both on the oil change then HOLD THEN everyone on the job is off."""
    db, lines = bay.db, bay.lines
    tech1, tech2 = person(db, "T001"), person(db, "T002")
    _on(bay, lines["brakes"])
    _on(bay, lines["brakes"], badge="T002")
    with db.writing() as s:
        assert clock_off(s, tech1, bay.at(20), roles=ROLES).off_reason == "stop"
    assert [t for t, _l in _open(db)[0]] == [tech2.id]
    with db.writing() as s:
        line = finish(s, tech2, bay.at(45), roles=ROLES)
        assert (line.status, line.done_by) == ("done", tech2.id)
    assert _open(db)[0] == [] and _open(db)[1]["1001"] == 0
    _on(bay, lines["oil"], minutes=50)
    _on(bay, lines["oil"], badge="T002", minutes=50)
    move_job(db, "1001", "on_hold", badge="T001")
    assert _open(db)[0] == [] and _open(db)[1]["1001"] == 0
    with db.reading() as s:
        assert sorted(s.scalars(select(ClockRecord.off_reason).where(ClockRecord.line_id == lines["oil"]))) == [
            "hold",
            "hold",
        ]


def test_closing_a_job_clocks_everyone_off(bay):
    """GIVEN T001 on a line of job 1002 WHEN the job is cancelled THEN the clock ends with the job."""
    db, lines = bay.db, bay.lines
    _on(bay, lines["other"])
    move_job(db, "1002", "cancelled", badge="SUP1")
    with db.reading() as s:
        assert s.scalar(select(ClockRecord.off_reason)) == "closed"


@pytest.mark.parametrize(
    ("which", "badge", "session_job", "code"),
    [
        ("diag", "T001", None, "line_declined"),
        ("extra", "T001", None, "line_not_authorized"),
        ("pads", "T001", None, "not_labour_line"),
        ("oil", "T001", "1002", "line_of_other_job"),
        ("oil", "S001", None, "role_denied"),
        ("oil", "ADV1", None, "role_denied"),
    ],
)
def test_clocking_refusals(bay, which, badge, session_job, code):
    """GIVEN a declined, proposed or part line, another job in session, or a badge that may not clock THEN refused with
    a coded en/zh message, and no clock runs."""
    db, lines = bay.db, bay.lines
    with pytest.raises(Reject) as refused:
        _on(bay, lines[which], badge=badge, session_job=session_job)
    assert refused.value.code == code
    en, zh = messages.render(refused.value.code, refused.value.params)
    assert en != zh and "?" not in en
    assert _open(db)[0] == []


def test_more_refusals(bay):
    """GIVEN no such line, a job not in progress, a done line, or nobody clocked on THEN each is refused clearly; a
    foreman reopens a done line for rework, and it can be clocked again."""
    db, lines = bay.db, bay.lines
    tech = person(db, "T001")
    with db.reading() as s, pytest.raises(Reject) as unknown:
        labour_line(s, 999_999)
    assert unknown.value.code == "unknown_op_line"
    with db.writing() as s, pytest.raises(Reject) as nobody:
        clock_off(s, tech, clock.now(), roles=ROLES)
    assert (
        nobody.value.code == "not_clocked_on" and "Li Wei" in messages.render("not_clocked_on", nobody.value.params)[0]
    )
    _on(bay, lines["oil"])
    with db.writing() as s:
        finish(s, tech, bay.at(5), roles=ROLES)
    with pytest.raises(Reject) as done:
        _on(bay, lines["oil"], minutes=6)
    assert done.value.code == "line_done"
    with db.writing() as s, pytest.raises(Reject) as denied:
        reopen(s, s.get(RepairLine, lines["oil"]), tech, "U:T001", clock.now(), roles=ROLES)
    assert denied.value.code == "role_denied"
    with db.writing() as s:
        reopen(s, s.get(RepairLine, lines["oil"]), person(db, "F001"), "U:F001", clock.now(), roles=ROLES)
    assert _on(bay, lines["oil"], minutes=7)[0] == lines["oil"]
    move_job(db, "1001", "on_hold", badge="T001")
    with pytest.raises(Reject) as held:
        _on(bay, lines["brakes"], minutes=8)
    assert held.value.code == "job_not_working" and "暂停" in messages.render("job_not_working", held.value.params)[1]
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(ClockRecord).where(ClockRecord.off_at.is_(None))) == 0
        assert open_clock(s, tech.id) is None
