"""The technician page's use cases called directly (SPEC 10.3): open by badge, clock on, stop and finish by touch,
each audited once; a refusal changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from floor.application import repair, workshop
from floor.config import Config
from floor.core.authority import BadgeError
from floor.core.refusal import Refusal
from floor.db import Database
from floor.models import AuditEntry, ClockRecord, RepairLine
from tests.repair_factories import add_line, answer, load_repair_shop, move_job


@pytest.fixture
def started(shop: Database) -> tuple[Database, int]:
    """Job 1001 in progress on an authorized diagnosis line (and a declined brake line): (db, diagnosis line)."""
    load_repair_shop(shop)
    diag = add_line(shop, "1001", kind="labour", op="DIAG", pay="customer")[0]
    brakes = add_line(shop, "1001", kind="labour", op="BRK-FRT", pay="customer")[0]
    answer(shop, "1001", [diag], [brakes])
    move_job(shop, "1001", "in_progress", badge="T001")
    return shop, diag


def tech_id(db: Database, badge: str = "T001") -> int:
    return workshop.technician_of(db, badge)


def state(db: Database) -> tuple[Any, ...]:
    with db.reading() as s:
        return (
            s.execute(select(ClockRecord.line_id, ClockRecord.off_at).order_by(ClockRecord.id)).all(),
            s.execute(select(RepairLine.id, RepairLine.status).order_by(RepairLine.id)).all(),
            s.scalar(select(func.count()).select_from(AuditEntry)),
        )


def audits(db: Database) -> list[tuple[str, str, str]]:
    with db.reading() as s:
        rows = s.execute(
            select(AuditEntry.action, AuditEntry.actor, AuditEntry.object)
            .where(AuditEntry.action.in_(workshop.ACTIONS.values()))
            .order_by(AuditEntry.id)
        )
        return [tuple(r) for r in rows]


def test_technician_of_opens_the_badges_page(shop):
    """GIVEN technician T001 WHEN their badge opens the page THEN it is their id; an unknown badge is refused."""
    assert isinstance(tech_id(shop), int)
    with pytest.raises(BadgeError) as exc:
        workshop.technician_of(shop, "NOBODY")
    assert exc.value.code == "unknown_badge"


def test_clock_on_again_stop_and_finish_are_each_audited(started, cfg: Config):
    """GIVEN T001 on their page WHEN they clock on, on again, stop, clock on and finish THEN each answer says what
    happened, the line is done, no clock runs, and each act has one audit entry naming the job."""
    db, diag = started
    site, me = repair.site_of(cfg), tech_id(db)
    touch = [("on", diag), ("on", diag), ("stop", None), ("on", diag), ("finish", None)]
    done = [workshop.clock_by_touch(db, site, me, action, line, "T001") for action, line in touch]
    assert done == ["clocked_on", "already_on", "clocked_off", "clocked_on", "line_finished"]
    clocks, lines, _ = state(db)
    assert all(off is not None for _, off in clocks) and dict(lines)[diag] == "done"
    expected = ["clock_on", "clock_on", "clock_off", "clock_on", "line_finish"]
    assert audits(db) == [(a, "U:T001", "WO:1001") for a in expected]


@pytest.mark.parametrize(
    ("action", "line", "badge", "code"),
    [
        ("on", "DIAG", "ADV1", "not_your_page"),  # another person's badge on T001's page
        ("on", "DIAG", "", "no_actor"),
        ("jump", None, "T001", "bad_action"),
        ("on", "BRAKES", "T001", "line_declined"),
        ("on", 999999, "T001", "unknown_op_line"),
        ("stop", None, "T001", "not_clocked_on"),
    ],
)
def test_refused_touch_changes_nothing(started, cfg: Config, action, line, badge, code):
    """GIVEN T001's page WHEN a touch is refused (another's badge, none, unknown act, declined or unknown line, stop
    without a clock) THEN the code says why and no clock, line or audit entry changed."""
    db, diag = started
    line = {"DIAG": diag, "BRAKES": diag + 1}.get(line, line) if isinstance(line, str) else line
    before = state(db)
    with pytest.raises(Refusal) as exc:
        workshop.clock_by_touch(db, repair.site_of(cfg), tech_id(db), action, line, badge)
    assert exc.value.code == code
    if code == "not_your_page":  # the page names whose page it is and whose badge came
        assert exc.value.params == {"owner": "Li Wei", "name": "Liu Yang"}
    assert state(db) == before
