"""THE approver check of the bill (a discount above the limit, a credit note, a release unpaid): one function.

`check_approver(session, approver, pin, doer_id=, act=, roles=)` finds the person by badge, checks that
the site's role table lets them `act` (`role_denied`), that they are not the person whose work they
approve (`four_eyes`), and that they gave their PIN (`pin_required`). Every place of the bill that needs a
"yes" calls this and nothing else, so the PINs of SPEC 10.6 (floor.core.pins) replace its body alone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from floor.core import messages
from floor.core.authority import BadgeError, NotAllowed, RoleTable, resolve_badge
from floor.core.billing.errors import BillingError
from floor.models import User

messages.register(
    {
        "pin_required": (
            "{name} must give their PIN (pin) to {action_name}",
            "{name} 须输入 PIN（pin）才能{action_name_zh}",
        ),
        "four_eyes": (
            "{name} may not {action_name} on their own work: another person approves it",
            "{name} 不能审批本人经手的事项（{action_name_zh}）：须由他人审批",
        ),
    }
)


def check_approver(
    session: Session, approver: object, pin: object, *, doer_id: int | None, act: str, roles: RoleTable
) -> User:
    """The person saying yes to `act`: allowed by `roles`, not the doer (four eyes), with their PIN.

    Raises BillingError (`unknown_badge`, `inactive_badge`, `role_denied`, `four_eyes`, `pin_required`).
    """
    try:
        user = resolve_badge(session, str(approver or ""))
    except BadgeError as exc:
        raise BillingError(exc.code, **exc.params) from None
    try:
        roles.require(user, act)
    except NotAllowed as exc:
        raise BillingError("role_denied", **exc.params) from None
    if doer_id is not None and user.id == doer_id:
        raise BillingError("four_eyes", name=user.name, action=act)
    if not isinstance(pin, str) or not pin.strip():
        raise BillingError("pin_required", name=user.name, action=act)
    return user


def approver_fields(value: Any) -> tuple[object, object]:
    """`{"badge", "pin"}` of an `approver` object as the API sends it (anything else: no badge, no PIN)."""
    if isinstance(value, dict):
        return value.get("badge"), value.get("pin")
    return None, None
