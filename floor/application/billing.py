"""The cashier's use cases (SPEC 10.4), between the core's rules and the API and kiosk that call them.

Each takes the write's session, the site's config and who acts (already allowed by the role table at the
door), calls the one core rule, records its audit entry in the same transaction, and answers the
invoice as `GET /api/invoices/<number>` shows it. Refusals are the core's BillingError (a 4xx by code).
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from floor import clock
from floor.config import Config
from floor.config.settings import aftersales_settings, billing_settings, sales_settings
from floor.core.aftersales import service
from floor.core.audit import record
from floor.core.billing import gate, invoicing, settle, views
from floor.core.csvsafe import SafeWriter
from floor.core.workorders.lookup import job_by_number
from floor.models import WarrantyClaim, WorkOrder


def job(session: Session, number: str) -> WorkOrder:
    """A job by number (the one look-up); `unknown_wo` (404) otherwise."""
    return job_by_number(session, number)


def invoice_job(
    session: Session, cfg: Config, number: str, actor: Any, via: str, next_service: object = None
) -> dict[str, Any]:
    """Invoice a READY job; its invoice. The invoice sets the vehicle's next service (SPEC 10.5): the `[service]`
    interval, or `next_service` ({"due_at"?, "due_km"?}) when the cashier names it."""
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


def give_discount(
    session: Session, cfg: Config, number: str, actor: Any, via: str, data: dict[str, Any]
) -> dict[str, Any]:
    """A discount on an invoice (`pct` or `amount`, `line`?, `approver`?: {badge, pin}); the invoice."""
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


def take_payment(
    session: Session, cfg: Config, number: str, actor: Any, via: str, method: object, amount: object
) -> dict[str, Any]:
    """A payment on an invoice; the invoice."""
    inv = invoicing.find_invoice(session, number)
    payment = settle.pay(session, inv, actor, via, clock.now(), method=method, amount=amount, roles=cfg.role_table())
    record(
        session,
        via,
        "billing.payment",
        inv.number,
        method=payment.method,
        amount=str(payment.amount),
        status=inv.status,
    )
    return views.invoice_json(session, inv)


def take_deposit(
    session: Session, cfg: Config, number: str, actor: Any, via: str, method: object, amount: object
) -> dict[str, Any]:
    """A deposit on a job not yet invoiced; the job's deposits."""
    wo = job(session, number)
    payment = settle.deposit(session, wo, actor, via, clock.now(), method=method, amount=amount, roles=cfg.role_table())
    record(session, via, "billing.deposit", wo.number, method=payment.method, amount=str(payment.amount))
    return views.deposits_json(session, wo)


def credit_invoice(
    session: Session, cfg: Config, number: str, badge: object, pin: object, reason: object, via: str
) -> dict[str, Any]:
    """A credit note reversing an invoice (a supervisor's badge and PIN, a reason); the invoice."""
    inv = invoicing.find_invoice(session, number)
    note = settle.credit(session, inv, badge, pin, reason, clock.now(), roles=cfg.role_table())
    record(
        session, via, "billing.credit", inv.number, credit_note=note.number, amount=str(note.amount), reason=note.reason
    )
    return views.invoice_json(session, inv)


def release_car(
    session: Session, cfg: Config, number: str, badge: object, pin: object, reason: object, via: str
) -> dict[str, Any]:
    """A supervisor's release of an unpaid car; what was recorded."""
    wo = job(session, number)
    row = gate.release(session, wo, badge, pin, reason, clock.now(), roles=cfg.role_table())
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
