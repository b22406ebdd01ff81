"""Small, readable test data: one workshop with bins, parts, people, jobs and stock."""

from __future__ import annotations

from typing import Any

from floor.core.master import Importer
from floor.core.pins import hash_pin
from floor.db import Database

# Every person of the small shop has this PIN (SPEC 10.6), hashed once per test run: scrypt is slow on purpose.
PIN = "2468"
PIN_HASH = hash_pin(PIN)

LOCATIONS = [
    {"code": "A-01-01", "name": "Counter shelf", "zone": "A"},
    {"code": "A-01-02", "name": "Counter shelf 2", "zone": "A"},
    {"code": "B-02-01", "name": "Filters", "zone": "B"},
    {"code": "R-00-01", "name": "Receiving dock", "zone": "R"},
]
PARTS = [
    {
        "part_no": "OF-100",
        "name": "Oil filter",
        "unit_cost": "8.50",
        "barcodes": "4006381333931|OF100-ALT",
        "core": "no",
        "reorder_point": "5",
        "reorder_qty": "20",
    },
    {
        "part_no": "SP-200",
        "name": "Spark plug",
        "unit_cost": "4.25",
        "barcodes": "",
        "core": "no",
        "reorder_point": "8",
        "reorder_qty": "40",
    },
    {
        "part_no": "ALT-300",
        "name": "Alternator (exchange)",
        "unit_cost": "210.00",
        "barcodes": "07032069804988",
        "core": "yes",
        "reorder_point": "1",
        "reorder_qty": "2",
    },
    {
        "part_no": "BP-400",
        "name": "Brake pads front",
        "unit_cost": "35.00",
        "barcodes": "",
        "core": "no",
        "reorder_point": "2",
        "reorder_qty": "6",
    },
]
USERS = [
    {"badge": "T001", "name": "Li Wei", "role": "technician"},
    {"badge": "T002", "name": "Zhang Min", "role": "technician"},
    {"badge": "S001", "name": "Wang Fang", "role": "storekeeper"},
    {"badge": "SUP1", "name": "Chen Jie", "role": "supervisor"},
    {"badge": "ADV1", "name": "Liu Yang", "role": "advisor"},
]
WORKORDERS = [
    {
        "number": "1001",
        "vehicle": "沪A·12345 VW Passat",
        "customer": "Zhou",
        "promised_at": "2026-11-24T17:00:00Z",
        "estimate_minutes": "120",
    },
    {"number": "1002", "vehicle": "Toyota Corolla", "customer": "Sun", "promised_at": "", "estimate_minutes": "60"},
    {"number": "1003", "vehicle": "Honda Civic", "customer": "Wu", "promised_at": "", "estimate_minutes": ""},
]
STOCK = [
    {"part_no": "OF-100", "location": "A-01-01", "qty": "10"},
    {"part_no": "SP-200", "location": "A-01-01", "qty": "16"},
    {"part_no": "ALT-300", "location": "A-01-01", "qty": "2"},
    {"part_no": "BP-400", "location": "A-01-01", "qty": "3"},
    {"part_no": "OF-100", "location": "B-02-01", "qty": "4"},
]


def load_small_shop(db: Database, extra: dict[str, list[dict[str, Any]]] | None = None) -> None:
    """Create the small workshop (and any extra rows) in one transaction; job 1003 is delivered."""
    from sqlalchemy import update

    from floor.models import User, WorkOrder

    with db.writing() as session:
        imp = Importer(session)
        for kind, rows in (
            ("locations", LOCATIONS),
            ("parts", PARTS),
            ("users", USERS),
            ("workorders", WORKORDERS),
            ("stock", STOCK),
        ):
            for row in rows + (extra or {}).get(kind, []):
                imp.apply(kind, row)
        imp.finish()
        session.execute(update(WorkOrder).where(WorkOrder.number == "1003").values(status="delivered"))
        session.execute(update(User).values(pin_hash=PIN_HASH))


def shipped_sale(db: Database, part_no: str, qty: int, number: str = "SO-T1") -> str:
    """A sale of `qty` × `part_no` already shipped (a return must name a real one, issue 24): its `SO:` reference.

    Written as rows, not through the counter: only what a customer return checks (sold less returned) is here.
    """
    from decimal import Decimal

    from sqlalchemy import select

    from floor import clock
    from floor.models import Customer, Part, Sale, SaleLine

    with db.writing() as s:
        customer = s.scalar(select(Customer).where(Customer.code == "WALK-IN"))
        if customer is None:
            customer = Customer(code="WALK-IN", name="Walk-in", kind="retail")
            s.add(customer)
            s.flush()
        part = s.scalar(select(Part).where(Part.part_no == part_no))
        assert part is not None, part_no
        sale = Sale(number=number, customer_id=customer.id, status="shipped", shipped_at=clock.now())
        s.add(sale)
        s.flush()
        s.add(SaleLine(sale_id=sale.id, line_no=1, part_id=part.id, qty=qty, picked=qty, price=Decimal("1")))
    return f"SO:{number}"
