"""The kiosk's writes on the repair order (SPEC 10.1-10.2), each one transaction (clocking by touch is
`floor.application.workshop`'s).

Each parses the form and calls the use case the JSON API calls too (floor.application.repair_writes),
which opens the write's transaction; the kiosk's gate finds the acting person by badge (the core's one
look-up), and the core rule checks the role table (`role_denied`) and audits. A
refusal is the core's coded exception; `refusal` words it in the kiosk's language with a 4xx status.
The app's context is read through Flask's `current_app`: the kiosk imports nothing of the API's ring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from floor.application import repair, repair_writes
from floor.core import signatures
from floor.core.authority import resolve_badge
from floor.core.refusal import Refusal
from floor.core.repair.errors import RepairError
from floor.models import User


class PageRefusal(Exception):
    """A refusal of the kiosk page itself (not a core rule): its code and its text in the kiosk's language."""

    def __init__(self, code: str, text: str, status: int = 403) -> None:
        super().__init__(code)
        self.code, self.text, self.status = code, text, status


REFUSED = (Refusal, PageRefusal)  # every rule's refusal (Reject, BadgeError, NotAllowed, ...), and the page's own


def fa() -> Any:
    """The FloorApp of the current request (config, database)."""
    return current_app.extensions["floor"]


def _actor(session: Session, badge: str) -> User:
    if not badge or not badge.strip():
        raise RepairError("no_actor")
    return resolve_badge(session, badge[:64])


def form_id(text: object) -> object:
    """A form's id as the core reads a JSON id: ASCII digits become the number; anything else stays (and is unknown)."""
    if isinstance(text, str):
        key = text.strip()
        if key.isascii() and key.isdigit() and len(key) < 19:
            return int(key)
    return text


def _via(user: User) -> str:
    return f"U:{user.badge}"


def site() -> repair.RepairSite:
    """The site's settings of the repair order's use cases (role table, billing, VIN check, approvals)."""
    return repair.site_of(fa().cfg)


def _gate(badge: str) -> repair_writes.Gate:
    """The kiosk's check of who acts: the person of the badge typed or scanned (the core checks the role table)."""
    return lambda s: _actor(s, badge)


def add_concern(number: str, text: str, badge: str) -> str:
    """Write down a concern in the customer's words (`write_concerns`)."""
    repair_writes.add_concern(fa().db, site(), number, text, _gate(badge))
    return "concern"


def update_concern(number: str, concern_id: str, fields: Mapping[str, str], badge: str) -> str:
    """A concern's cause and correction (`diagnose`)."""
    repair_writes.update_concern(fa().db, site(), number, concern_id, fields, _gate(badge))
    return "concern_update"


def add_line(number: str, data: Mapping[str, Any], badge: str) -> str:
    """Add a proposed line (`write_lines`)."""
    data = {**data, "concern": form_id(data["concern"])} if "concern" in data else data
    repair_writes.add_line(fa().db, site(), number, data, _gate(badge))
    return "line"


def change_line(number: str, line_id: str, data: Mapping[str, Any], badge: str, pin: str = "") -> str:
    """Change a line (`write_lines`; after the customer's yes `reprice_authorized` with the supervisor's PIN, and it
    is asked again). A wrong PIN counts towards the lock-out although the write is refused."""
    if not data:
        raise RepairError("bad_line_field", field="hours", detail="give new hours, quantity or unit price")
    repair_writes.change_line(fa().db, site(), number, form_id(line_id), data, _gate(badge), pin=pin or None)
    return "line_change"


def answer(number: str, yes: Sequence[str], no: Sequence[str], how: str, signature: str, badge: str) -> str:
    """The customer's answer on proposed lines (`take_authorization`), with the pad's PNG for a signature."""
    png = signatures.decode_signature(signature) if signature else None
    yes_ids, no_ids = [form_id(i) for i in yes], [form_id(i) for i in no]
    repair_writes.authorize(fa().db, site(), number, yes_ids, no_ids, how, _gate(badge), signature=png)
    return "answer"


def offer_again(number: str, line_id: str, badge: str) -> tuple[str, int]:
    """A declined line of an earlier visit proposed again on the vehicle's open job: (job, new line id)."""
    return repair_writes.offer_again(fa().db, site(), number, form_id(line_id), _gate(badge), shown=str(line_id))


# --- clocking by touch (SPEC 10.3): the same rules as the OP:, CMD:STOP and CMD:FINISH scans ---------------
