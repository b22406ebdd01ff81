"""What gateways report: a batch a gateway quarantined (the server refused it for good), kept as an audit entry."""

from __future__ import annotations

from typing import Any

from floor.core.audit import entries

ACTION = "gateway_quarantine"  # the audit action of a quarantine alert


def quarantine_alerts(session: Any, limit: int = 50) -> list[dict[str, Any]]:
    """The newest gateway quarantine alerts, newest first (the JSON API and the kiosk's alerts page)."""
    out = []
    for e in entries(session, action=ACTION, limit=limit):
        out.append({"at": e["at"], "device": e["object"], "reported_by": e["actor"], **e["details"]})
    return out
