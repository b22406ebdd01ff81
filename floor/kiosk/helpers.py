"""Small shared pieces of the kiosk pages: names in the kiosk's language, local times, badge checks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import g
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from floor import clock
from floor.core import messages
from floor.core.authority import BadgeError, resolve_badge, role_shown
from floor.http.app import floor_app
from floor.kiosk.i18n import HTML_LANG
from floor.models import User
from floor.models.appointments import AppointmentStatus
from floor.models.counts import CountKind, CountStatus
from floor.models.named import NamedState
from floor.models.printing import PrintStatus
from floor.models.requests import RequestStatus
from floor.models.sales import ChargeStatus
from floor.models.scans import ScanMode, StationKind
from floor.models.workorders import CoreStatus, OldParts, Status


class BadgeRefused(Exception):
    """The badge is unknown, inactive or lacks the role the action needs."""


def lang() -> str:
    """'en' or 'zh' for the current request."""
    loc = get_locale()
    return "zh" if loc is not None and loc.language == "zh" else "en"


def html_lang() -> str:
    """The lang attribute of the page."""
    return HTML_LANG[lang()]


def _texts() -> dict[str, str]:
    # Translated once per request: a board of 300 jobs would otherwise ask babel thousands of times.
    cached = g.get("kiosk_texts")
    if cached is None:
        cached = {"min": _("%(n)d min"), "hm": _("%(h)d h %(m)02d"), "d": _("%(d)d d")}
        g.kiosk_texts = cached
    return cached


def site_zone() -> ZoneInfo:
    """The workshop's time zone from the config ([site] timezone), UTC if unset."""
    cached = g.get("kiosk_zone")
    if cached is None:
        cached = g.kiosk_zone = _site_zone()
    return cached


def _site_zone() -> ZoneInfo:
    cfg = floor_app().cfg
    name = getattr(cfg, "timezone", None) or cfg.raw.get("site", {}).get("timezone", "UTC")
    try:
        return ZoneInfo(name)
    except Exception:  # a bad name is the config loader's to report; show UTC meanwhile
        return ZoneInfo("UTC")


def _as_datetime(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def local_time(value: Any, fmt: str = "%H:%M") -> str:
    """A UTC time (datetime or ISO text) in the workshop's zone; '–' for none."""
    moment = _as_datetime(value)
    if moment is None:
        return "–"
    zone = site_zone()
    local = moment.astimezone(zone)
    if fmt == "%H:%M" and local.date() != clock.now().astimezone(zone).date():
        fmt = "%m-%d %H:%M"
    return local.strftime(fmt)


def minutes_between(start: Any, end: datetime | None = None) -> int:
    """Whole minutes from start to end (now)."""
    moment = _as_datetime(start)
    if moment is None:
        return 0
    return max(0, int(((end or clock.now()) - moment).total_seconds() // 60))


def age(value: Any) -> str:
    """A compact duration since a time: '45 min', '3 h 10', '2 d'."""
    minutes = value if isinstance(value, int) else minutes_between(value)
    texts = _texts()
    if minutes < 60:
        return texts["min"] % {"n": minutes}
    if minutes < 24 * 60:
        return texts["hm"] % {"h": minutes // 60, "m": minutes % 60}
    return texts["d"] % {"d": minutes // (24 * 60)}


class Formatter:
    """Times and durations for many rows at once: the zone, today and the texts looked up once."""

    def __init__(self) -> None:
        self.zone = site_zone()
        self.today = clock.now().astimezone(self.zone).date()
        self.now = clock.now()
        self.texts = _texts()

    def time(self, value: Any) -> str:
        """HH:MM today, MM-DD HH:MM on other days, '–' for none."""
        moment = _as_datetime(value)
        if moment is None:
            return "–"
        local = moment.astimezone(self.zone)
        return local.strftime("%H:%M" if local.date() == self.today else "%m-%d %H:%M")

    def duration(self, minutes: int) -> str:
        """'45 min', '3 h 10', '2 d' in the kiosk's language."""
        if minutes < 60:
            return self.texts["min"] % {"n": minutes}
        if minutes < 24 * 60:
            return self.texts["hm"] % {"h": minutes // 60, "m": minutes % 60}
        return self.texts["d"] % {"d": minutes // (24 * 60)}

    def since(self, value: Any) -> str:
        """The duration from a time until now."""
        return self.duration(minutes_between(value, self.now))


def scan_message(item: Any) -> str:
    """A scan result's message in the kiosk's language (dicts from queries or ScanResult)."""
    get = item.get if isinstance(item, dict) else lambda k: getattr(item, k, None)
    return (get("message_zh") if lang() == "zh" else get("message")) or get("message") or ""


def status_name(status: str | None) -> str:
    """A work-order status in the kiosk's language (its enum's names, floor.models.workorders.Status)."""
    return Status.shown(status, lang())


def mode_name(mode: str | None) -> str:
    """A scan mode in the kiosk's language (floor.core.scanning.modes.ScanMode)."""
    return ScanMode.shown(mode, lang())


# The state kinds a template may name with the `state` filter: `{{ job.old_parts|state("old_parts") }}`.
STATE_KINDS: dict[str, type[NamedState]] = {
    "job": Status,
    "mode": ScanMode,
    "old_parts": OldParts,
    "appointment": AppointmentStatus,
    "charge": ChargeStatus,
    "request": RequestStatus,
    "core": CoreStatus,
    "count": CountStatus,
    "count_kind": CountKind,
    "station": StationKind,
    "print": PrintStatus,
}


def state_name(value: object, kind: str) -> str:
    """A state's display name in the kiosk's language, from its enum (floor.models.named): the `state` filter."""
    return STATE_KINDS[kind].shown(value, lang())


def role_name(role: str | None) -> str:
    """A role in the kiosk's language (the role table's names, `floor.core.authority.ROLE_NAMES`)."""
    if not role:
        return "–"
    en, zh = role_shown(role)
    return zh if lang() == "zh" else en


def badge_user(session: Session, badge: str, action: str) -> User:
    """The active person with this badge (a scanned `U:` prefix is accepted) whom the role table allows `action`.

    The look-up is the core's one (`resolve_badge`); the refusal is worded for the kiosk.
    """
    try:
        user = resolve_badge(session, badge)
    except BadgeError as exc:
        raise BadgeRefused(_("Unknown badge.") if exc.code == "unknown_badge" else _("This badge is no longer active."))
    table = floor_app().cfg.role_table()
    if not table.may(user.role, action):
        raise BadgeRefused(
            _(
                "%(name)s is a %(role)s; this needs a %(needed)s.",
                name=user.name,
                role=role_name(user.role),
                needed=" / ".join(role_name(r) for r in sorted(table.roles_for(action))) or "-",
            )
        )
    return user


# Refusals of who acts (403), and of bad input that does not start with `bad_` (400), on the kiosk's pages.
WHO_REFUSALS = ("no_actor", "unknown_badge", "inactive_badge", "role_denied")
BAD_INPUT = ("signature_missing", "no_lines_answered", "line_twice", "not_labour_line", "no_sell_price")


def refusal_status(code: str) -> int:
    """A refusal's HTTP status on a kiosk page: who acts 403, unknown things 404, bad input 400, else 409."""
    if code in WHO_REFUSALS:
        return 403
    if code.startswith("unknown_"):
        return 404
    if code.startswith("bad_") or code in BAD_INPUT:
        return 400
    return 409


def refusal(exc: Exception) -> tuple[str, str, int]:
    """(message in the kiosk's language, code, HTTP status) of a coded refusal (a core `Reject`, `BadgeError`,
    `NotAllowed`, or a page's own refusal carrying its `text` and `status`)."""
    code = str(getattr(exc, "code", "refused"))
    text = getattr(exc, "text", None)
    if isinstance(text, str):
        return text, code, int(getattr(exc, "status", 400))
    params: dict[str, Any] = dict(getattr(exc, "params", {}) or {})
    if code == "no_actor":
        text = _("No badge given: scan or type your badge.")
    elif code == "unknown_badge":
        text = _("Unknown badge.")
    elif code == "inactive_badge":
        text = _("This badge is no longer active.")
    elif code == "role_denied":
        text = _(
            "%(name)s is a %(role)s and may not do this.",
            name=str(params.get("name", "-")),
            role=role_name(str(params.get("role", "-"))),
        )
    else:
        en, zh = messages.render(code, params)
        text = zh if lang() == "zh" else en
    return text, code, refusal_status(code)
