"""The appointment use cases called directly (SPEC 9.4): cancel frees the holds, a move keeps them, each audited;
a refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from floor.application import appointments as case
from floor.config import Config
from floor.core import appointments
from floor.core.appointments import AppointmentError
from floor.core.authority import resolve_badge
from floor.core.demand import rules
from floor.core.demand.lines import DemandError
from floor.db import Database
from floor.models import Appointment, AuditEntry, Reservation, User
from tests.conftest import PINNED_NOW

pytestmark = pytest.mark.clock  # times are checked against the pinned now (site on UTC)

TOMORROW = (PINNED_NOW + timedelta(days=1)).date()
DAY_AFTER = (PINNED_NOW + timedelta(days=2)).date()
MOVED_TO = f"{DAY_AFTER.isoformat()}T14:30"
PAST = f"{(PINNED_NOW - timedelta(days=3)).date().isoformat()}T09:00"


def person(db: Database, badge: str) -> User:
    with db.reading() as s:
        return resolve_badge(s, badge)


def booked(db: Database, cfg: Config) -> int:
    """An appointment tomorrow at 09:00 holding two oil filters, booked by advisor ADV1."""
    with db.writing() as s:
        adv = resolve_badge(s, "ADV1")
        asks = rules.resolve_lines(s, [("OF-100", 2)])
        at = PINNED_NOW.replace(hour=9) + timedelta(days=1)
        appt, _ = appointments.book(s, adv, "U:ADV1", at, "Qian", "沪B 67890", asks, table=cfg.role_table())
        return appt.id


def state(db: Database) -> tuple[Any, ...]:
    with db.reading() as s:
        return (
            s.execute(select(Appointment.id, Appointment.at, Appointment.status).order_by(Appointment.id)).all(),
            s.scalar(select(func.coalesce(func.sum(Reservation.qty), 0))),
            s.scalar(select(func.count()).select_from(AuditEntry)),
        )


def last_audit(db: Database) -> AuditEntry:
    with db.reading() as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        s.expunge(entry)
        return entry


def test_cancel_frees_the_holds_and_is_audited(shop, cfg):
    """GIVEN a booked visit holding 2 filters WHEN an advisor cancels it THEN it is cancelled, 2 units are released,
    and one audit entry names the advisor."""
    appt = booked(shop, cfg)
    done = case.cancel(shop, cfg, appt, person(shop, "ADV1"), "U:ADV1")
    assert done["status"] == "cancelled" and done["released"] == 2 and done["day"] == TOMORROW
    assert state(shop)[1] == 0
    entry = last_audit(shop)
    assert (entry.action, entry.actor, entry.object) == ("cancel_appointment", "U:ADV1", f"appointment:{appt}")


def test_reschedule_moves_and_keeps_the_holds(shop, cfg):
    """GIVEN a booked visit WHEN an advisor moves it to the day after at 14:30 (site time) THEN it is there, still
    holding its 2 filters, and the move is audited."""
    appt = booked(shop, cfg)
    done = case.reschedule(shop, cfg, appt, MOVED_TO, person(shop, "ADV1"), "U:ADV1")
    assert done["at"].startswith(MOVED_TO) and done["status"] == "booked"
    assert done["day"] == DAY_AFTER
    assert state(shop)[1] == 2
    assert last_audit(shop).action == "reschedule_appointment"


@pytest.mark.parametrize(
    ("badge", "at", "code"),
    [
        ("T001", MOVED_TO, "role_denied"),  # a technician may not move a visit
        ("ADV1", "next tuesday", "bad_appointment_time"),
        ("ADV1", PAST, "appointment_in_past"),
    ],
)
def test_refused_move_changes_nothing(shop, cfg, badge, at, code):
    """GIVEN a booked visit WHEN a move is refused (role, bad time, past) THEN the code says why and nothing changed."""
    appt = booked(shop, cfg)
    before = state(shop)
    with pytest.raises(DemandError) as exc:
        case.reschedule(shop, cfg, appt, at, person(shop, badge), f"U:{badge}")
    assert exc.value.code == code
    assert state(shop) == before


def test_cancel_of_an_unknown_or_cancelled_visit_changes_nothing(shop, cfg):
    """GIVEN a cancelled visit WHEN it is cancelled again, or an unknown one is THEN each is refused, nothing changes."""
    appt = booked(shop, cfg)
    adv = person(shop, "ADV1")
    case.cancel(shop, cfg, appt, adv, "U:ADV1")
    before = state(shop)
    for ident, code in ((appt, "appointment_cancelled"), (appt + 999, "unknown_appointment")):
        with pytest.raises(AppointmentError) as exc:
            case.cancel(shop, cfg, ident, adv, "U:ADV1")
        assert exc.value.code == code
    assert state(shop) == before
