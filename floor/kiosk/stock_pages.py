"""Stocktake and alerts pages.

Stocktake: progress by zone and bin for everyone (blind: no expected quantities);
a supervisor who scans a badge also sees the variance and approves with a badge
scan. Alerts: stock under the warning line, cores still due by age, printer faults.
Both read through the core functions the JSON API uses.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from floor import clock
from floor.application import counts as count_cases
from floor.application.gateway import quarantine_alerts
from floor.core import messages
from floor.core.pins import PinError
from floor.http.app import floor_app
from floor.http.errors import http_status
from floor.http.principal import audited, mark_write
from floor.kiosk import unlock
from floor.kiosk.blueprint import bp, page
from floor.kiosk.helpers import BadgeRefused, badge_user, lang
from floor.models import CountLocation, CountSession, Location

STOCKTAKE_PARTIALS = {"stocktake-live": "kiosk/_stocktake_live.html"}
ALERTS_PARTIALS = {"alerts-live": "kiosk/_alerts_live.html"}


# -- stocktake ---------------------------------------------------------------------------------


def count_bins(s: Any, count_id: int) -> list[dict[str, Any]]:
    """Every bin of a count with its pass number (0 = not counted yet), in walking order."""
    rows = s.execute(
        select(Location.code, Location.zone, CountLocation.pass_no)
        .join(Location, Location.id == CountLocation.location_id)
        .where(CountLocation.count_id == count_id)
        .order_by(Location.zone, Location.code)
    )
    return [{"code": code, "zone": zone or "-", "pass_no": int(p or 0)} for code, zone, p in rows]


def supervisor() -> str | None:
    """The name of the person unlocked on this kiosk in the last minutes whose role may see blind counts, if any
    (the page names them; a badge is never shown)."""
    held = unlock.unlocked()
    return str(held["name"]) if held and unlock.unlocked_may("view_blind") else None


def stocktake_context(count_id: int) -> dict[str, Any]:
    """Progress for everyone; variance only while a supervisor is unlocked."""
    from floor.config.settings import count_settings
    from floor.core.counts import CountError
    from floor.core.counts.variance import progress, variance_pareto, variance_report

    fa = floor_app()
    with fa.db.reading() as s:
        try:
            prog = progress(s, count_id)
        except CountError:
            abort(404, description=_("No count %(id)s.", id=count_id))
        report = variance_report(s, count_id, count_settings(fa.cfg))
        bins = count_bins(s, count_id)
    recount = set(report["recount_bins"])
    for b in bins:
        b["recount"] = b["code"] in recount
    sup = supervisor()
    lines = report["lines"] if sup else []
    pareto = variance_pareto(lines) if sup else []
    return {
        "count_id": count_id,
        "prog": prog,
        "bins": bins,
        "recount_bins": sorted(recount),
        "supervisor_name": sup,
        "report": report if sup else None,
        "variance_lines": [line for line in lines if line["variance"]],
        "pareto": pareto,
    }


@bp.get("/stocktake/")
def stocktake_list() -> str:
    """Open and recent counts."""
    with floor_app().db.reading() as s:
        counts = list(s.scalars(select(CountSession).order_by(CountSession.id.desc()).limit(50)))
    return render_template("kiosk/stocktake_list.html", counts=counts)


@bp.get("/stocktake/<int:count_id>")
def stocktake(count_id: int) -> str:
    """One count's progress as a picture, and for a supervisor its variance and approval."""
    return page("kiosk/stocktake.html", STOCKTAKE_PARTIALS, **stocktake_context(count_id))


@bp.post("/stocktake/<int:count_id>/supervisor")
def stocktake_unlock(count_id: int) -> tuple[str, int] | str:
    """A supervisor scans a badge to see expected quantities and variance for a few minutes."""
    if request.form.get("lock"):
        unlock.lock()
        return render_template("kiosk/_stocktake_live.html", **stocktake_context(count_id))
    try:
        with floor_app().db.reading() as s:
            user = badge_user(s, request.form.get("badge", ""), "view_blind")
    except BadgeRefused as exc:
        return render_template("kiosk/_stocktake_live.html", error=str(exc), **stocktake_context(count_id)), 403
    unlock.unlock(user)
    mark_write("view_blind", f"U:{user.badge}", obj=f"count {count_id}")
    return render_template("kiosk/_stocktake_live.html", **stocktake_context(count_id))


@bp.post("/stocktake/<int:count_id>/approve")
def stocktake_approve(count_id: int) -> tuple[str, int] | str:
    """Approve the count with a supervisor's badge scan and PIN: the core posts one adjustment per variance line."""
    from floor.config.settings import count_settings
    from floor.core.counts import CountError

    fa = floor_app()
    badge = request.form.get("badge", "").strip()
    pin = request.form.get("pin", "")[:32]
    try:
        count_cases.approve(
            fa.db,
            fa.cfg,
            count_settings(fa.cfg),
            count_id,
            badge,
            pin,
            gate=lambda s: badge_user(s, badge, "approve_count"),
        )
        audited()  # the use case wrote its audit entry in its transaction
    except BadgeRefused as exc:
        return render_template("kiosk/_stocktake_live.html", error=str(exc), **stocktake_context(count_id)), 403
    except PinError as exc:
        en, zh = messages.render(exc.code, exc.params)
        error = zh if lang() == "zh" else en
        return render_template("kiosk/_stocktake_live.html", error=error, **stocktake_context(count_id)), http_status(
            exc.code
        )
    except CountError as exc:
        return render_template(
            "kiosk/_stocktake_live.html", error=exc.message, **stocktake_context(count_id)
        ), http_status(exc.code)
    return render_template("kiosk/_stocktake_live.html", approved=True, **stocktake_context(count_id))


# -- alerts ------------------------------------------------------------------------------------


def alerts_context() -> dict[str, Any]:
    """Low stock with suggested quantities, cores due by age, printers with faults."""
    from floor.kiosk.labels_page import FAULT_NAMES, printers_status

    fa = floor_app()
    now = clock.now()
    with fa.db.reading() as s:
        low, cores = _alerts(s, now)
        from floor.core.sales.claims import overdue  # warranty claims late to the supplier (SPEC 9.3)

        claims_overdue = overdue(s, now)
        from floor.core.billing.views import unpaid  # invoices with something still owed (SPEC 10.4)

        unpaid_invoices = unpaid(s)
        from floor.core.aftersales.complaints import listing  # complaints past a deadline (SPEC 10.5)

        complaints_overdue = listing(s, None, now, overdue_only=True)
        quarantined = quarantine_alerts(s, limit=20)
    buckets = [(_("under 1 day"), 0, 1), (_("1–3 days"), 1, 3), (_("3–7 days"), 3, 7), (_("over 7 days"), 7, 10**9)]
    by_age = [{"label": label, "n": sum(lo <= c["age_days"] < hi for c in cores)} for label, lo, hi in buckets]
    printers = [p for p in printers_status(prefer_cache=True) if p["state"] != "ready"]
    return {
        "low": low,
        "cores": sorted(cores, key=lambda c: -c["age_days"]),
        "cores_by_age": by_age,
        "cores_max": max([b["n"] for b in by_age] + [1]),
        "printers": printers,
        "fault_names": FAULT_NAMES,
        "printer_count": len(fa.cfg.printers),
        "claims_overdue": claims_overdue,
        "unpaid_invoices": unpaid_invoices,
        "complaints_overdue": complaints_overdue,
        "quarantined": quarantined,
    }


def _alerts(s: Any, now: datetime) -> tuple[list[dict[str, Any]] | None, list[dict[str, Any]]]:
    """`GET /api/alerts` data; without the alerts core, no low-stock list (the page says so) and the cores report."""
    try:
        from floor.core.purchasing import alerts
    except ImportError:
        from floor.core.workorders.cores import cores_report

        return None, list(cores_report(s, now)["cores"])
    found = alerts(s, now)
    return list(found["low_stock"]), list(found["cores_outstanding"])


@bp.get("/alerts")
def alerts() -> str:
    """The alerts page."""
    return page("kiosk/alerts.html", ALERTS_PARTIALS, **alerts_context())
