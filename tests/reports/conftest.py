"""A small fixed parts store for the reports, built with explicit ledger moves at chosen times.

October 2026 (31 days, day 0 = 1 Oct) is the month under test; the clock is pinned at 23 Nov 2026.
The expected figures in the tests are worked out by hand from this data (see each test).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from floor.core.ledger import Ledger
from floor.db import Database
from floor.models import (
    CountLine,
    CountLocation,
    CountSession,
    CustomerReturn,
    Location,
    Part,
    User,
    WorkOrder,
)
from floor.models.workorders import Core
from tests.factories import PIN_HASH


def at(day: str, hour: int = 8) -> datetime:
    """A UTC instant on a day."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


class Store:
    """Builds rows; stock moves go through the Ledger (levels and report summaries kept with them)."""

    def __init__(self, session: Any) -> None:
        self.s = session
        self.ledger = Ledger(session)
        self.ids: dict[str, int] = {}

    def add(self, obj: Any, key: str | None = None) -> Any:
        self.s.add(obj)
        self.s.flush()
        if key:
            self.ids[key] = obj.id
        return obj

    def move(self, part: str, loc: str, qty: int, reason: str, when: datetime, cost: str, **fields: Any) -> None:
        self.ledger.move(self.ids[part], self.ids[loc], qty, reason, when, Decimal(cost), **fields)

    def finish(self) -> None:
        self.ledger.flush()
        self.s.flush()


def build_store(db: Database, people: bool = True) -> dict[str, int]:
    """The fixed data set; returns the ids by name (people: add the badges SUP1, S001, T001)."""
    with db.writing() as s:
        st = Store(s)
        st.add(Location(code="A-01", zone="A", kind="store"), "A-01")
        st.add(Location(code="B-01", zone="B", kind="store"), "B-01")
        st.add(Location(code="SCR", zone="X", kind="scrap"), "SCR")
        st.add(Location(code="Q-01", zone="Q", kind="quarantine"), "Q-01")
        st.add(Part(part_no="P1", name="Oil filter", unit_cost=Decimal(10), supplier="Bosch", abc="A"), "P1")
        st.add(Part(part_no="P2", name="Spark plug", unit_cost=Decimal(5), reorder_point=2, abc="B"), "P2")
        st.add(Part(part_no="P3", name="Old gasket", unit_cost=Decimal(20), abc="C"), "P3")
        st.add(Part(part_no="P4", name="=cmd|' /C calc'!A0", unit_cost=Decimal(4), supplier="=Mann", abc="C"), "P4")
        if people:
            st.add(User(badge="SUP1", name="Chen Jie", role="supervisor", pin_hash=PIN_HASH), "SUP1")
            st.add(User(badge="S001", name="Wang Fang", role="storekeeper"), "S001")
            st.add(User(badge="T001", name="Li Wei", role="technician"), "T001")
        wo = st.add(WorkOrder(number="WO1", status="in_progress"), "WO1").id
        # before October: opening value 100 + 10 + 40 + 20 = 170 (the scrap bin does not count)
        st.move("P1", "A-01", 10, "opening", at("2026-09-01"), "10")
        st.move("P2", "A-01", 2, "opening", at("2026-09-01"), "5")
        st.move("P3", "B-01", 3, "opening", at("2025-01-10"), "20")
        st.move("P3", "B-01", -1, "issue", at("2025-03-01"), "20", work_order_id=wo)
        st.move("P4", "B-01", 5, "receive", at("2026-03-01"), "4")
        st.move("P3", "SCR", 5, "opening", at("2025-01-10"), "20")
        # October (day index in brackets)
        st.move("P2", "A-01", -2, "issue", at("2026-10-06"), "5", work_order_id=wo)  # [5]  -10
        st.move("P1", "A-01", -4, "issue", at("2026-10-11"), "10", work_order_id=wo)  # [10] -40
        st.move("P1", "A-01", 1, "return", at("2026-10-16"), "10", work_order_id=wo)  # [15] +10
        st.move("P2", "A-01", 4, "receive", at("2026-10-16"), "5")  # [15] +20
        st.move("P1", "A-01", 6, "receive", at("2026-10-21"), "10")  # [20] +60
        count = st.add(
            CountSession(
                kind="cycle",
                zone=None,
                status="approved",
                created_at=at("2026-10-25", 7),
                approved_at=at("2026-10-25", 9),
            ),
            "count",
        )
        st.move("P2", "A-01", -1, "adjust", at("2026-10-25", 9), "5", ref=f"CNT:{count.id}")  # [24] -5
        st.move("P4", "B-01", 1, "adjust", at("2026-10-26"), "4", ref="API:found")  # [25] +4
        for loc in ("A-01", "B-01"):
            st.add(
                CountLocation(
                    count_id=count.id,
                    location_id=st.ids[loc],
                    counted_at=at("2026-10-25", 7),
                    finished_at=at("2026-10-25", 7),
                    pass_no=1,
                )
            )
        for loc, part, counted, expected, cost, reason in (
            ("A-01", "P1", 13, 13, "10", None),
            ("A-01", "P2", 3, 4, "5", "damage"),
            ("B-01", "P3", 2, 2, "20", None),
            ("B-01", "P4", 5, 5, "4", None),
        ):
            st.add(
                CountLine(
                    count_id=count.id,
                    location_id=st.ids[loc],
                    part_id=st.ids[part],
                    counted=counted,
                    counted_at=at("2026-10-25", 7),
                    expected=expected,
                    unit_cost=Decimal(cost),
                    reason=reason,
                    pass_no=1,
                )
            )
        st.add(
            CustomerReturn(
                part_id=st.ids["P1"],
                qty=1,
                reason="quality_defect",
                freight_payer="company",
                location_id=st.ids["Q-01"],
                status="quarantined",
                created_at=at("2026-10-20"),
            )
        )
        st.add(
            CustomerReturn(
                part_id=st.ids["P2"],
                qty=3,
                reason="wrong_spec",
                freight_payer="customer",
                location_id=st.ids["Q-01"],
                status="cancelled",
                created_at=at("2026-10-20"),
            )
        )
        for serial, made, status, returned in (
            ("C1", "2026-10-05", "returned", "2026-10-08"),
            ("C2", "2026-10-10", "due", None),
            ("C3", "2026-10-12", "waived", None),
            ("C4", "2026-09-25", "returned", "2026-10-02"),
        ):
            st.add(
                Core(
                    serial=serial,
                    work_order_id=wo,
                    part_id=st.ids["P1"],
                    status=status,
                    created_at=at(made),
                    returned_at=at(returned) if returned else None,
                )
            )
        st.finish()
        return dict(st.ids)


@pytest.fixture
def store(db: Database) -> dict[str, int]:
    """The fixed October store."""
    return build_store(db)
