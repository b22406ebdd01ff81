"""Kiosk enrolment on the kiosk's side: the one-time URL, and the reusable write check (the cookie: floor.http.enrolment).

`floor kiosk enrol STATION` prints `/kiosk/enrol/<token>`; opening it binds the browser to
the station with a signed cookie. With `[kiosk] require_enrolment = true` every kiosk POST
needs that cookie (`require_enrolled`); pages that read (board, alerts) do not. Other pages
(e.g. the handheld page) call `require_enrolled(station)` the same way.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from floor.application.stations import redeem_enrolment
from floor.core import enrolment
from floor.http.app import floor_app
from floor.http.enrolment import COOKIE, COOKIE_MAX_AGE, enrolled_station, enrolment_required, signed
from floor.kiosk.blueprint import bp


class NotEnrolled(HTTPException):
    """A write from a browser not enrolled (for this station): 403 with a page saying what to do."""

    code = 403

    def __init__(self, station: str | None, enrolled: str | None) -> None:
        super().__init__(
            description="this browser is not enrolled as a kiosk; ask a supervisor to run floor kiosk enrol"
        )
        self.station = station
        self.enrolled = enrolled

    def get_response(self, environ: Any = None, scope: Any = None) -> Response:
        """The bilingual page (or a JSON body for clients that ask for JSON)."""
        if request.accept_mimetypes.best == "application/json":
            resp = jsonify(error=self.description, code="not_enrolled")
        elif request.headers.get("HX-Request"):  # an htmx form: only the notice, swapped into the page
            resp = make_response(
                render_template("kiosk/_not_enrolled.html", station=self.station, enrolled=self.enrolled)
            )
        else:
            resp = make_response(
                render_template("kiosk/not_enrolled.html", station=self.station, enrolled=self.enrolled)
            )
        resp.status_code = 403
        return resp


def require_enrolled(station: str | None = None) -> str | None:
    """Raise NotEnrolled (403 page) unless this browser may write (for `station`, when named).

    Returns the enrolled station (None when enrolment is not required and the browser has none).
    """
    found = enrolled_station()
    if not enrolment_required():
        return found
    if found is None or (station is not None and found != station):
        raise NotEnrolled(station, found)
    return found


@bp.before_request
def _kiosk_writes_need_enrolment() -> None:
    # Every kiosk POST; the counter scan checks its own station on top.
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        require_enrolled()


@bp.get("/enrol/<token>")
def enrol(token: str) -> Response:
    """Redeem a one-time enrolment URL: bind this browser to its station with a signed cookie."""
    fa = floor_app()
    try:
        done = redeem_enrolment(fa.db, token, request.remote_addr or "-")
    except enrolment.EnrolmentError as exc:
        reasons = {
            "unknown": _("This enrolment link is not valid."),
            "used": _("This enrolment link was already used."),
            "expired": _("This enrolment link has expired."),
        }
        resp = make_response(render_template("kiosk/enrol.html", error=reasons[exc.code]))
        resp.status_code = 410 if exc.code != "unknown" else 404
        return resp
    resp = make_response(render_template("kiosk/enrol.html", station=done.station))
    resp.set_cookie(
        COOKIE,
        signed(done.station, done.enrolment_id),
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
    )
    resp.headers["Cache-Control"] = "no-store"
    return resp
