"""CSV imports over HTTP: upload a file, follow its progress (a big parts file imports while scans go on)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import NotFound

from floor.config.settings import vin_check_digit
from floor.core.master import KINDS
from floor.http.app import floor_app
from floor.http.errors import refusal
from floor.http.principal import authorize, mark_write
from floor.http.validate import BodyError
from floor.imports import CsvFormatError, recent_runs, run_progress, start_in_background
from floor.web.api import api_write

bp = Blueprint("imports_api", __name__, url_prefix="/api")


@bp.post("/imports/<kind>")
@api_write
def post_import(kind: str) -> Any:
    """Start importing a CSV file of a kind (the body, or a multipart `file`; `?badge=` names who imports).

    The file's form is checked at once (400 naming the problem); its rows are then checked and
    written in the background: 202 with the run, to follow at `GET /api/imports/<id>`.
    """
    if kind not in KINDS:
        raise NotFound(description=f"no import kind {kind!r}; use one of {', '.join(KINDS)}")
    upload = request.files.get("file")
    data = upload.read() if upload is not None else request.get_data()
    filename = (upload.filename if upload is not None else "") or f"{kind}.csv"
    fa = floor_app()
    badge = request.args.get("badge") or request.form.get("badge") or None
    with fa.db.reading() as s:
        who = authorize(s, f"import:{kind}", badge)
    try:
        run_id = start_in_background(
            fa.db,
            kind,
            data,
            timezone=fa.cfg.timezone,
            actor=who.actor,
            actor_id=who.user_id,
            filename=filename[:200],
            vin_check_digit=vin_check_digit(fa.cfg),
        )
    except CsvFormatError as exc:
        raise BodyError(str(exc)) from None
    # Audited now (starting it), and again by the import itself when the whole file is in.
    mark_write(f"import:{kind}", who.actor, obj=f"import {run_id}")
    body = run_progress(fa.db, run_id)
    return jsonify(body), 202, {"Location": f"/api/imports/{run_id}"}


@bp.get("/imports/<int:run_id>")
def get_import(run_id: int) -> Any:
    """One import: status (checking, writing, done, refused, failed, undone, kept), rows done of total, its errors."""
    body = run_progress(floor_app().db, run_id)
    if body is None:
        return refusal("unknown_import", {"run": run_id})
    return jsonify(body)


@bp.get("/imports")
def get_imports() -> Any:
    """The latest imports, newest first."""
    return jsonify(imports=recent_runs(floor_app().db))
