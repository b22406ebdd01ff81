"""The one role table (SPEC 9.1): which role may do what. Scans, kiosk and API all ask here.

An action is a short stable name (`issue`, `approve_count`, `import:users`, ...). A site may
override any row with `[roles]` in floor.toml, e.g. `receive = ["storekeeper", "supervisor"]`.
An API token bound to no role (a bare string in `[api] tokens`) acts as `admin`, which may
do everything: that keeps the meaning bare tokens had before roles existed.

The table in force is the site's: `Config.role_table()` (defaults plus `[roles]`). The core reads
no config, so every core check takes that table as an argument (`roles=` / `table=`); there is
deliberately no module-level default table to fall back on, or a core check could silently ignore
a site's override while the web layer obeyed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core import messages
from floor.models.master import ROLES, User

messages.register(
    {
        "inactive_badge": ("Badge {badge} ({name}) is no longer active", "工牌 {badge}（{name}）已停用"),
    }
)

ADMIN = "admin"  # a bare API token: full access

_ALL = frozenset(ROLES)
_STORE = frozenset({"storekeeper", "supervisor"})
_SUP = frozenset({"supervisor"})
_FLOOR_LEADS = frozenset({"foreman", "supervisor"})
_FRONT = frozenset({"advisor", "foreman", "supervisor"})

# action -> roles that may do it. Keep rows grouped by area; every write names its action.
DEFAULT_TABLE: dict[str, frozenset[str]] = {
    # stock by scan ("scan": posting a batch at all; each scan is then checked as its own action)
    "scan": _ALL,
    "issue": frozenset({"technician", "storekeeper", "supervisor", "foreman"}),
    "return": frozenset({"technician", "storekeeper", "supervisor", "foreman"}),
    "receive": _STORE,
    "move": _STORE,
    "count": _STORE | {"technician", "foreman"},  # stocktakes are often counted by technicians
    "undo": _ALL,
    "customer_return": _STORE,
    # counts and stock administration
    "open_count": _STORE,
    "recompute_abc": _STORE,
    "evaluate_alerts": _ALL,
    "approve_count": _SUP,
    "view_blind": _SUP,
    "edit_stock": _SUP,
    "edit_parts": _STORE,
    "edit_locations": _STORE,
    "edit_users": _SUP,
    "import:parts": _STORE,
    "import:locations": _STORE,
    "import:stock": _SUP,
    "import:users": _SUP,
    "import:workorders": _FRONT | {"storekeeper"},
    "import:customers": _STORE | {"advisor"},
    "deliveries": _STORE,
    "supplier_returns": _STORE,
    # cores and warranty
    "core_return": _ALL,
    "core_disposition": _STORE,
    "waive_core": _SUP,
    "claim": _STORE | {"advisor"},
    "approve_claim": _SUP,
    "credit_claim": _SUP,
    # jobs
    "create_job": _FRONT,
    "move_job": _ALL,
    "cancel_job": _SUP | {"advisor", "foreman"},
    "pass_qc": _FLOOR_LEADS,
    "reception": _FRONT,
    "book_appointment": _FRONT,
    "reschedule_appointment": _FRONT,
    "cancel_appointment": _FRONT,
    "handover": _FRONT,
    "key_checkout": _ALL,
    "bind_tag": _FRONT | {"storekeeper"},
    # parts demand
    "request_parts": _ALL,
    "cancel_request": _STORE | _FLOOR_LEADS | {"advisor"},
    "approve_request": _SUP,
    "move_reservation": _SUP,
    "special_order": _STORE,
    # sales
    "quote_sale": _STORE | {"advisor"},
    "confirm_sale": _STORE | {"advisor"},
    "approve_sale": _SUP,
    "pick_sale": _STORE,
    "ship_sale": _STORE,
    "cancel_sale": _STORE | {"advisor"},
    "edit_customers": _STORE | {"advisor"},
    # labels, reports
    "print_labels": _ALL,
    "sign_month_end": _SUP,
    "edit_month_end": _STORE,
}


class NotAllowed(Exception):
    """A person or token may not do an action: code `role_denied`, with who, role and action."""

    code = "role_denied"

    def __init__(self, action: str, role: str, name: str = "-") -> None:
        super().__init__(f"{name} ({role}) may not {action}")
        self.action = action
        self.role = role
        self.name = name
        self.params = {"name": name, "role": role, "action": action}


class BadgeError(Exception):
    """A badge names nobody (`unknown_badge`) or someone no longer active (`inactive_badge`)."""

    def __init__(self, code: str, badge: str, name: str = "-") -> None:
        super().__init__(f"{code}: {badge}")
        self.code = code
        self.params = {"badge": badge, "name": name}


def resolve_badge(session: Session, badge: str) -> User:
    """THE look-up of who is acting: the active person with this badge (a scanned `U:` prefix is accepted).

    Raises BadgeError `unknown_badge` or `inactive_badge`; the web maps both to 403.
    """
    code = (badge or "").strip()
    if code[:2].upper() == "U:":
        code = code[2:].strip()
    shown = code[:40]
    user = session.scalar(select(User).where(User.badge == code)) if code else None
    if user is None:
        raise BadgeError("unknown_badge", shown)
    if not user.active:
        raise BadgeError("inactive_badge", shown, user.name)
    return user


def mask_badge(badge: str) -> str:
    """A badge as anonymous readers see it (badges are credentials): enough to tell people apart, not to use."""
    return (badge[:1] + "•••") if badge else ""


class RoleBearer(Protocol):
    """Anything with a role (its name, when it has one, goes into the refusal)."""

    @property
    def role(self) -> str: ...


class HasRole(Protocol):
    """Anything with a role and a name: a User row, a UserInfo, a token principal."""

    @property
    def role(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class RoleTable:
    """Which roles may do each action; built from the defaults and a site's `[roles]` overrides."""

    rows: Mapping[str, frozenset[str]] = field(default_factory=lambda: dict(DEFAULT_TABLE))

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, Iterable[str]] | None) -> RoleTable:
        """The default table with some rows replaced; unknown actions or roles raise ValueError."""
        rows = dict(DEFAULT_TABLE)
        for action, roles in (overrides or {}).items():
            if action not in DEFAULT_TABLE:
                raise ValueError(f"unknown action {action!r} in [roles]")
            bad = [r for r in roles if r not in ROLES]
            if bad:
                raise ValueError(f"[roles] {action}: unknown role {bad[0]!r} (roles: {', '.join(ROLES)})")
            rows[action] = frozenset(roles)
        return cls(rows)

    def may(self, role: str | None, action: str) -> bool:
        """Whether a role may do an action (admin may do everything; unknown actions nobody)."""
        if role == ADMIN:
            return True
        return role is not None and role in self.rows.get(action, frozenset())

    def require(self, who: RoleBearer | None, action: str) -> None:
        """Raise NotAllowed unless `who` may do `action`."""
        role = getattr(who, "role", None)
        if not self.may(role, action):
            raise NotAllowed(action, role or "nobody", getattr(who, "name", None) or "-")

    def roles_for(self, action: str) -> frozenset[str]:
        """The roles that may do an action."""
        return self.rows.get(action, frozenset())
