"""Test data for the vehicle file, the repair order and clocking: customers, operations, sell prices, a vehicle."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from floor import clock
from floor.core.authority import RoleTable
from floor.core.master import Importer
from floor.core.repair.operations import save_operation
from floor.core.repair.settings import BillingSettings
from floor.core.vehicles.records import read_vehicle, save_vehicle
from floor.db import Database
from floor.models import Part, User, WorkOrder

ROLES = RoleTable()  # the default table, as a site without [roles] has it
BILLING = BillingSettings(labour_rate=Decimal("380.00"), tax_pct=Decimal("13"))
VIN = "1M8GDM9AXKP042788"  # the 49 CFR 565 worked example (tests/data/vins_public.csv)
OTHER_VIN = "JH4DA9450MS001229"
CUSTOMERS = [
    {"code": "C-ZHOU", "name": "Zhou Lei", "phone": "138 0000 0001", "kind": "retail"},
    {"code": "C-FLEET", "name": "Shanghai Fleet Co.", "phone": "021 5555 0000", "kind": "trade"},
]
OPERATIONS = [
    {"code": "OIL-CHG", "name": "Engine oil and filter change", "name_zh": "更换机油机滤", "hours": "0.8"},
    {"code": "BRK-FRT", "name": "Front brake pads replace", "name_zh": "更换前刹车片", "hours": "1.2"},
    {"code": "DIAG", "name": "Diagnosis", "name_zh": "故障诊断", "hours": "0.5"},
    {"code": "ALT-RR", "name": "Alternator remove and refit", "name_zh": "拆装发电机", "hours": "1.75"},
]
SELL = {"OF-100": "12.90", "SP-200": "6.45", "ALT-300": "320.00", "BP-400": "58.33"}


def load_repair_shop(db: Database) -> None:
    """On top of the small shop: a foreman (F001), customers, the labour catalogue, sell prices, one registered vehicle."""
    with db.writing() as s:
        imp = Importer(s)
        imp.apply("users", {"badge": "F001", "name": "Zhao Gang", "role": "foreman"})
        for row in CUSTOMERS:
            imp.apply("customers", row)
        imp.finish()
        for row in OPERATIONS:
            save_operation(s, row)
        for part_no, price in SELL.items():
            s.execute(update(Part).where(Part.part_no == part_no).values(sell_price=Decimal(price)))
        today = clock.now().date()
        row: dict[str, Any] = {
            "vin": VIN,
            "plate": "沪A 12345",
            "make": "Ford",
            "model": "Transit",
            "year": "2019",
            "customer": "C-ZHOU",
            "warranty_until": (today + timedelta(days=200)).isoformat(),
            "warranty_km": "100000",
        }
        save_vehicle(s, read_vehicle(row, check_digit=True, today=today), clock.now())


def person(db: Database, badge: str) -> User:
    """A person of the shop by badge (detached: for passing as the actor)."""
    with db.reading() as s:
        user = s.scalar(select(User).where(User.badge == badge))
        assert user is not None
        s.expunge(user)
        return user


def job_of(session: Any, number: str) -> WorkOrder:
    """A job by number in this session."""
    wo = session.scalar(select(WorkOrder).where(WorkOrder.number == number))
    assert wo is not None
    return wo


def add_line(db: Database, number: str, badge: str = "ADV1", **data: Any) -> tuple[int, str, str]:
    """Add a line to a job as `badge`; returns (id, status, price)."""
    from floor.core.repair.lines import add_line as add

    with db.writing() as s:
        line = add(
            s, job_of(s, number), data, person(db, badge), f"U:{badge}", clock.now(), roles=ROLES, billing=BILLING
        )
        return line.id, line.status, str(line.price)


def answer(
    db: Database,
    number: str,
    lines: list[int],
    declined: list[int] | None = None,
    how: str = "in_person",
    badge: str = "ADV1",
    signature: bytes | None = None,
) -> Any:
    """The customer's answer on a job's lines, taken by `badge`."""
    from floor.core.repair.authorization import authorize

    with db.writing() as s:
        return authorize(
            s,
            job_of(s, number),
            lines,
            declined or [],
            how,
            person(db, badge),
            f"U:{badge}",
            clock.now(),
            roles=ROLES,
            signature=signature,
        )


def move_job(db: Database, number: str, to: str, badge: str = "SUP1") -> None:
    """Move a job to a status through the status machine (its rules and gates), as `badge`."""
    from floor.core.workorders.status import change_status

    with db.writing() as s:
        change_status(s, job_of(s, number), to, person(db, badge), clock.now(), roles=ROLES)
