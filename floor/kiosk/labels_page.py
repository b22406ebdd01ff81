"""Labels page: previews, single and batch printing through the print queue, printer status, recent jobs."""

from __future__ import annotations

import re
from typing import Any

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from floor.application import labels as labels_case
from floor.core import messages
from floor.core.pins import PinError
from floor.http.app import floor_app
from floor.http.principal import mark_write
from floor.kiosk.blueprint import bp, page
from floor.kiosk.helpers import BadgeRefused, badge_user, lang
from floor.labels import queue as print_queue
from floor.labels.kinds import KINDS
from floor.labels.model import LabelError
from floor.labels.service import printer_status, render_label
from floor.labels.status import cached
from floor.models import PrintJob

KIND_NAMES = {
    "part": _l("Part"),
    "bin": _l("Bin"),
    "wo": _l("Job card"),
    "core": _l("Core tag"),
    "badge": _l("Badge"),
    "commands": _l("Command sheet"),
    "count": _l("Count sheet"),
}
FAULT_NAMES = {
    "paper_out": _l("Paper out"),
    "ribbon_out": _l("Ribbon out"),
    "head_open": _l("Head open"),
    "paused": _l("Paused"),
    "offline": _l("Offline"),
    "no_answer": _l("No answer"),
}
MAX_IDS = 200
RECENT = 20
LABELS_PARTIALS = {"label-jobs": "kiosk/_label_jobs.html", "printer-status": "kiosk/_printer_status.html"}


def split_ids(text: str) -> list[str]:
    """Ids typed or scanned one per line (or separated by commas or spaces)."""
    return [i for i in re.split(r"[\s,;]+", text) if i][:MAX_IDS]


def printers_status(prefer_cache: bool = False) -> list[dict[str, Any]]:
    """Every configured printer's state with its queue depth (the last known state when prefer_cache)."""
    fa = floor_app()
    with fa.db.reading() as s:
        depth = print_queue.depth(s)
    out = []
    for name, p in fa.cfg.printers.items():
        st = (cached(name) if prefer_cache else None) or printer_status(
            p, timeout=float(p.options.get("status_timeout", 1.0)), workers=fa.printers
        )
        out.append({**st, "queue_depth": depth.get(name, 0)})
    return out


def recent_jobs() -> list[PrintJob]:
    """The latest print jobs, newest first."""
    with floor_app().db.reading() as s:
        return list(s.scalars(select(PrintJob).order_by(PrintJob.id.desc()).limit(RECENT)))


def _pin_text(exc: PinError) -> str:
    """A PIN refusal in the kiosk's language."""
    en, zh = messages.render(exc.code, exc.params)
    return zh if lang() == "zh" else en


def _context(**extra: Any) -> dict[str, Any]:
    return {
        "kinds": KINDS,
        "kind_names": KIND_NAMES,
        "fault_names": FAULT_NAMES,
        "printers": list(floor_app().cfg.printers),
        "jobs": recent_jobs(),
        "shown_object": print_queue.shown_object,
        **extra,
    }


@bp.get("/labels")
def labels() -> str:
    """The labels page (printer status loads in its own partial: asking a printer can take a second)."""
    kind = request.args.get("kind", "part")
    ids = split_ids(request.args.get("ids", ""))
    return page(
        "kiosk/labels.html",
        LABELS_PARTIALS,
        kind=kind if kind in KINDS else "part",
        ids=ids,
        ids_text="\n".join(ids),
        **_context(),
    )


@bp.get("/labels/printers")
def labels_printers() -> str:
    """The printer status partial."""
    return render_template("kiosk/_printer_status.html", statuses=printers_status(), fault_names=FAULT_NAMES)


@bp.get("/labels/preview/<kind>/<path:object_id>.svg")
def label_preview(kind: str, object_id: str) -> Response:
    """One label as SVG, shown in an <img> (never inline: its text is scanned data).

    A badge label is a copy of a credential (SPEC 10.6): a screen never shows one (a kiosk left unlocked would
    show anyone's), and the refusal is the same for every badge, known or not, so it tells nothing about which
    exist. A supervisor prints badge labels with their badge and PIN.
    """
    if kind not in KINDS:
        abort(404)
    if kind == "badge":
        abort(403, description=_("Badge labels are not shown on screen: a supervisor prints them with badge and PIN."))
    try:
        with floor_app().db.reading() as s:
            svg = render_label(s, kind, object_id, "svg")
    except LookupError:
        abort(404)
    except LabelError as exc:
        abort(422, description=str(exc))
    resp = Response(svg, mimetype="image/svg+xml")
    resp.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.post("/labels/print")
def labels_print() -> tuple[str, int] | str:
    """Queue one label, several, or every bin of a zone on a printer."""
    fa = floor_app()
    kind = request.form.get("kind", "")
    ids = split_ids(request.form.get("ids", ""))
    zone = request.form.get("zone", "").strip()
    printer = request.form.get("printer", "")
    ctx: dict[str, Any] = {"kind": kind if kind in KINDS else "part", "ids": ids, "ids_text": "\n".join(ids)}
    if kind not in KINDS:
        return render_template("kiosk/labels.html", error=_("Choose a kind of label."), **ctx, **_context()), 400
    if not ids and not (zone and kind == "bin"):
        return render_template("kiosk/labels.html", error=_("Type or scan at least one id."), **ctx, **_context()), 400
    action = labels_case.print_action(kind)
    try:
        with fa.db.reading() as s:
            user = badge_user(s, request.form.get("badge", ""), action)
        pin = request.form.get("pin", "")[:32] if kind == "badge" else None
        only_zone = zone if zone and kind == "bin" and not ids else None
        queued = len(labels_case.print_labels(fa.db, fa.cfg, printer, kind, ids, user, zone=only_zone, pin=pin))
        mark_write(action, f"U:{user.badge}", obj=f"{kind} x{len(ids) or zone}")
    except BadgeRefused as exc:
        return render_template("kiosk/labels.html", error=str(exc), **ctx, **_context()), 403
    except PinError as exc:
        return render_template("kiosk/labels.html", error=_pin_text(exc), **ctx, **_context()), 403
    except LabelError as exc:  # unknown printer, unknown object, unencodable text
        return render_template("kiosk/labels.html", error=str(exc), **ctx, **_context()), 422
    except SQLAlchemyError:
        return render_template(
            "kiosk/labels.html", error=_("The print queue is busy; try again."), **ctx, **_context()
        ), 503
    floor_app().wake_printer(printer)
    return render_template("kiosk/labels.html", queued=queued, printer_name=printer, **ctx, **_context())


@bp.post("/labels/jobs/<int:job_id>/reprint")
def labels_reprint(job_id: int) -> str | tuple[str, int]:
    """Queue an earlier job again (e.g. one interrupted or failed); it needs a badge allowed `print_labels`."""
    fa = floor_app()
    try:
        action = labels_case.reprint_action(fa.db, job_id)
        with fa.db.reading() as s:
            user = badge_user(s, request.form.get("badge", ""), action)
        pin = request.form.get("pin", "")[:32] if action == "print_badges" else None
        printer = str(labels_case.reprint(fa.db, fa.cfg, job_id, user, pin=pin)["printer"])
        mark_write(action, f"U:{user.badge}", obj=f"reprint {job_id}")
    except BadgeRefused as exc:
        return render_template("kiosk/_label_jobs.html", jobs_error=str(exc), **_context()), 403
    except PinError as exc:
        return render_template("kiosk/_label_jobs.html", jobs_error=_pin_text(exc), **_context()), 403
    except LookupError:
        abort(404)
    floor_app().wake_printer(printer)
    return render_template("kiosk/_label_jobs.html", **_context())
