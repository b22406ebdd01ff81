"""Use cases of SPEC 9.4 for the JSON API and the kiosk alike: cancel a booked visit, move it to another time.

Each opens its write transaction, locks the appointment and calls the core, which checks the actor against
the site's role table (`role_denied`) and writes the one audit entry with the actor text `via`. The door finds
the acting person (the API through its token and the badge, the kiosk by the badge) and answers in its own way.
Refusals are the core's coded `AppointmentError`s (`unknown_appointment`, `bad_appointment_time`, ...).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from floor.config import Config
from floor.core import appointments
from floor.db import Database
from floor.models import User


def _zone(cfg: Config) -> str:
    return cfg.timezone or "UTC"


def cancel(db: Database, cfg: Config, appointment_id: int, actor: User, via: str) -> dict[str, Any]:
    """Cancel a booked visit: its parts' holds are released; `{"id", "status", "released", "day"}`."""
    with db.writing() as s:
        appt = appointments.get(s, appointment_id, lock=True)
        freed = appointments.cancel(s, appt, actor, via, cfg.role_table())
        return {"id": appt.id, "status": appt.status, "released": freed, "day": _day(appt.at, cfg)}


def reschedule(db: Database, cfg: Config, appointment_id: int, at: Any, actor: User, via: str) -> dict[str, Any]:
    """Move a booked visit to `at` (ISO 8601; no zone = site time); its holds stay: `{"id", "at", "status", "day"}`."""
    with db.writing() as s:
        appt = appointments.get(s, appointment_id, lock=True)
        # Parsed after the look-up, as before: an unknown appointment is named before a bad time.
        when = appointments.parse_at(at, _zone(cfg))
        appointments.reschedule(s, appt, when, actor, via, cfg.role_table())
        return {"id": appt.id, "at": appt.at.isoformat(), "status": appt.status, "day": _day(appt.at, cfg)}


def _day(at: datetime, cfg: Config) -> date:
    """The site's local day of a visit (the kiosk shows that day after a change)."""
    return at.astimezone(ZoneInfo(_zone(cfg))).date()
