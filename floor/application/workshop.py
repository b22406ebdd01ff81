"""Use cases of the technician's own page (SPEC 10.3): open it by badge, clock on, off and finish by touch.

Clocking by scan goes through the scan service (`floor.application.scan_service`), whose event records who
scanned; clocking by touch records its own audit entry instead, one per act, in the same transaction. The
core checks the person against the site's role table (`clock`, `role_denied`). Refusals are coded: the core's
(`no_actor`, `unknown_badge`, `unknown_line`, ...) and this page's own `ClockRefusal`s, which the kiosk words.
No JSON API route clocks by touch: the kiosk is the only door of these.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from floor import clock
from floor.application import repair
from floor.core import audit
from floor.core.authority import resolve_badge
from floor.core.refusal import Refusal
from floor.core.repair.errors import RepairError
from floor.db import Database
from floor.models import RepairLine, User, WorkOrder

# What a touch may ask, and the audit action of each accepted one.
ACTIONS = {"on": "clock_on", "stop": "clock_off", "finish": "line_finish"}


class ClockRefusal(Refusal):
    """The page refused a touch: `not_your_page` (params `owner`, `name`) or `bad_action`."""


def technician_of(db: Database, badge: str) -> int:
    """The id of the active person of `badge`, whose page opens (`unknown_badge`, `inactive_badge`)."""
    with db.reading() as s:
        return resolve_badge(s, badge).id


def clock_by_touch(
    db: Database, site: repair.RepairSite, user_id: int, action: str, line_id: object, badge: str
) -> str:
    """Clock the page's technician on a line, off, or finish their line (`clock`); the badge must be theirs.

    Returns the accepted result's code (`clocked_on`, `already_on`, `clocked_off`, `line_finished`).
    """
    with db.writing() as s:
        user = _actor(s, badge)
        if user.id != user_id:
            owner = s.get(User, user_id)
            raise ClockRefusal("not_your_page", owner=owner.name if owner is not None else "-", name=user.name)
        if action not in ACTIONS:
            raise ClockRefusal("bad_action", action=action[:20])
        now = clock.now()
        if action == "on":
            done = repair.clock_on(s, line_id, user, now, site)
            result = "already_on" if done["already"] else "clocked_on"
        elif action == "stop":
            done, result = repair.clock_off(s, user, now, site), "clocked_off"
        else:
            done, result = repair.finish(s, user, now, site), "line_finished"
        audit.record(s, f"U:{user.badge}", ACTIONS[action], _job_ref(s, done["line"]), at=now, line=done["line"])
        return result


def _actor(session: Session, badge: str) -> User:
    if not badge or not badge.strip():
        raise RepairError("no_actor")
    return resolve_badge(session, badge[:64])


def _job_ref(session: Session, line_id: int) -> str:
    line = session.get(RepairLine, line_id)
    wo = session.get(WorkOrder, line.work_order_id) if line is not None else None
    return f"WO:{wo.number}" if wo is not None else "WO:-"
