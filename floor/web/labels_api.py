"""HTTP API of labels: POST /api/labels (print or preview), GET /api/printers, reprint a job."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from floor.application import labels as labels_case
from floor.http.app import floor_app
from floor.http.errors import error_answer
from floor.http.principal import authorize, authorize_with_pin
from floor.http.validate import BodyError, field_str, json_body
from floor.labels import queue
from floor.labels.kinds import KINDS
from floor.labels.model import LabelError, UnencodableError, UnknownKind, UnknownObject
from floor.labels.service import FORMATS, UnknownPrinter, make_label, printer_status, render
from floor.web.api import api_write

bp = Blueprint("labels", __name__, url_prefix="/api")
MIME = {"zpl": "text/plain; charset=utf-8", "png": "image/png", "svg": "image/svg+xml"}
MAX_IDS = 500


def _error(message: str, status: int) -> tuple[Response, int]:
    """A label request refused before anything is printed, in the one error shape."""
    return error_answer("bad_label_request", message, f"标签请求无效：{message}", status)


def _ids(data: dict[str, Any]) -> list[str]:
    ids = data.get("ids")
    if ids is None:
        return [field_str(data, "id", max_len=128) or ""]
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i.strip() for i in ids):
        raise BodyError("'ids' must be a non-empty list of strings")
    if len(ids) > MAX_IDS:
        raise BodyError(f"at most {MAX_IDS} ids per request")
    return ids


def _choose_printer(data: dict[str, Any]) -> str | None:
    cfg = floor_app().cfg
    printer = field_str(data, "printer", required=False, max_len=64)
    station = field_str(data, "station", required=False, max_len=64)
    if printer is None and station is not None:
        st = cfg.stations.get(station)
        if st is None:
            raise UnknownPrinter(f"unknown station {station!r}")
        printer = st.printer
        if printer is None:
            raise UnknownPrinter(f"station {station!r} has no printer")
    return printer


@bp.post("/labels")
@api_write
def post_labels() -> Any:
    """Print a label via the queue (`printer` or `station`), or return it (`format` and no printer)."""
    data = json_body()
    kind = field_str(data, "kind", max_len=16) or ""
    if kind not in KINDS:
        return _error(f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}", 400)
    fmt = field_str(data, "format", required=False, max_len=8)
    if fmt is not None and fmt not in FORMATS:
        return _error(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}", 400)
    ids = _ids(data)
    fa = floor_app()
    if kind == "badge":  # a copy of a credential (SPEC 10.6): a supervisor's with their PIN, before any look-up
        with fa.db.writing() as s:
            authorize_with_pin(s, "print_badges", data)
    try:
        printer = _choose_printer(data)
        if printer is None and fmt is None:
            if len(fa.cfg.printers) != 1:
                return _error("name a 'printer' (or 'station') to print, or a 'format' to get the label", 400)
            printer = next(iter(fa.cfg.printers))
        if printer is None:
            if len(ids) != 1:
                return _error("a preview is of one label: give 'id', not 'ids'", 400)
            with fa.db.reading() as s:
                label = make_label(s, kind, ids[0])
            out = render(label, fmt or "zpl", None)
            return Response(out, mimetype=MIME[fmt or "zpl"])
        with fa.db.reading() as s:
            who = authorize(s, labels_case.print_action(kind), field_str(data, "badge", required=False, max_len=64))
        # The PIN of a badge label was checked above, before any look-up.
        result = [j.as_json() for j in labels_case.print_labels(fa.db, fa.cfg, printer, kind, ids, who.user)]
    except UnknownPrinter as exc:
        return _error(str(exc), 404)
    except UnknownObject as exc:
        return _error(str(exc), 404)
    except UnencodableError as exc:
        return _error(str(exc), 422)
    except (UnknownKind, LabelError) as exc:
        return _error(str(exc), 400)
    except SQLAlchemyError:
        return _error("the print queue is busy; try again", 503)
    floor_app().wake_printer(printer)
    body: dict[str, Any] = {"printer": printer, "jobs": result}
    if len(result) == 1:
        body.update(result[0])
    return jsonify(body), 202


@bp.get("/printers")
def get_printers() -> Any:
    """Every configured printer with its status and queue depth."""
    fa = floor_app()
    with fa.db.reading() as s:
        per_printer = {name: queue.counts(s, name) for name in fa.cfg.printers}
    stations: dict[str, list[str]] = {}
    for st in fa.cfg.stations.values():
        if st.printer:
            stations.setdefault(st.printer, []).append(st.name)
    out = []
    for name, p in fa.cfg.printers.items():
        counts = per_printer.get(name, {})
        status = printer_status(p, timeout=float(p.options.get("status_timeout", 1.0)), workers=fa.printers)
        out.append(
            {
                **status,
                "stations": stations.get(name, []),
                "queue_depth": counts.get("queued", 0) + counts.get("sending", 0),
                "jobs": counts,
            }
        )
    return jsonify(printers=out)


@bp.post("/print-jobs/<int:job_id>/reprint")
@api_write
def post_reprint(job_id: int) -> Any:
    """Queue an earlier job again (e.g. one interrupted by a restart)."""
    fa = floor_app()
    data = request.get_json(silent=True) if request.is_json else None
    badge = field_str(data, "badge", required=False, max_len=64) if isinstance(data, dict) else None
    try:
        action = labels_case.reprint_action(fa.db, job_id)
        with fa.db.writing() as s:  # a good PIN clears the person's wrong tries
            if action == "print_badges":
                who = authorize_with_pin(s, "print_badges", data if isinstance(data, dict) else {})
            else:
                who = authorize(s, "print_labels", badge)
        body = labels_case.reprint(fa.db, fa.cfg, job_id, who.user)
    except LookupError as exc:
        return _error(str(exc), 404)
    fa.wake_printer(str(body["printer"]))
    return jsonify(body), 202
