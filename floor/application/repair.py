"""Use cases of the vehicle file, the repair order and clocking (SPEC 10.1-10.3), for the API and the kiosk alike.

Each function takes the open session, the acting person (a `User`, already found by badge), the audit
actor text (`via`, e.g. ``U:<badge>``), the moment, and the site's `RepairSite` (read once from the
config with `site_of`); it calls the core rule and answers plain JSON-ready dicts. Refusals are the
core's coded errors (`RepairError`, `VehicleError`, `SaleError`, `NotAllowed`): each door answers them
in its own way (floor.http.errors.HTTP_STATUS, a kiosk message). Nothing here commits: the writes'
use cases (floor.application.repair_writes) open the transaction and call these.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from floor.config import Config
from floor.config.settings import billing_settings, vin_check_digit
from floor.core import csvsafe
from floor.core.authority import RoleTable
from floor.core.clocking import clocks, report
from floor.core.clocking.job_view import repair_order_json
from floor.core.demand.lines import approval_value
from floor.core.inputs import valid_id
from floor.core.pins import verify_pin
from floor.core.repair import authorization, concerns, lines
from floor.core.repair import estimate as estimates
from floor.core.repair.errors import REPRICE, require
from floor.core.repair.settings import BillingSettings
from floor.core.vehicles import history, records
from floor.core.workorders.lookup import job_by_number
from floor.models import User, WorkOrder
from floor.models.repair import LineStatus


@dataclass(frozen=True)
class RepairSite:
    """What the repair order's rules read from the site's config: role table, prices and tax, VIN check, approvals."""

    roles: RoleTable = field(default_factory=RoleTable)
    billing: BillingSettings = field(default_factory=BillingSettings)
    check_digit: bool = True
    approval_limit: Decimal | None = None


def site_of(cfg: Config) -> RepairSite:
    """The site's settings for these use cases (ConfigError on a bad value)."""
    return RepairSite(cfg.role_table(), billing_settings(cfg), vin_check_digit(cfg), approval_value(cfg))


def job(session: Session, number: str) -> WorkOrder:
    """A job by its number (the one look-up, floor.core.workorders.lookup); `unknown_wo` (404) otherwise."""
    return job_by_number(session, str(number))


# --- the vehicle file (SPEC 10.1) ---------------------------------------------------------------------------


def vehicle_file(session: Session, key: object, today: date) -> dict[str, Any]:
    """`GET /api/vehicles/<vin or plate>`: the vehicle's file (`unknown_vehicle`, 404, when none)."""
    return history.vehicle_file(session, records.find_vehicle(session, key), today)


def vehicle_file_named(session: Session, text: str, site: RepairSite, today: date) -> dict[str, Any]:
    """The file of the vehicle a scanned or typed text names (`records.vehicle_named`: scanned VIN, VIN or plate)."""
    return history.vehicle_file(session, records.vehicle_named(session, text, check_digit=site.check_digit), today)


def register_vehicle(
    session: Session, row: Mapping[str, Any], actor: User | None, via: str, at: datetime, site: RepairSite
) -> dict[str, Any]:
    """`POST /api/vehicles`: create or update the vehicle of a VIN; answers its file, `created` and `warnings`."""
    saved = records.register_vehicle(session, row, actor, via, at, roles=site.roles, check_digit=site.check_digit)
    body = history.vehicle_file(session, saved.vehicle, at.date())
    return {**body, "created": saved.created, "warnings": saved.warnings}


# --- concerns (SPEC 10.2) -----------------------------------------------------------------------------------


def concern_json(concern: Any) -> dict[str, Any]:
    """A concern as the API shows it."""
    return {"id": concern.id, "text": concern.text, "cause": concern.cause, "correction": concern.correction}


def add_concern(
    session: Session, number: str, text: object, actor: User | None, via: str, at: datetime, site: RepairSite
) -> dict[str, Any]:
    """`POST /api/workorders/<n>/concerns`: the customer's words on the job; answers the concern (its `id`)."""
    concern = concerns.add_concern(session, job(session, number), text, actor, via, at, roles=site.roles)
    return concern_json(concern)


def update_concern(
    session: Session,
    number: str,
    concern_id: object,
    fields: Mapping[str, object],
    actor: User | None,
    via: str,
    at: datetime,
    site: RepairSite,
) -> dict[str, Any]:
    """`PATCH /api/workorders/<n>/concerns/<id>`: its cause and correction (or its words)."""
    wo = job(session, number)
    concern = concerns.concern_of(session, wo, concern_id)
    return concern_json(concerns.update_concern(session, wo, concern, fields, actor, via, at, roles=site.roles))


# --- lines, estimate, the customer's yes (SPEC 10.2) --------------------------------------------------------


def line_json(line: Any) -> dict[str, Any]:
    """What adding or changing a line answers."""
    return {"id": line.id, "status": line.status, "price": str(line.price), "supplement": line.supplement}


def add_line(
    session: Session,
    number: str,
    data: Mapping[str, Any],
    actor: User | None,
    via: str,
    at: datetime,
    site: RepairSite,
) -> dict[str, Any]:
    """`POST /api/workorders/<n>/lines`: a labour line (an operation) or a part line (a request line); proposed."""
    line = lines.add_line(
        session,
        job(session, number),
        data,
        actor,
        via,
        at,
        roles=site.roles,
        billing=site.billing,
        approval_limit=site.approval_limit,
    )
    return line_json(line)


def change_line(
    session: Session,
    number: str,
    line_id: object,
    data: Mapping[str, Any],
    actor: User | None,
    via: str,
    at: datetime,
    site: RepairSite,
    *,
    pin: object = None,
) -> dict[str, Any]:
    """`PATCH /api/workorders/<n>/lines/<id>`: hours, quantity, price, payer, concern, safety, note.

    Repricing a line the customer said yes to is a supervisor's privileged act (SPEC 10.6): `actor` gives
    their `pin` (a wrong one counts towards the lock-out: the door wraps the write in `pin_failures_kept`).
    """
    wo = job(session, number)
    key = valid_id(line_id) if isinstance(line_id, str) else None  # a route's digits; JSON ids pass as they are
    line = lines.line_of(session, wo, key if key is not None else line_id)
    repriced = any(data.get(name) not in (None, "") for name in lines.PRICED)
    if repriced and line.status == LineStatus.AUTHORIZED.value and actor is not None:
        require(site.roles, actor, REPRICE)  # who may, before asking for a PIN
        verify_pin(session, actor, pin, now=at, action=REPRICE)
    return line_json(lines.change_line(session, wo, line, data, actor, via, at, roles=site.roles))


def estimate(session: Session, number: str, site: RepairSite) -> dict[str, Any]:
    """`GET /api/workorders/<n>/estimate`: lines with prices, totals per pay type, tax, due."""
    wo = job(session, number)
    return {"number": wo.number, **estimates.estimate(session, wo.id, site.billing).json()}


def authorize(
    session: Session,
    number: str,
    yes: object,
    declined: object,
    how: object,
    actor: User | None,
    via: str,
    at: datetime,
    site: RepairSite,
    *,
    signature: bytes | None = None,
) -> dict[str, Any]:
    """`POST /api/workorders/<n>/authorize`: the customer's yes and no on proposed lines, how, who took it, when."""
    wo = job(session, number)
    answer = authorization.authorize(
        session, wo, yes, declined, how, actor, via, at, roles=site.roles, signature=signature
    )
    return {
        "number": wo.number,
        "decision": answer.decision.id,
        "how": answer.decision.how,
        "by": {"name": actor.name, "role": actor.role} if actor is not None else None,
        "at": answer.decision.at.isoformat(),
        "authorized": [ln.id for ln in answer.authorized],
        "declined": [ln.id for ln in answer.declined],
        "freed": answer.freed,
        "signed": answer.decision.signature_png is not None,
    }


def repair_order(session: Session, number: str, now: datetime) -> dict[str, Any]:
    """The job's vehicle, concerns and lines (with sold and clocked hours) as `GET /api/workorders/<n>` adds them."""
    return repair_order_json(session, job(session, number), now)


# --- clocking by touch (SPEC 10.3; the scans go through floor.core.wiring) ----------------------------------


def clock_on(session: Session, line_id: object, technician: User, at: datetime, site: RepairSite) -> dict[str, Any]:
    """Clock a technician onto a labour line (and off any other)."""
    line = clocks.labour_line(session, line_id)
    done = clocks.clock_on(session, line, technician, at, roles=site.roles)
    return {"line": line.id, "already": done.already, "ended": done.ended.line_id if done.ended else None}


def clock_off(session: Session, technician: User, at: datetime, site: RepairSite) -> dict[str, Any]:
    """`CMD:STOP` by touch: the technician's clock stops."""
    record = clocks.clock_off(session, technician, at, roles=site.roles)
    return {"line": record.line_id}


def finish(session: Session, technician: User, at: datetime, site: RepairSite) -> dict[str, Any]:
    """`CMD:FINISH` by touch: the technician's line is done."""
    line = clocks.finish(session, technician, at, roles=site.roles)
    return {"line": line.id, "status": line.status}


# --- the technicians' report (SPEC 10.3) --------------------------------------------------------------------


def technicians(session: Session, start: datetime, end: datetime, now: datetime) -> list[dict[str, Any]]:
    """Per technician: clocked and sold hours, efficiency, jobs, comebacks (named, never by badge)."""
    return report.technicians(session, start, end, now)


def technicians_csv(rows: list[dict[str, Any]]) -> str:
    """The technicians' report as CSV (`report.COLUMNS`), cells safe for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(report.COLUMNS)
    for row in rows:
        writer.writerow([csvsafe.safe_cell(row[name]) if row[name] is not None else "" for name in report.COLUMNS])
    return out.getvalue()
