"""Who is acting on an HTTP write: the ONE web helper every API and kiosk write calls.

A write is made by a principal: the badge the body names (resolved by
`floor.core.authority.resolve_badge`) and/or the API token of the request.
The rule (docs/authority.md):

- a bare token (or no `[api] tokens` configured: a development install) is role `admin`;
- a role-bound token without a badge is checked as its role;
- with a badge in the body the badge's role is checked, and a role-bound token must
  ALSO be allowed the action (both must agree), so a technician's badge cannot lift a
  storekeeper token's limits, nor a supervisor's badge widen a technician token;
- a token limited to stations may only post for those stations.

Every allowed write is audited with its actor, action and station after it succeeds
(`after_request`, in its own short transaction; writes that audit themselves inside their
own transaction, such as scan batches, set `g.audited`).
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, g, request
from sqlalchemy.orm import Session
from werkzeug.exceptions import Unauthorized

from floor import clock
from floor.application.gate import Gate
from floor.config import ApiToken
from floor.core.audit import record, token_actor
from floor.core.authority import ADMIN, NotAllowed, resolve_badge
from floor.core.pins import verify_pin
from floor.core.refusal import Refusal
from floor.http.app import floor_app
from floor.http.enrolment import enrolled_station
from floor.http.validate import field_str
from floor.models import User

log = logging.getLogger(__name__)
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
OPEN = ApiToken("", ADMIN)  # no tokens configured: the API is open (development installs)


class Refused(Refusal):
    """A write refused by the web ring (no badge, a station the token may not use).

    Answered like every coded refusal by the app's one handler (`floor.http.errors.init_errors`), with its
    status from the one table (`floor.http.errors.HTTP_STATUS`).
    """


@dataclass(frozen=True)
class Principal:
    """Who makes a write: the person whose badge was given (if any) and the token of the request."""

    token: ApiToken
    user: User | None = None
    station: str | None = None

    @property
    def role(self) -> str:
        """The role checked first: the badge's, else the token's."""
        return self.user.role if self.user is not None else self.token.role

    @property
    def name(self) -> str:
        """A name for messages."""
        return self.user.name if self.user is not None else (self.actor if self.token.token else "anonymous")

    @property
    def user_id(self) -> int | None:
        """The person's id for actor columns."""
        return self.user.id if self.user is not None else None

    @property
    def actor(self) -> str:
        """The audit actor: the badge, else the token's fingerprint, else the client address."""
        if self.user is not None:
            return f"U:{self.user.badge}"
        if self.token.token:
            return token_actor(self.token.token)
        return f"anonymous@{request.remote_addr or '-'}"


def request_token() -> ApiToken | None:
    """The configured token the request carries; OPEN when none are configured; None when it carries none."""
    cfg = floor_app().cfg
    if not cfg.api_tokens:
        return OPEN
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return enrolled_handheld_token()
    given = header[len("Bearer ") :].strip().encode()
    for text, entry in cfg.token_roles.items():
        if hmac.compare_digest(given, text.encode()):
            return entry
    for text in cfg.api_tokens:  # tokens set directly on a Config (tests, embedding) are bare
        if hmac.compare_digest(given, text.encode()):
            return ApiToken(text)
    return None


def enrolled_handheld_token() -> ApiToken | None:
    """A browser enrolled as a station (`floor kiosk enrol`) that says it is the handheld page.

    It may post scans for its own station only, as role `technician` (each scan is then
    checked against the badge scanned at the station). The custom header makes a cross-site
    form or fetch impossible without a CORS preflight, so the cookie cannot be ridden (CSRF).
    """
    if request.headers.get("X-Floor-Handheld") != "1" or request.path != "/api/scans":
        return None
    station = enrolled_station()
    return ApiToken("", "technician", (station,)) if station else None


def require_token() -> ApiToken:
    """The request's token, or 401."""
    token = request_token()
    if token is None:
        raise Unauthorized(description="this API write needs Authorization: Bearer <token> from [api] tokens")
    return token


def person(session: Any, badge: str | None) -> User | None:
    """The active person with this badge (None for no badge); BadgeError `unknown_badge` / `inactive_badge` (403)."""
    if badge is None or not str(badge).strip():
        return None
    return resolve_badge(session, str(badge))


def check(who: Principal, action: str) -> None:
    """Raise NotAllowed (or Refused for a station) unless the role table allows `action` to the principal."""
    table = floor_app().cfg.role_table()
    # The message names who may, so the person at the counter knows whose badge to fetch.
    allowed = table.roles_for(action)
    if who.user is not None and not table.may(who.user.role, action):
        raise NotAllowed(action, who.user.role, who.user.name, allowed)
    if who.token.role != ADMIN and not table.may(who.token.role, action):
        raise NotAllowed(action, who.token.role, who.name, allowed)
    if who.station and not who.token.may_use_station(who.station):
        raise Refused("station_denied", station=who.station, stations=", ".join(who.token.stations))


def authorize(
    session: Any,
    action: str,
    badge: str | None = None,
    *,
    badge_required: bool = False,
    station: str | None = None,
) -> Principal:
    """The principal of this API write, allowed `action`; audited once the write succeeds."""
    token = require_token()
    if badge_required and (badge is None or not str(badge).strip()):
        raise Refused("no_actor")
    who = Principal(token, person(session, badge), station)
    check(who, action)
    mark_write(action, who.actor, station)
    return who


def badge_gate(data: dict[str, Any], action: str) -> Gate:
    """The JSON API's check of who acts on a use case's write: the body's `badge` (and the request's token), allowed
    `action` by the role table; run by the use case inside its transaction, which writes the audit entry itself."""

    def gate(session: Session) -> User:
        who = authorize(session, action, field_str(data, "badge", max_len=64), badge_required=True)
        audited()
        assert who.user is not None  # badge_required: a write without a person is refused above
        return who.user

    return gate


def authorize_with_pin(session: Any, action: str, data: dict[str, Any]) -> Principal:
    """A privileged write (SPEC 10.6): the body's `badge` and that person's `pin`, or a configured token alone.

    With a badge, the person must be allowed `action` and give their PIN (`pin_required`, `bad_pin`,
    `pin_locked`, ...); a role-bound or bare API token allowed `action` suffices on its own. An open API (no
    `[api] tokens`, a development install) has no token to trust: it needs the badge and PIN.
    """
    badge = data.get("badge")
    who = authorize(session, action, badge if isinstance(badge, str) else None)
    if who.user is not None:
        verify_pin(session, who.user, data.get("pin"), now=clock.now(), action=action)
    elif not who.token.token:
        raise Refused("no_actor")
    return who


def mark_write(action: str, actor: str, station: str | None = None, obj: str | None = None) -> None:
    """Note the write's action and actor for the audit entry written after it succeeds."""
    g.floor_write = {"action": action, "actor": actor, "station": station, "object": obj}


def audited() -> None:
    """The write recorded its own audit entry in its transaction: write none after it."""
    g.audited = True


def init_principal(app: Flask) -> None:
    """Register the audit of successful writes (refusals are answered by `floor.http.errors.init_errors`)."""

    @app.after_request
    def _audit_write(resp: Response) -> Response:
        write = g.get("floor_write")
        if request.method not in WRITE_METHODS or write is None or g.get("audited") or resp.status_code >= 400:
            return resp
        try:
            with floor_app().db.writing() as s:
                record(
                    s,
                    write["actor"],
                    f"{request.blueprint or 'app'}.{write['action']}",
                    write["object"] or request.path,
                    station=write["station"],
                    method=request.method,
                    status=resp.status_code,
                )
        except Exception:  # the change is made; a lost audit row is logged loudly, never a 500
            log.exception("could not audit %s %s", request.method, request.path)
        return resp
