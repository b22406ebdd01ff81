"""Alerts from gateways: a batch a gateway quarantined (the server refused it for good) is recorded here.

The gateway posts one alert per quarantined batch; it is kept as an audit entry
(action `gateway_quarantine`) and shown on the kiosk alerts page and by `floor devices`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from floor.application.gateway import ACTION, quarantine_alerts
from floor.core.audit import record
from floor.http.app import floor_app
from floor.http.principal import audited, authorize
from floor.http.validate import field_int, field_str, json_body
from floor.web.api import api_write

bp = Blueprint("gateway_api", __name__, url_prefix="/api")


@bp.post("/gateway/alerts")
@api_write
def post_gateway_alert() -> Any:
    """A gateway quarantined a batch: `{"station", "device", "first_seq", "last_seq", "scans", "error"}`."""
    data = json_body()
    device = field_str(data, "device", max_len=64) or ""
    details: dict[str, Any] = {
        "station": field_str(data, "station", max_len=64),
        "first_seq": field_int(data.get("first_seq"), "first_seq", 0, 2**62),
        "last_seq": field_int(data.get("last_seq"), "last_seq", 0, 2**62),
        "scans": field_int(data.get("scans"), "scans", 1, 100_000),
        "error": field_str(data, "error", max_len=500),
    }
    with floor_app().db.writing() as s:
        # A gateway posts scans with its token: reporting a batch it gave up on is part of that.
        who = authorize(s, "scan", station=details["station"])
        audited()  # the alert is its own audit entry, recorded here
        record(s, who.actor, ACTION, device, **details)
    return jsonify(recorded=True, device=device, **details), 201


@bp.get("/gateway/alerts")
def get_gateway_alerts() -> Any:
    """The newest batches gateways quarantined."""
    with floor_app().db.reading() as s:
        return jsonify(alerts=quarantine_alerts(s))
