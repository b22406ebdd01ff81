"""The handheld page (SPEC 9.6): `/handheld/<station>` for phones and Android handhelds, offline first.

The page keeps every scan in the browser (IndexedDB, with its own device id and seq) and
sends it through `POST /api/scans`; this module only serves the page, its service worker and
manifest, and the read-only JSON the page shows (open counts, open deliveries, look-ups,
the device's last seq) plus a frame decoder for phones without the BarcodeDetector API.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template, request, send_from_directory
from flask_babel import gettext as _
from sqlalchemy import select

from floor import clock
from floor.config import ConfigError
from floor.core import queries
from floor.core.catalog import get_catalog
from floor.core.codes import Code, CodeError, Kind, parse_scan
from floor.core.counts.variance import progress
from floor.core.receiving.deliveries import list_deliveries
from floor.http.app import floor_app
from floor.http.errors import refusal
from floor.kiosk import helpers
from floor.kiosk.enrolment import require_enrolled
from floor.kiosk.i18n import LANGUAGES
from floor.kiosk.stock_pages import count_bins
from floor.models import CountSession, StockLevel

STATIC = Path(__file__).parent / "static" / "handheld"
HANDHELD_KINDS = ("stocktake", "receiving")  # the station kinds a handheld scans as (SPEC 9.6)
MAX_FRAME_BYTES = 4 * 1024 * 1024
DEVICE_RE = re.compile(r"^[A-Za-z0-9:_.-]{1,64}$")

bp = Blueprint(
    "handheld",
    __name__,
    url_prefix="/handheld",
    template_folder="templates",
    static_folder="static/handheld",
    static_url_path="/static",
)


def _handheld_station(station: str) -> None:
    """404 unless `station` is configured with a kind a handheld scans as."""
    try:
        st = floor_app().cfg.station(station)
    except ConfigError:
        abort(404, description=_("No station %(name)s.", name=station))
    if st.kind not in HANDHELD_KINDS:
        abort(404, description=_("Station %(name)s is not a handheld station.", name=station))


@bp.get("/")
def index() -> str:
    """The handheld stations of this site, one big button each."""
    stations = [s for s in floor_app().cfg.stations.values() if s.kind in HANDHELD_KINDS]
    return render_template("handheld/index.html", handheld_stations=stations)


@bp.context_processor
def _context() -> dict[str, Any]:
    # The kiosk's page context too: the "not enrolled" page is a kiosk template.
    return {
        "languages": LANGUAGES,
        "lang": helpers.lang(),
        "html_lang": helpers.html_lang(),
        "stations": floor_app().cfg.stations,
    }


@bp.get("/<station>")
def page(station: str) -> str:
    """The handheld page of a station: sign in, choose a task, scan (offline first)."""
    _handheld_station(station)
    require_enrolled(station)  # same rule as a kiosk: with [kiosk] require_enrolment only an enrolled browser
    kind = floor_app().cfg.station(station).kind
    return render_template("handheld/page.html", station=station, station_kind=kind)


@bp.get("/sw.js")
def service_worker() -> Response:
    """The service worker, served from /handheld/ so its scope covers every handheld page."""
    resp = send_from_directory(STATIC, "sw.js", mimetype="text/javascript", max_age=0)
    resp.headers["Service-Worker-Allowed"] = "/handheld/"
    resp.headers["Cache-Control"] = "no-cache"  # a new version is picked up on the next visit
    return resp


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """The web app manifest (installable page); start_url is the station last opened (?station=)."""
    station = request.args.get("station", "")
    start = f"/handheld/{station}" if station in floor_app().cfg.stations else "/handheld/"
    body = {
        "name": "floor handheld",
        "short_name": "floor",
        "start_url": start,
        "scope": "/handheld/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#101418",
        "theme_color": "#101418",
        "icons": [
            {"src": "/handheld/static/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "/handheld/static/icon-512.png", "sizes": "512x512", "type": "image/png"},
            {"src": "/handheld/static/icon.svg", "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    resp = jsonify(body)
    resp.mimetype = "application/manifest+json"
    return resp


@bp.get("/<station>/state")
def state(station: str) -> Any:
    """What the page lists: open counts with their bins (blind), open deliveries, and the pick queue if any."""
    _handheld_station(station)
    with floor_app().db.reading() as s:
        counts = []
        for cid in s.scalars(select(CountSession.id).where(CountSession.status == "open").order_by(CountSession.id)):
            info = progress(s, cid)
            # Blind like the kiosk: bins and whether they were counted, never expected quantities.
            info["bin_list"] = [{"code": b["code"], "counted": b["pass_no"] > 0} for b in count_bins(s, cid)]
            counts.append(info)
        deliveries = list_deliveries(s, "open")
    # `now` lets the page stamp offline scans with the server's clock, not the phone's.
    return jsonify(station=station, now=clock.now().isoformat(), counts=counts, deliveries=deliveries)


@bp.get("/devices/<device>/last-seq")
def last_seq(device: str) -> Any:
    """The highest seq the server holds for this device: a page never numbers a scan at or below it."""
    if not DEVICE_RE.match(device):
        return refusal("bad_device", {})
    return jsonify(device=device, last_seq=floor_app().service.last_seq(device), now=clock.now().isoformat())


@bp.get("/lookup")
def lookup() -> Any:
    """A scanned part (label, GTIN, barcode alias, part number) or bin (`L:`): its stock per bin."""
    text = (request.args.get("code") or "").strip()
    if not text or len(text) > 200:
        return refusal("bad_lookup", {})
    try:
        code: Code | None = parse_scan(text)
    except CodeError:
        code = None  # a text the scan path cannot read names no part there either
    with floor_app().db.reading() as s:
        catalog = get_catalog(s)
        if code is not None and code.kind is Kind.LOCATION:
            loc = catalog.location_by_code.get(code.value)
            if loc is None:
                return refusal("unknown_location", {"code": code.value[:40]})
            parts = {catalog.parts[pid].part_no: q for q, pid in _bin_parts(s, loc.id) if pid in catalog.parts}
            return jsonify(kind="location", code=loc.code, zone=loc.zone, parts=parts)
        # The scan path's own resolution: the look-up names the part a scan of this code would take.
        part = catalog.part_named(code) if code is not None else None
        info = queries.part_summary(s, part.part_no) if part is not None else None
    if info is None:
        return refusal("unknown_part", {"text": text[:60]})
    return jsonify(kind="part", **info)


def _bin_parts(s: Any, location_id: int) -> list[tuple[int, int]]:
    rows = s.execute(
        select(StockLevel.qty, StockLevel.part_id).where(StockLevel.location_id == location_id, StockLevel.qty != 0)
    )
    return [(int(q), int(pid)) for q, pid in rows]


@bp.post("/<station>/decode")
def decode(station: str) -> Any:
    """Decode one camera frame (JPEG/PNG body) with floor's camera decoder, for browsers without BarcodeDetector."""
    _handheld_station(station)
    body = request.get_data(cache=False)
    if not body or len(body) > MAX_FRAME_BYTES:
        return refusal("bad_frame", {})
    # Late: OpenCV and the decoders load only when a phone without BarcodeDetector first asks.
    from floor.scanners.camera_decode import decode_image_bytes

    codes = decode_image_bytes(body)
    if codes is None:
        return refusal("bad_frame", {})
    return jsonify(codes=[{"aim": c.aim, "data": c.data.decode("utf-8", "replace")} for c in codes])
