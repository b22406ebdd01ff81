"""Test data for after-sales (SPEC 10.5): jobs received and delivered through the status machine, on the pinned clock."""

from __future__ import annotations

from functools import partial
from typing import Any

from floor import clock
from floor.application import billing
from floor.core.aftersales import followups
from floor.core.aftersales.settings import AftersalesSettings
from floor.core.authority import resolve_badge
from floor.core.clocking.clocks import clock_on, finish, labour_line
from floor.core.master import Importer
from floor.core.repair.concerns import add_concern
from floor.core.workorders.qc import pass_qc
from floor.core.workorders.status import change_status
from floor.db import Database
from tests.repair_factories import ROLES, VIN, add_line, answer, job_of, person

# Every day a working day unless a test says otherwise: the dates then follow the pinned clock plainly.
EVERY_DAY = AftersalesSettings(working_days=frozenset(range(1, 8)))


def receive(db: Database, number: str, vin: str = VIN, mileage: int | None = 42000, concern: str | None = None) -> None:
    """A job for the vehicle comes in now (with the customer's concern, if given)."""
    row: dict[str, Any] = {"number": number, "vin": vin, "advisor": "Liu Yang"}
    if mileage is not None:
        row["mileage"] = str(mileage)
    with db.writing() as s:
        imp = Importer(s)
        imp.apply("workorders", row)
        imp.finish()
        if concern:
            add_concern(s, job_of(s, number), concern, person(db, "ADV1"), "U:ADV1", clock.now(), roles=ROLES)


def ready(db: Database, number: str, technician: str = "T001", *, labour: bool = False) -> None:
    """Work the job to READY now: dispatched to `technician`, in progress, QC passed, ready.

    With `labour`, a diagnosis line the customer said yes to is clocked and finished on the way (a job to invoice).
    """
    tech = person(db, technician)
    sup = person(db, "SUP1")
    line = add_line(db, number, kind="labour", op="DIAG", pay="customer")[0] if labour else None
    if line is not None:
        answer(db, number, [line])
    with db.writing() as s:
        wo = job_of(s, number)
        at = clock.now()
        change_status(s, wo, "dispatched", sup, at, roles=ROLES, technician_id=tech.id)
        change_status(s, wo, "in_progress", tech, at, roles=ROLES)
        if line is not None:
            clock_on(s, labour_line(s, line), tech, at, roles=ROLES)
            finish(s, tech, at, roles=ROLES)
        change_status(s, wo, "qc", tech, at, roles=ROLES)
        pass_qc(s, wo, sup, at, roles=ROLES)
        change_status(s, wo, "ready", sup, at, roles=ROLES)


def invoice(db: Database, number: str, next_service: dict[str, Any] | None = None) -> str:
    """The READY job invoiced (the cashier's use case, which sets the next service) and paid in cash now, by ADV1."""
    from tests.conftest import make_config

    cfg, gate = make_config(), partial(resolve_badge, badge="ADV1")
    shown = billing.invoice_job(db, cfg, number, gate, next_service)
    billing.take_payment(db, cfg, shown["number"], gate, "cash", shown["due"])
    return str(shown["number"])


def deliver(db: Database, number: str, technician: str = "T001", *, invoiced: bool = False) -> None:
    """Work the job through to delivery now (see `ready`); with `invoiced`, a labour line is done and the job is
    invoiced and paid before it leaves (the invoice sets the vehicle's next service)."""
    ready(db, number, technician, labour=invoiced)
    if invoiced:
        invoice(db, number)
    with db.writing() as s:
        change_status(s, job_of(s, number), "delivered", person(db, "ADV1"), clock.now(), roles=ROLES)


def open_due(db: Database, settings: AftersalesSettings = EVERY_DAY) -> int:
    """Open the follow-ups of the jobs delivered lately (what the use cases do before reading them)."""
    with db.writing() as s:
        return followups.open_due(s, settings, clock.now())
