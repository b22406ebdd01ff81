"""Use cases of counts (SPEC 9.5) for the JSON API and the kiosk alike: approve a count with a supervisor's PIN.

The door hands over what it parsed and its own check of who acts (`gate`: the API's token and badge, the
kiosk's badge worded for the page); the use case opens the write transaction (wrong PINs kept past the
refusal), lets the core check the approver against the site's role table, four eyes and the PIN, posts the
adjustments and writes its one audit entry. The door then marks the write as audited. Refusals are the
core's coded errors (`CountError`, `PinError`, `BadgeError`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from floor.application.pins import pin_failures_kept
from floor.config import Config
from floor.core.audit import record
from floor.core.authority import resolve_badge
from floor.core.counts.approval import approve_count
from floor.core.counts.settings import CountSettings
from floor.db import Database

# The door's own check of who acts, inside the write's transaction (it raises its refusal).
Gate = Callable[[Session], object]


def approve(
    db: Database,
    cfg: Config,
    settings: CountSettings,
    count_id: int,
    badge: str,
    pin: object,
    *,
    reasons: Mapping[tuple[str, str], str] | None = None,
    default_reason: str = "unknown",
    override_recount: bool = False,
    allow_partial: bool = False,
    gate: Gate | None = None,
    station: str | None = None,
) -> dict[str, Any]:
    """Approve a count with a supervisor's badge and PIN: one adjustment per variance line; the count's result."""
    with pin_failures_kept(db), db.writing() as s:
        if gate is not None:
            gate(s)
        user = resolve_badge(s, badge)
        result = approve_count(
            s,
            count_id,
            user.badge,
            settings,
            reasons,
            default_reason,
            override_recount,
            allow_partial,
            roles=cfg.role_table(),
            pin=pin,
        )
        record(
            s,
            f"U:{user.badge}",
            "approve_count",
            f"count:{count_id}",
            station=station,
            adjustments=result["adjustments"],
            net_value=result["net_value"],
        )
        return result
