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
    """On top of the small shop: customers, the labour catalogue, sell prices, one registered vehicle, job 1001 started."""
    with db.writing() as s:
        imp = Importer(s)
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
