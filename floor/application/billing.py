"""The cashier's use cases (SPEC 10.4), between the core's rules and the API and kiosk that call them.

Each write takes the database, the site's config, what the door parsed and the door's own check of who acts
(`gate`: the API's token and badge, the kiosk's badge), which returns the person; it opens the write's
transaction (a wrong PIN kept past the refusal), calls the one core rule, records its audit entry as
`U:<badge>` in that transaction, and answers the invoice as `GET /api/invoices/<number>` shows it. Refusals
are the core's BillingError (a 4xx by code) or the gate's own.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from floor import clock
from floor.application.gate import Gate
from floor.application.pins import pin_failures_kept
from floor.config import Config
from floor.config.settings import aftersales_settings, billing_settings, sales_settings
from floor.core.aftersales import service
from floor.core.audit import record
from floor.core.billing import gate as gate_rules
from floor.core.billing import invoicing, settle, views
from floor.core.csvsafe import SafeWriter
from floor.core.workorders.lookup import job_by_number
from floor.db import Database
from floor.models import User, WarrantyClaim, WorkOrder

# The door's own check of who acts, inside the write's transaction: the person, or its refusal.


def job(session: Session, number: str) -> WorkOrder:
    """A job by number (the one look-up); `unknown_wo` (404) otherwise."""
    return job_by_number(session, number)


def _via(user: User) -> str:
    """The audit name of the person acting."""
    return f"U:{user.badge}"


def _acting(session: Session, gate: Gate) -> tuple[User, str]:
    """The person the door's gate lets act, and their audit name."""
    user = gate(session)
    return user, _via(user)


def invoice_job(db: Database, cfg: Config, number: str, gate: Gate, next_service: object = None) -> dict[str, Any]:
    """Invoice a READY job; its invoice. The invoice sets the vehicle's next service (SPEC 10.5): the `[service]`
    interval, or `next_service` ({"due_at"?, "due_km"?}) when the cashier names it."""
    with db.writing() as session:
        return invoice_in(session, cfg, number, gate(session), next_service)


def invoice_in(session: Session, cfg: Config, number: str, actor: User, next_service: object = None) -> dict[str, Any]:
    """`invoice_job` inside a write already open (the demo's history bills a day's jobs in one transaction)."""
    via = _via(actor)
    named = invoicing.next_service_of(next_service)
    wo = job(session, number)
    inv = invoicing.invoice_job(
        session,
        wo,
        actor,
        via,
        clock.now(),
        roles=cfg.role_table(),
        billing=billing_settings(cfg),
        claim_days=sales_settings(cfg).return_days,
        numbered=False,
    )
    due_at, due_km = named or (None, None)
    service.after_invoice(
        session, wo.vehicle_id, inv.created_at, wo.mileage, aftersales_settings(cfg), due_at=due_at, due_km=due_km
    )
    shown = views.invoice_json(session, inv)
    # The number last: the series' row stays locked (PostgreSQL) only for the bump, the audit row and the commit.
    shown["number"] = invoicing.assign_number(session, inv)
    claim = session.get(WarrantyClaim, inv.claim_id) if inv.claim_id is not None else None
    if shown["claim"] is not None and claim is not None:
        shown["claim"]["claim_no"] = claim.claim_no
    record(session, via, "billing.invoice", inv.number, workorder=wo.number, due=shown["due"], totals=shown["totals"])
    return shown


def give_discount(db: Database, cfg: Config, number: str, gate: Gate, data: dict[str, Any]) -> dict[str, Any]:
    """A discount on an invoice (`pct` or `amount`, `line`?, `approver`?: {badge, pin}); the invoice."""
    with pin_failures_kept(db), db.writing() as session:  # an approver's wrong PIN counts (SPEC 10.6)
        actor, via = _acting(session, gate)
        inv = invoicing.find_invoice(session, number)
        approver = data.get("approver")
        badge, pin = (approver.get("badge"), approver.get("pin")) if isinstance(approver, dict) else (approver, None)
        rows = settle.discount(
            session,
            inv,
            actor,
            clock.now(),
            pct=data.get("pct"),
            amount=data.get("amount"),
            line=data.get("line"),
            approver=badge,
            pin=pin,
            roles=cfg.role_table(),
            billing=billing_settings(cfg),
        )
        record(
            session,
            via,
            "billing.discount",
            inv.number,
            amount=str(sum(r.amount for r in rows)),
            pct=data.get("pct"),
            line=data.get("line"),
            approved_by=rows[0].approved_by if rows else None,
        )
        return views.invoice_json(session, inv)


def take_payment(db: Database, cfg: Config, number: str, gate: Gate, method: object, amount: object) -> dict[str, Any]:
    """A payment on an invoice; the invoice."""
    with db.writing() as session:
        actor, via = _acting(session, gate)
        inv = invoicing.find_invoice(session, number)
        paid = settle.pay(session, inv, actor, via, clock.now(), method=method, amount=amount, roles=cfg.role_table())
        record(
            session, via, "billing.payment", inv.number, method=paid.method, amount=str(paid.amount), status=inv.status
        )
        return views.invoice_json(session, inv)


def take_deposit(db: Database, cfg: Config, number: str, gate: Gate, method: object, amount: object) -> dict[str, Any]:
    """A deposit on a job not yet invoiced; the job's deposits."""
    with db.writing() as session:
        actor, via = _acting(session, gate)
        wo = job(session, number)
        payment = settle.deposit(
            session, wo, actor, via, clock.now(), method=method, amount=amount, roles=cfg.role_table()
        )
        record(session, via, "billing.deposit", wo.number, method=payment.method, amount=str(payment.amount))
        return views.deposits_json(session, wo)


def credit_invoice(
    db: Database, cfg: Config, number: str, gate: Gate, badge: object, pin: object, reason: object
) -> dict[str, Any]:
    """A credit note reversing an invoice (a supervisor's badge and PIN, a reason); the invoice."""
    with pin_failures_kept(db), db.writing() as session:
        via = _via(gate(session))
        inv = invoicing.find_invoice(session, number)
        note = settle.credit(session, inv, badge, pin, reason, clock.now(), roles=cfg.role_table())
        record(
            session,
            via,
            "billing.credit",
            inv.number,
            credit_note=note.number,
            amount=str(note.amount),
            reason=note.reason,
        )
        return views.invoice_json(session, inv)


def release_car(
    db: Database, cfg: Config, number: str, gate: Gate, badge: object, pin: object, reason: object
) -> dict[str, Any]:
    """A supervisor's release of an unpaid car; what was recorded."""
    with pin_failures_kept(db), db.writing() as session:
        via = _via(gate(session))
        wo = job(session, number)
        row = gate_rules.release(session, wo, badge, pin, reason, clock.now(), roles=cfg.role_table())
        record(session, via, "billing.release", wo.number, reason=row.reason)
        return {"workorder": wo.number, "released": True, "reason": row.reason, "at": row.at.isoformat()}


def day_bounds(day: date | None, timezone: str) -> tuple[datetime, datetime, str]:
    """A day in the site's time zone (None: today) as [start, end) in UTC, and the day as text."""
    tz = ZoneInfo(timezone or "UTC")
    day = day or clock.now().astimezone(tz).date()
    start = datetime.combine(day, time(), tz).astimezone(UTC)
    return start, start + timedelta(days=1), day.isoformat()


def takings_csv(session: Session, start: datetime, end: datetime) -> str:
    """The payments of a period, one per row, then a total per method (CSV, cells neutralised)."""
    data = views.takings(session, start, end)
    buf = io.StringIO()
    out = SafeWriter(buf)
    out.writerow(["at", "invoice", "workorder", "method", "amount", "by"])
    for p in data["payments"]:
        out.writerow([p["at"], p["invoice"], p["workorder"], p["method"], p["amount"], (p["by"] or {}).get("name", "")])
    out.writerow([])
    out.writerow(["method", "total"])
    for method, total in data["totals"].items():
        out.writerow([method, total])
    out.writerow(["all", data["total"]])
    return buf.getvalue()
