"""What the lines ask of the job (SPEC 10.2, 10.3): START needs a yes, READY needs the authorized labour done, and a
part of a line without the customer's yes is not issued (`not_authorized`), at no cost to jobs without such lines."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, select

from floor import clock
from floor.core import queries
from floor.core.clocking.clocks import clock_on, finish
from floor.core.results import ScanInput
from floor.core.scanning.context import Reject
from floor.core.workorders import qc
from floor.models import RepairLine, WorkOrder
from tests.repair_factories import ROLES, add_line, answer, job_of, move_job, person


class Counter:
    """A counter station's scans, numbered."""

    def __init__(self, service: Any, station: str = "counter-1") -> None:
        self.service, self.station, self.seq = service, station, 0

    def scan(self, *texts: str) -> list[Any]:
        inputs = []
        for text in texts:
            self.seq += 1
            inputs.append(ScanInput(text.encode(), self.seq))
        return self.service.submit(self.station, "dev-gates", inputs)


def _status(db, number: str) -> str:
    with db.reading() as s:
        return job_of(s, number).status


def _on_hand(db, part_no: str) -> int:
    with db.reading() as s:
        return int(sum(queries.part_summary(s, part_no)["bins"].values()))


def test_start_needs_a_line_the_customer_said_yes_to(garage, service):
    """GIVEN job 1001 with a proposed line WHEN started (status API or CMD:START) THEN refused `no_authorized_line`;
    a job without lines starts as before; after the customer's yes, 1001 starts."""
    oil = add_line(garage, "1001", kind="labour", op="OIL-CHG", pay="customer")[0]
    with pytest.raises(Reject) as refused:
        move_job(garage, "1001", "in_progress")
    assert refused.value.code == "no_authorized_line"
    counter = Counter(service)
    assert counter.scan("U:T001", "WO:1001", "CMD:START")[-1].code == "no_authorized_line"
    assert _status(garage, "1001") == "received"
    assert counter.scan("WO:1002", "CMD:START")[-1].code == "status_changed"  # no lines: as before
    answer(garage, "1001", [oil])
    assert counter.scan("WO:1001", "CMD:START")[-1].code == "status_changed"
    assert _status(garage, "1001") == "in_progress"


def test_ready_needs_every_authorized_labour_line_done(garage):
    """GIVEN job 1001 in progress with two authorized labour lines and a declined one, through QC and passed by a
    foreman who did not work on it WHEN READY THEN refused while a line is not done; FINISHed, it is ready."""
    oil = add_line(garage, "1001", kind="labour", op="OIL-CHG", pay="customer")[0]
    brakes = add_line(garage, "1001", kind="labour", op="BRK-FRT", pay="customer")[0]
    diag = add_line(garage, "1001", kind="labour", op="DIAG", pay="customer")[0]
    answer(garage, "1001", [oil, brakes], [diag])
    move_job(garage, "1001", "in_progress", badge="T001")
    tech = person(garage, "T001")
    for line_id in (oil,):
        with garage.writing() as s:
            clock_on(s, s.get(RepairLine, line_id), tech, clock.now(), roles=ROLES)
            finish(s, tech, clock.now(), roles=ROLES)
    move_job(garage, "1001", "qc", badge="T001")
    with garage.writing() as s:
        qc.pass_qc(s, job_of(s, "1001"), person(garage, "F001"), clock.now(), roles=ROLES)
    with pytest.raises(Reject) as refused:
        move_job(garage, "1001", "ready", badge="F001")
    assert refused.value.code == "lines_not_done" and refused.value.params["lines"] == str(brakes)
    with garage.writing() as s:
        s.get(RepairLine, brakes).status = "done"  # finished (clocking's FINISH is tested with clocking)
    move_job(garage, "1001", "ready", badge="F001")
    assert _status(garage, "1001") == "ready"


def test_a_technician_who_clocked_the_job_does_not_pass_its_qc(garage):
    """GIVEN T002 clocked onto a line of job 1001 WHEN T002 (were they allowed QC) is checked THEN it is own work."""
    oil = add_line(garage, "1001", kind="labour", op="OIL-CHG", pay="customer")[0]
    answer(garage, "1001", [oil])
    move_job(garage, "1001", "in_progress", badge="T001")
    with garage.writing() as s:
        clock_on(s, s.get(RepairLine, oil), person(garage, "T002"), clock.now(), roles=ROLES)
    with garage.reading() as s:
        assert qc.worked_on(s, job_of(s, "1001"), person(garage, "T002").id) is True
        assert qc.worked_on(s, job_of(s, "1001"), person(garage, "F001").id) is False


@pytest.fixture
def started(garage):
    """Job 1001 in progress on an authorized diagnosis line, at the counter with T001's badge."""
    diag = add_line(garage, "1001", kind="labour", op="DIAG", pay="customer")[0]
    answer(garage, "1001", [diag])
    move_job(garage, "1001", "in_progress", badge="T001")
    return garage


def test_a_part_without_the_customers_yes_is_not_issued(started, service):
    """GIVEN a proposed line of 2 brake pads WHEN a pad is issued THEN refused `not_authorized` and stock stays; after
    the yes both issue against the line (its reservation)."""
    db = started
    pads = add_line(db, "1001", kind="part", part_no="BP-400", qty=2, pay="customer")[0]
    counter = Counter(service)
    refused = counter.scan("U:T001", "WO:1001", "P:BP-400")[-1]
    assert refused.code == "not_authorized" and "BP-400" in refused.message and "未经客户确认" in refused.message_zh
    assert _on_hand(db, "BP-400") == 3
    answer(db, "1001", [pads])
    issued = counter.scan("Q:2", "P:BP-400")[-1]
    assert issued.code == "issued" and issued.effects["requests"][0]["status"] == "issued"
    assert counter.scan("P:BP-400")[-1].code == "issued"  # beyond the line, with no line waiting: as before


def test_a_declined_part_is_not_issued(started, service):
    """GIVEN the customer declined the oil filter WHEN one is issued THEN refused, though nothing holds it any more."""
    db = started
    oil_filter = add_line(db, "1001", kind="part", part_no="OF-100", pay="customer")[0]
    answer(db, "1001", [], [oil_filter])
    counter = Counter(service)
    assert counter.scan("U:T001", "WO:1001", "P:OF-100")[-1].code == "not_authorized"
    assert _on_hand(db, "OF-100") == 14
    assert counter.scan("P:SP-200")[-1].code == "issued"  # other parts as before


def test_a_supplement_waits_while_the_authorized_units_issue(started, service):
    """GIVEN 1 spark plug authorized and a supplement of 2 more proposed WHEN plugs are issued THEN the first issues,
    the second is the supplement's and is refused until the customer says yes to it."""
    db = started
    first = add_line(db, "1001", kind="part", part_no="SP-200", pay="customer")[0]
    answer(db, "1001", [first])
    more = add_line(db, "1001", kind="part", part_no="SP-200", qty=2, pay="customer")[0]
    counter = Counter(service)
    assert [r.code for r in counter.scan("U:T001", "WO:1001", "P:SP-200", "P:SP-200")][2:] == [
        "issued",
        "not_authorized",
    ]
    answer(db, "1001", [more])
    assert counter.scan("Q:2", "P:SP-200")[-1].code == "issued"


def _statements(db, counter: Counter, *texts: str) -> list[str]:
    seen: list[str] = []

    def spy(conn, cursor, statement, params, context, many):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", spy)
    try:
        results = counter.scan(*texts)
    finally:
        event.remove(db.engine, "before_cursor_execute", spy)
    assert all(r.ok for r in results), [r.message for r in results]
    return seen


def test_jobs_without_part_lines_cost_the_issue_nothing(started, service):
    """GIVEN job 1002 without lines and job 1001 with an authorized labour line and nobody clocked on WHEN a part is
    issued to each THEN both run the very same statements, and none reads lines or clocks (the job's two counters come
    with the job's row the scan reads anyway)."""
    db = started
    counter = Counter(service)
    counter.scan("U:T001", "WO:1002", "P:OF-100", "WO:1001", "P:OF-100")  # warm: station row, the part's state
    with db.reading() as s:
        assert s.scalar(select(WorkOrder.parts_unauthorized).where(WorkOrder.number == "1001")) == 0
    plain = _statements(db, counter, "WO:1002", "P:OF-100")
    with_lines = _statements(db, counter, "WO:1001", "P:OF-100")
    assert plain == with_lines
    assert not [s for s in plain if "repair_lines" in s or "clock_records" in s]
