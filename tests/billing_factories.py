"""Test data for the bill: a READY job with labour and part lines, parts issued against the labour lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from floor import clock
from floor.core.clocking.attribution import record_parts
from floor.core.clocking.clocks import clock_on, finish, labour_line
from floor.core.master import Importer, receive_car
from floor.core.repair.settings import BillingSettings
from floor.core.results import ScanInput
from floor.core.workorders import qc
from floor.core.workorders.status import change_status
from floor.db import Database
from floor.models import Customer, Part, User
from tests.factories import PIN_HASH
from tests.repair_factories import ROLES, VIN, add_line, answer, job_of, load_repair_shop, person

BILLING = BillingSettings(labour_rate=Decimal("380.00"), tax_pct=Decimal("13"), max_discount_pct=Decimal(5))


def load_billing_shop(db: Database) -> None:
    """The repair shop plus a second supervisor (SUP2): four eyes need two. Everyone's PIN is tests.factories.PIN."""
    load_repair_shop(db)
    with db.writing() as s:
        imp = Importer(s)
        imp.apply("users", {"badge": "SUP2", "name": "Huang Li", "role": "supervisor"})
        imp.finish()
        s.execute(update(User).where(User.badge.in_(("SUP2", "F001"))).values(pin_hash=PIN_HASH))


class Counter:
    """Scans at counter-1, numbered."""

    def __init__(self, service: Any) -> None:
        self.service, self.seq = service, 0

    def scan(self, *texts: str) -> Any:
        inputs = []
        for text in texts:
            self.seq += 1
            inputs.append(ScanInput(text.encode(), self.seq))
        return self.service.submit("counter-1", "dev-billing", inputs)[-1]


def ready_job(
    db: Database,
    service: Any,
    number: str = "3001",
    *,
    warranty: bool = False,
    trade: bool = False,
    declined: bool = True,
) -> dict[str, int]:
    """A job received on the registered car, with lines, the customer's yes, work done and parts fitted, READY.

    Lines: brakes (labour 1.2 h, customer) with 2 pads against it; oil change (labour 0.8 h, warranty when
    `warranty`, else customer) with 1 oil filter against it; a diagnosis declined (when `declined`).
    """
    advisor = person(db, "ADV1")
    with db.writing() as s:
        wo, _ = receive_car(
            s, number, {"vehicle": "Ford Transit", "vin": VIN, "mileage": "42000"}, actor=advisor, roles=ROLES
        )
        if trade:
            wo.customer_id = s.scalar(select(Customer.id).where(Customer.code == "C-FLEET"))
    oil_pay = "warranty" if warranty else "customer"
    ids = {
        "brakes": add_line(db, number, kind="labour", op="BRK-FRT", pay="customer")[0],
        "pads": add_line(db, number, kind="part", part_no="BP-400", qty=2, pay="customer")[0],
        "oil": add_line(db, number, kind="labour", op="OIL-CHG", pay=oil_pay)[0],
        "filter": add_line(db, number, kind="part", part_no="OF-100", qty=1, pay=oil_pay)[0],
    }
    if declined:
        ids["diag"] = add_line(db, number, kind="labour", op="DIAG", pay="customer")[0]
    answer(db, number, [ids["brakes"], ids["pads"], ids["oil"], ids["filter"]], [ids["diag"]] if declined else [])
    sup, t1, foreman = person(db, "SUP1"), person(db, "T001"), person(db, "F001")
    with db.writing() as s:
        change_status(s, job_of(s, number), "in_progress", sup, clock.now(), roles=ROLES)
    counter = Counter(service)
    for labour, part_no, qty in (("brakes", "BP-400", 2), ("oil", "OF-100", 1)):
        with db.writing() as s:
            clock_on(s, labour_line(s, ids[labour]), t1, clock.now(), roles=ROLES)
        result = counter.scan("U:T001", f"WO:{number}", f"Q:{qty}", f"P:{part_no}")
        assert result.code == "issued", result.message
        with db.writing() as s:
            job = job_of(s, number)
            part = s.scalar(select(Part.id).where(Part.part_no == part_no))
            record_parts(s, job.id, job.clocked_on, t1.id, part, qty, clock.now(), result.event_id)
            finish(s, t1, clock.now(), roles=ROLES)
    with db.writing() as s:
        change_status(s, job_of(s, number), "qc", sup, clock.now(), roles=ROLES)
        qc.pass_qc(s, job_of(s, number), foreman, clock.now(), roles=ROLES)
        change_status(s, job_of(s, number), "ready", foreman, clock.now(), roles=ROLES)
    return ids


def quick_ready_jobs(db: Database, numbers: list[str], lines: int = 1) -> None:
    """READY jobs written directly (no scans): each with `lines` done labour lines (DIAG, 0.5 h at 380.00).

    For the number race and the bench, where only invoicing is under test."""
    from datetime import timedelta

    from floor.core.repair.operations import save_operation
    from floor.models import LabourOperation, RepairLine, WorkOrder

    now = clock.now()
    with db.writing() as s:
        op = s.scalar(select(LabourOperation).where(LabourOperation.code == "DIAG"))
        if op is None:
            op = save_operation(s, {"code": "DIAG", "name": "Diagnosis", "name_zh": "故障诊断", "hours": "0.5"})
        for number in numbers:
            wo = WorkOrder(
                number=number,
                vehicle="race van",
                status="ready",
                status_since=now,
                qc_passed_at=now - timedelta(minutes=5),
            )
            s.add(wo)
            s.flush()
            s.add_all(
                RepairLine(
                    work_order_id=wo.id,
                    kind="labour",
                    operation_id=op.id,
                    qty=1,
                    hours=Decimal("0.50"),
                    unit_price=Decimal("380.00"),
                    price=Decimal("190.00"),
                    pay="customer",
                    status="done",
                )
                for _ in range(lines)
            )
