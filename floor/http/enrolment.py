"""Which station a browser is enrolled as: the signed cookie `floor kiosk enrol` leaves, read by both doors.

The kiosk checks it before a write (floor.kiosk.enrolment) and the JSON API lets the enrolled handheld page post
scans for its own station (floor.http.principal); the cookie is signed with the app's secret key.
"""

from __future__ import annotations

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from floor.core import enrolment
from floor.http.app import floor_app

COOKIE = "floor_kiosk"
COOKIE_MAX_AGE = 5 * 365 * 24 * 3600
_SALT = "floor-kiosk-enrolment"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=_SALT)  # type: ignore[arg-type]


def signed(station: str, enrolment_id: int) -> str:
    """The cookie's value binding this browser to `station` by enrolment `enrolment_id`."""
    return str(_serializer().dumps({"station": station, "id": enrolment_id}))


def enrolled_station() -> str | None:
    """The station this browser is enrolled as (signed cookie whose enrolment still exists), or None."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw)
        station, enrolment_id = str(data["station"]), int(data["id"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    with floor_app().db.reading() as s:
        return station if enrolment.is_active(s, enrolment_id, station) else None


def enrolment_required() -> bool:
    """Whether this site requires enrolled browsers for kiosk writes (`[kiosk] require_enrolment`)."""
    return floor_app().cfg.kiosk.require_enrolment
