"""Test data for after-sales (SPEC 10.5): jobs received and delivered through the status machine, on the pinned clock."""

from __future__ import annotations

from typing import Any

from floor import clock
from floor.core.aftersales import followups
from floor.core.aftersales.settings import AftersalesSettings
from floor.core.master import Importer
from floor.core.repair.concerns import add_concern
from floor.core.workorders.qc import pass_qc
from floor.core.workorders.status import change_status
from floor.db import Database
from tests.repair_factories import ROLES, VIN, job_of, person

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


def deliver(db: Database, number: str, technician: str = "T001") -> None:
    """Work the job through to delivery now: dispatched to `technician`, in progress, QC passed, ready, delivered."""
    tech = person(db, technician)
    sup = person(db, "SUP1")
    with db.writing() as s:
        wo = job_of(s, number)
        at = clock.now()
        change_status(s, wo, "dispatched", sup, at, roles=ROLES, technician_id=tech.id)
        change_status(s, wo, "in_progress", tech, at, roles=ROLES)
        change_status(s, wo, "qc", tech, at, roles=ROLES)
        pass_qc(s, wo, sup, at, roles=ROLES)
        change_status(s, wo, "ready", sup, at, roles=ROLES)
        change_status(s, wo, "delivered", person(db, "ADV1"), at, roles=ROLES)


def open_due(db: Database, settings: AftersalesSettings = EVERY_DAY) -> int:
    """Open the follow-ups of the jobs delivered lately (what the use cases do before reading them)."""
    with db.writing() as s:
        return followups.open_due(s, settings, clock.now())
