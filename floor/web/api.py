"""The HTTP JSON API of the contract (SPEC section 6): scans, master data, parts and jobs."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, jsonify
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from floor import clock
from floor.application import aftersales, repair
from floor.application import master as master_case
from floor.application.master import EDIT_ACTIONS, RowRefused
from floor.application.pins import pin_failures_kept
from floor.config import ConfigError
from floor.config.settings import aftersales_settings
from floor.core import queries
from floor.core.badges import reissue_badge
from floor.core.pins import PinError
from floor.core.results import ScanInput
from floor.core.scanning.context import Reject
from floor.core.workorders.lookup import job_by_number
from floor.http.app import floor_app
from floor.http.errors import refusal
from floor.http.principal import (
    Principal,
    audited,
    authorize,
    authorize_with_pin,
    request_token,
    require_token,
)
from floor.http.validate import BodyError, field_int, field_str, field_time, json_body
from floor.models import User

bp = Blueprint("api", __name__, url_prefix="/api")
MAX_SCANS_PER_REQUEST = 1000


def token_ok() -> bool:
    """True when the request carries a configured API token (or none are configured)."""
    return request_token() is not None


def api_actor() -> str:
    """Who makes this API write, for the audit trail: the token's name, else the client address."""
    return Principal(require_token()).actor


def api_write(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Guard an API write: it needs `Authorization: Bearer <token>` when tokens are configured.

    The view then names its action with `floor.http.principal.authorize` (role table, audit). A wrong PIN the
    view's rules refused is counted again after its transaction rolled back (`pin_failures_kept`).
    """

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        require_token()
        with pin_failures_kept(floor_app().db):
            return fn(*args, **kwargs)

    return wrapper


def _scan_inputs(data: dict[str, Any]) -> list[ScanInput]:
    scans = data.get("scans")
    if not isinstance(scans, list):
        raise BodyError('\'scans\' must be a list of {"data", "seq", "at"} objects')
    if not scans:
        raise BodyError("'scans' is empty")
    if len(scans) > MAX_SCANS_PER_REQUEST:
        raise BodyError(f"at most {MAX_SCANS_PER_REQUEST} scans per request; split the batch")
    out: list[ScanInput] = []
    seen: set[int] = set()
    for i, item in enumerate(scans):
        where = f"scans[{i}]"
        if not isinstance(item, dict):
            raise BodyError(f"{where} must be an object with 'data'")
        text = item.get("data")
        if not isinstance(text, str):
            raise BodyError(f"{where}.data must be a string")
        raw = text.encode("utf-8", "surrogatepass")
        if item.get("data_b64") is not None:
            # A gateway forwards bytes that are not UTF-8 as base64, so the scan log keeps
            # the real bytes and the result says "bad encoding", not replacement characters.
            try:
                raw = base64.b64decode(str(item["data_b64"]), validate=True)
            except (binascii.Error, ValueError):
                raise BodyError(f"{where}.data_b64 is not base64") from None
        seq = item.get("seq")
        if seq is not None:
            seq = field_int(seq, f"{where}.seq", 0, 2**62)
            if seq in seen:
                raise BodyError(f"{where}.seq {seq} appears twice in this request")
            seen.add(seq)
        at = field_time(item["at"], f"{where}.at") if item.get("at") is not None else None
        out.append(ScanInput(raw, seq, at))
    return out


@bp.post("/scans")
@api_write
def post_scans() -> Any:
    """Apply a batch of scans of one device at one station; one result per scan."""
    data = json_body(check_text=False)
    station = field_str(data, "station", max_len=64)
    device = field_str(data, "device", required=False, max_len=64) or f"api:{station}"
    scans = _scan_inputs(data)
    fa = floor_app()
    # Each scan is checked against the badge scanned at the station; the token only against its stations.
    who = authorize(None, "scan", station=station)
    audited()  # the batch is audited in its own transaction
    try:
        results = fa.service.submit(station or "", device, scans, audit_actor=who.actor)
    except ConfigError as exc:
        raise BodyError(str(exc)) from None
    return jsonify(results=[r.to_json() for r in results])


@bp.get("/parts/<part_no>")
def get_part(part_no: str) -> Any:
    """A part with its on-hand per bin."""
    with floor_app().db.reading() as s:
        info = queries.part_summary(s, part_no)
    if info is None:
        raise NotFound(description=f"no part {part_no}")
    return jsonify(info)


@bp.get("/workorders/<number>")
def get_workorder(number: str) -> Any:
    """A job with its issued parts, cores and parts cost, and its repair order (SPEC 10.1-10.3).

    `lines` are the repair order's lines (SPEC 10.2); the parts issued per part number are `issued_lines`.
    `vehicle` is the VIN of the job's vehicle, or the reception's text for a job without one (`vehicle_text`).
    """
    with floor_app().db.reading() as s:
        wo = job_by_number(s, number)
        info = queries.workorder_summary(s, wo.number)
        assert info is not None  # the job was found
        # SPEC 10.5: a comeback flagged or decided
        info["comeback"] = aftersales.comeback_of(s, aftersales_settings(floor_app().cfg), wo)
        order = repair.repair_order(s, number, clock.now())
    info["issued_lines"] = info.pop("lines")
    info["vehicle_text"] = info["vehicle"]
    info.update(order, vehicle=order["vehicle"] or info["vehicle"])
    return jsonify(info)


def _create(kind: str) -> Any:
    data = json_body()
    by_badge = field_str(data, "by_badge", required=False, max_len=64)
    data = {k: v for k, v in data.items() if k != "by_badge"}
    fa = floor_app()
    rows: list[Any] = data["items"] if isinstance(data.get("items"), list) else [data]
    with fa.db.reading() as s:
        who = authorize(s, EDIT_ACTIONS[kind], by_badge)
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise BodyError(f"items[{i}] must be an object")
    try:
        saved = master_case.save_rows(
            fa.db, fa.cfg, kind, rows, who.user, who.actor, f"api.{kind}", details={"count": len(rows)}
        )
    except RowRefused as exc:
        where = f"items[{exc.index}]." if len(rows) > 1 or "items" in data else ""
        raise BodyError(f"{where}{exc.field}: {exc.message}") from None
    audited()  # recorded by the use case, in its transaction
    if saved.warnings:  # accepted, but a person should look (e.g. mileage below the last visit)
        return jsonify(ok=True, created=saved.keys, warnings=saved.warnings), 201
    return jsonify(ok=True, created=saved.keys), 201


@bp.post("/parts")
@api_write
def post_parts() -> Any:
    """Create or update parts (CSV columns as JSON fields; one object or {"items": [...]})."""
    return _create("parts")


@bp.post("/locations")
@api_write
def post_locations() -> Any:
    """Create or update bins."""
    return _create("locations")


@bp.post("/users")
@api_write
def post_users() -> Any:
    """Create or update people."""
    return _create("users")


@bp.post("/users/<badge>/reissue")
@api_write
def post_reissue(badge: str) -> Any:
    """A supervisor with their PIN gives a person a new badge: `{"badge", "pin", "new"?}` -> the new code.

    The old badge names nobody from then on; stations where the person was badged in forget them.
    """
    data = json_body()
    new = field_str(data, "new", required=False, max_len=64)
    try:
        with floor_app().db.writing() as s:
            who = authorize_with_pin(s, "edit_users", data)
            code = badge.strip()
            code = code[2:].strip() if code[:2].upper() == "U:" else code
            user = s.scalar(select(User).where(User.badge == code)) if code else None
            if user is None:
                raise NotFound(description="no person has this badge")
            issued = reissue_badge(s, user, actor=who.actor, new=new)
            name, role = user.name, user.role
    except PinError:
        raise  # answered by the PIN handler, after its wrong try is kept (api_write)
    except Reject as exc:
        return refusal(exc.code, exc.params)
    audited()
    return jsonify(badge=issued, name=name, role=role)


@bp.post("/workorders")
@api_write
def post_workorders() -> Any:
    """Create or update job cards."""
    return _create("workorders")


@bp.post("/stock")
@api_write
def post_stock() -> Any:
    """Set opening balances (part_no, location, qty)."""
    return _create("stock")


@bp.get("/devices")
def get_devices() -> Any:
    """Configured devices with their live state (when this process runs the readers)."""
    fa = floor_app()
    manager = fa.devices
    live = {s.name: s.to_json() for s in manager.states()} if manager is not None else {}
    devices = []
    for name, dev in fa.cfg.devices.items():
        entry: dict[str, object] = {"name": name, "kind": dev.kind, "url": dev.url, "station": dev.station}
        entry.update(live.get(name, {"state": "not running in this process"}))
        devices.append(entry)
    return jsonify(devices=devices)


@bp.get("/stations/<name>")
def get_station(name: str) -> Any:
    """A station's live session: actor (name and role, never the badge), job, mode, bin, pending quantity, last scans."""
    fa = floor_app()
    try:
        fa.cfg.station(name)
    except ConfigError as exc:
        raise NotFound(description=str(exc)) from None
    with fa.db.reading() as s:
        summary = queries.station_summary(s, name)
    return jsonify(summary)
