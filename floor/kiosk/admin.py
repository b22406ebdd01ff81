"""Admin pages: create and edit parts, bins, people and jobs; upload the CSV imports with errors by line.

Rows go through `floor.core.master.Importer` and files through `floor.imports.import_csv`,
exactly as the JSON API and `floor import` do. Every change needs the badge of a person
whose role the role table allows it (`edit_<kind>`, `import:<kind>`), typed with the change
or unlocked on this kiosk; it is audited with that badge. People's badges show only while
someone who may edit people is unlocked.
"""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from floor.application import master as master_case
from floor.application.master import EDIT_ACTIONS
from floor.config.settings import vin_check_digit
from floor.core import messages
from floor.core.authority import mask_badge
from floor.core.master import COLUMNS, RowError
from floor.core.supervisors import SupervisorError
from floor.http.app import floor_app
from floor.http.principal import audited, mark_write
from floor.imports import CsvFormatError, ImportBusy, import_csv, iter_kinds, run_progress, start_in_background
from floor.kiosk import unlock
from floor.kiosk.blueprint import bp
from floor.kiosk.helpers import BadgeRefused, badge_user, lang, site_zone
from floor.models import Location, Part, User, WorkOrder
from floor.models.master import ROLES

KIND_TITLES = {
    "parts": _l("Parts"),
    "locations": _l("Bins"),
    "users": _l("People"),
    "workorders": _l("Jobs"),
    "stock": _l("Opening stock"),
    "customers": _l("Customers"),
    "vehicles": _l("Vehicles"),
    "operations": _l("Labour operations"),
}
FIELD_LABELS = {
    "part_no": _l("Part number"),
    "name": _l("Name"),
    "unit_cost": _l("Unit cost"),
    "barcodes": _l("Barcodes (separate with |)"),
    "core": _l("Core part"),
    "reorder_point": _l("Warning line"),
    "reorder_qty": _l("Reorder quantity"),
    "abc": _l("ABC class (override)"),
    "code": _l("Bin code"),
    "zone": _l("Zone"),
    "badge": _l("Badge"),
    "role": _l("Role"),
    "number": _l("Work order"),
    "vehicle": _l("Vehicle"),
    "customer": _l("Customer"),
    "promised_at": _l("Promised"),
    "estimate_minutes": _l("Estimate (minutes)"),
}
# A parts file longer than this imports in the background, with a progress page (a dealer catalogue).
BACKGROUND_ROWS = 2000
EDITABLE = ("parts", "locations", "users", "workorders")
LIST_LIMIT = 200


def _fields(kind: str) -> tuple[str, ...]:
    return COLUMNS[kind] + (("abc",) if kind == "parts" else ())


def _key(kind: str) -> str:
    return {"parts": "part_no", "locations": "code", "users": "badge", "workorders": "number"}[kind]


def list_rows(session: Session, kind: str, q: str = "") -> list[dict[str, Any]]:
    """Up to LIST_LIMIT rows of a kind as form values, filtered by a search text."""
    like = f"%{q.strip()}%"
    stmt: Select[Any]
    if kind == "parts":
        stmt = select(Part).options(selectinload(Part.barcodes)).order_by(Part.part_no)
        if q.strip():
            stmt = stmt.where(or_(Part.part_no.ilike(like), Part.name.ilike(like)))
    elif kind == "locations":
        stmt = select(Location).order_by(Location.code)
        if q.strip():
            stmt = stmt.where(or_(Location.code.ilike(like), Location.name.ilike(like), Location.zone.ilike(like)))
    elif kind == "users":
        stmt = select(User).order_by(User.badge)
        if q.strip():
            stmt = stmt.where(or_(User.badge.ilike(like), User.name.ilike(like)))
    else:
        stmt = select(WorkOrder).order_by(WorkOrder.id.desc())
        if q.strip():
            stmt = stmt.where(
                or_(WorkOrder.number.ilike(like), WorkOrder.vehicle.ilike(like), WorkOrder.customer.ilike(like))
            )
    return [form_values(kind, obj) for obj in session.scalars(stmt.limit(LIST_LIMIT))]


def form_values(kind: str, obj: Any) -> dict[str, Any]:
    """An object's fields as the strings its edit form shows."""
    if kind == "parts":
        return {
            "part_no": obj.part_no,
            "name": obj.name,
            "unit_cost": f"{obj.unit_cost:.2f}",
            "barcodes": "|".join(sorted(b.code for b in obj.barcodes)),
            "core": "yes" if obj.is_core else "no",
            "reorder_point": str(obj.reorder_point),
            "reorder_qty": str(obj.reorder_qty),
            "abc": obj.abc_override or "",
            "abc_in_force": obj.abc_class or "",
        }
    if kind == "locations":
        return {"code": obj.code, "name": obj.name, "zone": obj.zone, "kind": obj.kind}
    if kind == "users":
        return {"badge": obj.badge, "name": obj.name, "role": obj.role}
    promised = obj.promised_at.astimezone(site_zone()).strftime("%Y-%m-%dT%H:%M") if obj.promised_at else ""
    return {
        "number": obj.number,
        "vehicle": obj.vehicle,
        "customer": obj.customer,
        "promised_at": promised,
        "estimate_minutes": str(obj.estimate_minutes or ""),
        "status": obj.status,
    }


def _find(session: Session, kind: str, key: str) -> dict[str, Any] | None:
    model = {"parts": Part, "locations": Location, "users": User, "workorders": WorkOrder}[kind]
    obj = session.scalar(select(model).where(getattr(model, _key(kind)) == key))
    return form_values(kind, obj) if obj is not None else None


def _render(kind: str, **context: Any) -> str:
    q = request.args.get("q", "")
    # Badges are credentials: only a person unlocked on this kiosk who may edit people sees them.
    masked = kind == "users" and not unlock.unlocked_may("edit_users")
    with floor_app().db.reading() as s:
        rows = list_rows(s, kind, q)
        editing = context.pop("editing", None)
        if editing is None and request.args.get("edit") and not masked:
            editing = _find(s, kind, request.args["edit"])
    if masked:
        rows = [{**r, "badge": mask_badge(r["badge"])} for r in rows]
    return render_template(
        "kiosk/admin.html",
        kind=kind,
        kinds=EDITABLE,
        titles=KIND_TITLES,
        rows=rows,
        q=q,
        fields=_fields(kind),
        labels=FIELD_LABELS,
        roles=ROLES,
        editing=editing or {},
        limit=LIST_LIMIT,
        masked=masked,
        unlocked=unlock.unlocked(),
        **context,
    )


@bp.get("/admin/")
def admin_home() -> str:
    """Admin starts on the parts list."""
    return _render("parts")


@bp.get("/admin/<kind>")
def admin_list(kind: str) -> str:
    """A list of parts, bins, people or jobs with the create/edit form."""
    if kind not in EDITABLE:
        abort(404)
    return _render(kind)


@bp.post("/admin/<kind>")
def admin_save(kind: str) -> tuple[str, int] | str:
    """Create or update one row; the badge decides whether it is allowed."""
    if kind not in EDITABLE:
        abort(404)
    fa = floor_app()
    row = {f: request.form.get(f, "") for f in _fields(kind)}
    if kind == "locations":
        row["kind"] = request.form.get("kind", "")
    if kind == "workorders" and "T" in row["promised_at"]:
        row["promised_at"] = row["promised_at"].replace("T", " ")
    action = EDIT_ACTIONS[kind]
    try:
        with fa.db.reading() as s:
            user = badge_user(s, _acting_badge(), action)
        who = f"U:{user.badge}"
        audit, key = f"kiosk.{action}", row[_key(kind)]
        master_case.save_rows(fa.db, fa.cfg, kind, [row], user, who, audit, audit_object=key, details={"kind": kind})
        audited()
    except BadgeRefused as exc:
        return _render(kind, editing=row, error=str(exc)), 403
    except RowError as exc:
        return _render(
            kind, editing=row, error=f"{FIELD_LABELS.get(exc.field, exc.field)}: {exc.message}", error_field=exc.field
        ), 422
    except SupervisorError as exc:  # the last active supervisor stays one
        en, zh = messages.render(exc.code, exc.params)
        return _render(kind, editing=row, error=zh if lang() == "zh" else en, error_field="role"), 409
    return _render(kind, saved=row[_key(kind)])


def _acting_badge() -> str:
    """The badge typed with the change, else the one unlocked on this kiosk."""
    typed = request.form.get("by_badge", "").strip()
    if typed:
        return typed
    held = unlock.unlocked()
    return str(held["badge"]) if held else ""


@bp.post("/admin/unlock")
def admin_unlock() -> tuple[str, int] | str:
    """A supervisor scans a badge: people's badges show (and edits need no badge) for a few minutes."""
    try:
        with floor_app().db.reading() as s:
            user = badge_user(s, request.form.get("badge", ""), "edit_users")
    except BadgeRefused as exc:
        unlock.lock()
        return _render("users", error=str(exc)), 403
    unlock.unlock(user)
    mark_write("unlock_admin", f"U:{user.badge}")
    return _render("users")


@bp.get("/admin/import")
def admin_import() -> str:
    """The CSV import form."""
    return render_template(
        "kiosk/admin_import.html", import_kinds=list(iter_kinds()), titles=KIND_TITLES, columns=COLUMNS, kinds=EDITABLE
    )


@bp.post("/admin/import")
def admin_import_post() -> Any:
    """Import one CSV file, all or nothing; show every error by line and column."""
    fa = floor_app()
    kind = request.form.get("kind", "")
    context: dict[str, Any] = {
        "import_kinds": list(iter_kinds()),
        "titles": KIND_TITLES,
        "columns": COLUMNS,
        "kinds": EDITABLE,
        "chosen": kind,
    }
    upload = request.files.get("file")
    if kind not in COLUMNS:
        return render_template("kiosk/admin_import.html", error=_("Choose what the file holds."), **context), 400
    try:
        with fa.db.reading() as s:
            user = badge_user(s, _acting_badge(), f"import:{kind}")
    except BadgeRefused as exc:
        return render_template("kiosk/admin_import.html", error=str(exc), **context), 403
    if upload is None or not upload.filename:
        return render_template("kiosk/admin_import.html", error=_("Choose a CSV file."), **context), 400
    data = upload.read()
    try:
        if kind == "parts" and data.count(b"\n") > BACKGROUND_ROWS:  # a catalogue: imported beside the floor
            run_id = start_in_background(
                fa.db,
                kind,
                data,
                timezone=getattr(fa.cfg, "timezone", "UTC"),
                actor=f"U:{user.badge}",
                actor_id=user.id,
                filename=upload.filename[:200],
            )
            # Audited now (starting it), and again by the import itself when the whole file is in.
            mark_write(f"import:{kind}", f"U:{user.badge}", obj=f"import {run_id}")
            return redirect(url_for("kiosk.admin_import_run", run_id=run_id), 303)
        report = import_csv(
            fa.db,
            kind,
            data,
            timezone=getattr(fa.cfg, "timezone", "UTC"),
            actor=f"U:{user.badge}",
            actor_id=user.id,
            vin_check_digit=vin_check_digit(fa.cfg),
            filename=upload.filename[:200],
        )
        audited()  # the import records its own entry in its transaction
    except CsvFormatError as exc:
        return render_template("kiosk/admin_import.html", error=str(exc), **context), 422
    except ImportBusy as exc:
        en, zh = messages.render(exc.code, exc.params)
        return render_template("kiosk/admin_import.html", error=zh if lang() == "zh" else en, **context), 409
    return render_template("kiosk/admin_import.html", report=report, filename=upload.filename, **context), (
        200 if report.ok else 422
    )


STATUS_TITLES = {
    "checking": _l("Checking every line"),
    "writing": _l("Importing"),
    "done": _l("Imported"),
    "refused": _l("Not imported: fix these lines and upload it again. Nothing was changed."),
    "failed": _l("The import failed; everything it wrote was taken back."),
    "undone": _l("The import stopped; everything it wrote was taken back."),
}


def _run_or_404(run_id: int) -> dict[str, Any]:
    run = run_progress(floor_app().db, run_id)
    if run is None:
        abort(404)
    return run


@bp.get("/admin/import/<int:run_id>")
def admin_import_run(run_id: int) -> str:
    """A big import's page: its progress bar, then what came of it."""
    run = _run_or_404(run_id)
    return render_template(
        "kiosk/admin_import_run.html", run=run, statuses=STATUS_TITLES, titles=KIND_TITLES, kinds=EDITABLE
    )


@bp.get("/admin/import/<int:run_id>/progress")
def admin_import_progress(run_id: int) -> str:
    """The progress partial, polled while the import runs."""
    run = _run_or_404(run_id)
    return render_template("kiosk/_import_progress.html", run=run, statuses=STATUS_TITLES, titles=KIND_TITLES)
