"""Use cases of parts demand (SPEC 9.2) on one request line, for the JSON API and the kiosk alike.

Approve (a supervisor's badge and PIN), cancel, release what a line holds, move it to another line. The door
hands over what it parsed and its own check of who acts (`gate`: the API's token and badge, the kiosk's badge
worded for the page) which returns the person; the use case opens the write transaction (wrong PINs kept past
the refusal), and the demand rules check that person against the site's role table, change the line and write
its audit entry as `U:<badge>`. The answers are the lines as the JSON API shows them. Refusals are the core's
coded errors (`DemandError`, `NotAllowed`, `PinError`, `BadgeError`) or the gate's own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from floor import clock
from floor.application.gate import Gate
from floor.application.pins import pin_failures_kept
from floor.config import Config
from floor.core.authority import resolve_badge
from floor.core.demand import rules
from floor.core.demand.lines import check_qty, get_line, held_of
from floor.db import Database
from floor.models import Part, PartRequest, User

# The door's own check of who acts, inside the write's transaction: the person, or its refusal.


def line_json(session: Session, line: PartRequest) -> dict[str, Any]:
    """A request line as the API shows it: part, asked, held, issued, status."""
    held = held_of(session, [line.id]).get(line.id, 0)
    part = session.get(Part, line.part_id)
    return {
        "id": line.id,
        "part_no": part.part_no if part else None,
        "qty": line.qty,
        "reserved": held,
        "issued": line.issued,
        "status": line.status,
    }


def _acting(session: Session, badge: str, gate: Gate | None) -> User:
    """The person acting: the door's gate, else the badge's active person (the rules check the role table)."""
    return gate(session) if gate is not None else resolve_badge(session, badge)


def approve_line(
    db: Database, cfg: Config, line_id: int, badge: str, pin: object, *, gate: Gate | None = None
) -> dict[str, Any]:
    """A supervisor approves a line awaiting approval with badge and PIN (not the one who asked: `four_eyes`)."""
    with pin_failures_kept(db), db.writing() as s:
        actor = _acting(s, badge, gate)
        line = get_line(s, line_id, lock=True)
        rules.approve(s, line, actor, f"U:{actor.badge}", clock.now(), cfg.role_table(), pin=pin)
        return line_json(s, line)


def cancel_line(db: Database, cfg: Config, line_id: int, badge: str, *, gate: Gate | None = None) -> dict[str, Any]:
    """Cancel a line (one's own, or with `cancel_request`) and release what it holds."""
    with db.writing() as s:
        actor = _acting(s, badge, gate)
        line = get_line(s, line_id, lock=True)
        rules.cancel(s, line, actor, f"U:{actor.badge}", clock.now(), cfg.role_table())
        return line_json(s, line)


def release_line(
    db: Database, cfg: Config, line_id: int, badge: str, qty: object = None, *, gate: Gate | None = None
) -> dict[str, Any]:
    """A supervisor releases what a line holds (`qty` of it, all by default)."""
    with db.writing() as s:
        actor = _acting(s, badge, gate)
        line = get_line(s, line_id, lock=True)
        amount = None if qty is None else check_qty(qty)
        rules.release_line(s, line, actor, f"U:{actor.badge}", clock.now(), amount, table=cfg.role_table())
        return line_json(s, line)


def move_reservation(
    db: Database, cfg: Config, line_id: int, to: int, badge: str, qty: Any = None, *, gate: Gate | None = None
) -> dict[str, Any]:
    """A supervisor moves held stock to another line of the same part; both lines after the move."""
    with db.writing() as s:
        actor = _acting(s, badge, gate)
        line = get_line(s, line_id, lock=True)
        target = get_line(s, to, lock=True)
        rules.move_reservation(s, line, target, actor, f"U:{actor.badge}", clock.now(), qty, table=cfg.role_table())
        return {"from": line_json(s, line), "to": line_json(s, target)}
