"""First-time fill, rework, sales total and warranty claims (SPEC 9.5), hand-computed on October."""

from __future__ import annotations

from decimal import Decimal

import pytest

from floor import clock
from floor.core.reports.kpis import kpis
from floor.core.reports.period import Period, month_period
from floor.models import ScanEvent, WorkOrder
from floor.models.reception import QcResult
from floor.models.requests import PartRequest
from floor.models.sales import Customer, Sale, WarrantyClaim
from tests.fixtures.reports import at

OCT = month_period("2026-10")

# The owed claims are read at the period's end (or now): also run under a shifted machine clock.
pytestmark = pytest.mark.clock


def _add(db, store) -> None:
    """October's request lines, QC verdicts, sales and claims (the expected figures are in the tests)."""
    with db.writing() as s:
        wo2 = WorkOrder(number="WO2", status="qc")
        s.add(wo2)
        undone_scan = ScanEvent(
            station="S1",
            device="D1",
            raw=b"REQ",
            received_at=at("2026-10-22"),
            ok=True,
            code="requested",
            message="",
            message_zh="",
            undone_by=999,
        )
        s.add(undone_scan)
        s.flush()
        wo, p1, p2 = store["WO1"], store["P1"], store["P2"]
        # Request lines: October has 5 that count (3 filled from stock); a line cancelled later still
        # counts (its fill was decided when made); September's and the undone scan's do not.
        for day, part, filled, status, event in (
            ("2026-10-02", p1, True, "issued", None),
            ("2026-10-06", p2, True, "issued", None),
            ("2026-10-07", p2, False, "backordered", None),
            ("2026-10-20", p1, True, "reserved", None),
            ("2026-10-21", p1, False, "cancelled", None),
            ("2026-09-30", p1, False, "issued", None),
            ("2026-10-22", p1, True, "cancelled", undone_scan.id),
        ):
            s.add(
                PartRequest(
                    work_order_id=wo,
                    part_id=part,
                    qty=1,
                    status=status,
                    filled_from_stock=filled,
                    created_at=at(day),
                    event_id=event,
                )
            )
        # QC: WO1 failed then passed (one reworked job), WO2 passed; its undone FAIL and a
        # September FAIL do not count.
        s.add(QcResult(work_order_id=wo, result="fail", reason="noise", at=at("2026-10-10")))
        s.add(QcResult(work_order_id=wo, result="pass", at=at("2026-10-11")))
        s.add(QcResult(work_order_id=wo2.id, result="pass", at=at("2026-10-12")))
        s.add(QcResult(work_order_id=wo2.id, result="fail", at=at("2026-10-12", 9), undone_at=at("2026-10-12", 10)))
        s.add(QcResult(work_order_id=wo2.id, result="fail", reason="old", at=at("2026-09-28")))
        # Claims (the period ends 1 Nov 00:00): W1 credited in October (180 of 200); W2 approved,
        # still owed; W3 approved in October and credited in November (owed at October's end);
        # W4 approved in November; W5 rejected.
        for no, status, amount, decided, credited_at, credited in (
            ("W1", "credited", "200", "2026-10-12", "2026-10-15", "180"),
            ("W2", "approved", "75.50", "2026-10-20", None, None),
            ("W3", "credited", "40", "2026-10-25", "2026-11-05", "40"),
            ("W4", "approved", "60", "2026-11-03", None, None),
            ("W5", "rejected", "10", "2026-10-20", None, None),
        ):
            s.add(
                WarrantyClaim(
                    claim_no=no,
                    work_order_id=wo,
                    status=status,
                    amount=Decimal(amount),
                    credited_amount=Decimal(credited) if credited else None,
                    due_by=at("2026-11-30"),
                    decided_at=at(decided),
                    credited_at=at(credited_at) if credited_at else None,
                )
            )
        cust = Customer(code="C1", name="Garage")
        s.add(cust)
        s.flush()
        # Sales shipped in October: 120.00 + 35.50; a quote and one shipped in November do not count.
        for status, shipped, goods in (
            ("shipped", "2026-10-05", "120.00"),
            ("shipped", "2026-10-30", "35.50"),
            ("quote", None, "99"),
            ("shipped", "2026-11-02", "50"),
        ):
            s.add(
                Sale(
                    customer_id=cust.id,
                    status=status,
                    shipped_at=at(shipped) if shipped else None,
                    goods_total=Decimal(goods),
                    cost_total=Decimal(goods) / 2,
                )
            )


def test_fill_rework_sales_and_warranty(store, db):
    """GIVEN October's request lines, QC verdicts, claims and sales THEN the KPIs are as by hand."""
    _add(db, store)
    with db.reading() as s:
        r = kpis(s, OCT, clock.now())
    assert r["fill_rate"] == 0.6  # 3 of 5 lines
    assert r["details"]["fill"] == {"lines": 5, "filled_from_stock": 3, "rate": 0.6}
    assert r["rework_rate"] == 0.5  # WO1 failed, of 2 jobs inspected
    assert r["details"]["rework"] == {"jobs_inspected": 2, "jobs_reworked": 1, "verdicts": 3, "fails": 1, "rate": 0.5}
    assert r["sales_total"] == 155.5
    assert r["details"]["sales"] == {"sales": 2, "total": 155.5, "cost": 77.75}
    assert r["warranty_claims"] == {
        "credited": 180.0,
        "credited_claims": 1,
        "owed": 115.5,  # W2 75.50 + W3 40
        "owed_claims": 2,
        "owed_as_of": "2026-11-01T00:00:00+00:00",
    }
    assert r["details"]["unavailable"] == {}


def test_owed_now_for_the_current_period(store, db):
    """GIVEN a period running to today THEN owed is read now: W3 is credited, W2 and W4 are owed."""
    _add(db, store)
    now = clock.now()
    with db.reading() as s:
        r = kpis(s, Period(OCT.first, now.date()), now)
    assert r["warranty_claims"]["owed"] == 135.5  # 75.50 + 60
    assert r["warranty_claims"]["owed_claims"] == 2
    assert r["warranty_claims"]["credited"] == 220.0  # W1 180 + W3 40
    assert r["sales_total"] == 205.5  # 120 + 35.50 + 50


def test_the_api_reports_them(store, db, client):
    """GET /api/reports/kpis carries the four figures; an empty period has null ratios and zero money."""
    _add(db, store)
    r = client.get("/api/reports/kpis?from=2026-10-01&to=2026-10-31").get_json()
    assert (r["fill_rate"], r["rework_rate"], r["sales_total"]) == (0.6, 0.5, 155.5)
    assert r["warranty_claims"]["credited"] == 180.0 and r["warranty_claims"]["owed"] == 115.5
    empty = client.get("/api/reports/kpis?from=2024-10-01&to=2024-10-31").get_json()
    assert empty["fill_rate"] is None and empty["rework_rate"] is None and empty["sales_total"] == 0.0
    assert empty["warranty_claims"]["owed"] == 0.0
    csv = client.get("/api/reports/kpis.csv?from=2026-10-01&to=2026-10-31").get_data(as_text=True)
    assert "fill_rate,0.6," in csv and "rework_rate,0.5," in csv and "sales_total,155.5," in csv
