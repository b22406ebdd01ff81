"""The key cabinet (SPEC 9.4): a job's key checked out to a person and back in, and keys out at closing.

At a station of kind `keys` (an RFID reader in the cabinet or a scanner beside it) a badge
then a key tag checks the key out to that person and ends the session; a key tag with no
badge before it checks it back in. The job's `key_holder_id`/`key_since` say where it is now
(holder null: in the cabinet); `key_moves` keeps the history.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core import changes
from floor.core.authority import NotAllowed, RoleTable, person_shown
from floor.core.workorders.status import Actor, WorkOrderError
from floor.models import KeyMove, User, WorkOrder
from floor.models.workorders import CLOSED_STATUSES


def _check_open(wo: WorkOrder, code: str) -> None:
    if not wo.is_open:
        raise WorkOrderError("key_job_closed", code=code[:40], number=wo.number, status=wo.status)


def check_out(
    session: Session, wo: WorkOrder, code: str, holder: Actor, at: datetime, station: str = "", *, roles: RoleTable
) -> KeyMove:
    """Give a job's key to a person whom `roles` (the site's table) allows it; keys may change hands.

    Raises WorkOrderError.
    """
    _check_open(wo, code)
    try:
        roles.require(holder, "key_checkout")
    except NotAllowed as exc:
        raise WorkOrderError("role_denied", **exc.params) from None
    move = KeyMove(work_order_id=wo.id, tag_code=code, direction="out", holder_id=holder.id, station=station, at=at)
    session.add(move)
    wo.key_holder_id, wo.key_since = holder.id, at
    changes.publish(session, changes.JOBS, number=wo.number)  # the board shows the key holder
    return move


def check_in(session: Session, wo: WorkOrder, code: str, at: datetime, station: str = "") -> KeyMove | None:
    """Put a job's key back in the cabinet; None when it already hangs there (an RFID reader sees it again)."""
    _check_open(wo, code)
    if wo.key_holder_id is None and wo.key_since is not None:
        return None
    move = KeyMove(work_order_id=wo.id, tag_code=code, direction="in", holder_id=None, station=station, at=at)
    session.add(move)
    wo.key_holder_id, wo.key_since = None, at
    changes.publish(session, changes.JOBS, number=wo.number)
    return move


def key_json(session: Session, wo: WorkOrder) -> dict[str, Any]:
    """`"key": {"holder": {name, role}, "holder_name", "since"}` of a job (holder null while in the cabinet)."""
    holder = session.get(User, wo.key_holder_id) if wo.key_holder_id else None
    return {
        "holder": person_shown(holder.name, holder.role) if holder else None,
        "holder_name": holder.name if holder else None,
        "since": wo.key_since.isoformat() if wo.key_since else None,
    }


def closing_moment(now: datetime, closing_time: str, timezone: str) -> datetime:
    """Today's closing time (site time zone) as UTC; the latest one not after `now`'s day end."""
    tz = ZoneInfo(timezone or "UTC")
    hh, mm = (int(x) for x in closing_time.split(":"))
    local = now.astimezone(tz)
    return datetime.combine(local.date(), time(hh, mm), tz).astimezone(UTC)


def keys_out(session: Session, now: datetime, closing_time: str, timezone: str) -> dict[str, Any]:
    """Keys of open jobs not in the cabinet, and whether closing time has passed (then they are an alert)."""
    closing = closing_moment(now, closing_time, timezone)
    rows = session.execute(
        select(WorkOrder.number, WorkOrder.plate, WorkOrder.vehicle, WorkOrder.key_since, User.name, User.role)
        .join(User, User.id == WorkOrder.key_holder_id)
        .where(WorkOrder.key_holder_id.is_not(None), WorkOrder.status.not_in(CLOSED_STATUSES))
        .order_by(WorkOrder.key_since)
    ).all()
    return {
        "closing_at": closing.isoformat(),
        "after_closing": now >= closing,
        "keys": [
            {
                "work_order": r.number,
                "plate": r.plate,
                "vehicle": r.vehicle,
                "holder": person_shown(r.name, r.role),
                "holder_name": r.name,
                "since": r.key_since.isoformat() if r.key_since else None,
                "hours_out": round(max((now - r.key_since).total_seconds(), 0) / 3600, 1) if r.key_since else None,
            }
            for r in rows
        ],
    }
