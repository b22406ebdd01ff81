"""The warning line (预警线): raised once when on-hand falls below the reorder point, cleared on recovery."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from floor import clock
from floor.core.alerts import evaluate_all
from floor.core.purchasing import suggested_qty
from floor.models import StockAlert, StockAlertEvent
from tests.factories import shipped_sale
from tests.web.stock.helpers import scan

# Depends on the date: scripts/test.sh runs it again under a machine clock a year ahead and back.
pytestmark = pytest.mark.clock


def _events(db, part_no="OF-100"):
    from floor.models import Part

    with db.reading() as s:
        return [
            e.kind
            for e in s.scalars(
                select(StockAlertEvent)
                .join(Part, Part.id == StockAlertEvent.part_id)
                .where(Part.part_no == part_no)
                .order_by(StockAlertEvent.id)
            )
        ]


def test_alert_fires_once_and_clears(store, service, client):
    """GIVEN 14 × OF-100 (reorder point 5)
    WHEN 9 are issued (5 left), then one more in each of two later batches, then 20 received
    THEN the alert is raised by the one crossing below 5 only and cleared by the receipt."""
    first = scan(service, "U:T001", "WO:1001", "Q:9", "P:OF-100")
    assert first[-1].code == "issued" and "stock_alerts" not in first[-1].effects
    crossing = scan(service, "P:OF-100")
    assert crossing[-1].effects["stock_alerts"] == [
        {"alert": "raised", "part_no": "OF-100", "on_hand": 4, "reorder_point": 5}
    ]
    later = scan(service, "L:B-02-01", "P:OF-100")
    assert later[-1].code == "issued" and "stock_alerts" not in later[-1].effects
    assert _events(store) == ["raised"]
    low = client.get("/api/alerts").get_json()["low_stock"]
    assert [(r["part_no"], r["on_hand"], r["reorder_point"], r["suggested_qty"]) for r in low] == [("OF-100", 3, 5, 20)]

    back = scan(service, "U:S001", "CMD:RECEIVE", "Q:20", "P:OF-100", station="dock-1", device="dock")
    assert back[-1].code == "received"
    assert back[-1].effects["stock_alerts"][0]["alert"] == "cleared"
    assert _events(store) == ["raised", "cleared"]
    assert client.get("/api/alerts").get_json()["low_stock"] == []
    with store.reading() as s:
        row = s.scalar(select(StockAlert))
        assert row is not None and row.active is False and row.times_raised == 1


def test_alert_in_one_batch_and_undo(store, service):
    """GIVEN 3 brake pads (reorder point 2) WHEN 2 are issued and the issue undone in the same batch
    THEN the alert is raised and cleared again, and nothing stays active."""
    results = scan(service, "U:T001", "WO:1001", "Q:2", "P:BP-400", "CMD:UNDO")
    assert [r.code for r in results][-2:] == ["issued", "undone"]
    assert _events(store, "BP-400") == ["raised", "cleared"]
    with store.reading() as s:
        assert s.scalar(select(func.count()).select_from(StockAlert).where(StockAlert.active.is_(True))) == 0


def test_quarantine_stock_does_not_count(store, client):
    """GIVEN 3 brake pads (point 2) and 2 returned pads in quarantine
    WHEN an import sets the store bin to 1
    THEN the import raises the alert with on-hand 1 (quarantine stock does not count) and a re-evaluation finds nothing to change."""
    r = client.post(
        "/api/returns",
        json={
            "part_no": "BP-400",
            "qty": 2,
            "reason": "quality_defect",
            "sale_ref": shipped_sale(store, "BP-400", 2),
            "badge": "S001",
        },
    )
    assert r.status_code == 201, r.get_json()
    low = client.get("/api/alerts").get_json()["low_stock"]
    assert [x["part_no"] for x in low] == []  # 3 in store, 2 in quarantine: 3 >= 2
    with store.writing() as s:
        from floor.core.master import Importer

        imp = Importer(s)
        imp.apply("stock", {"part_no": "BP-400", "location": "A-01-01", "qty": "1"})
        imp.finish()
        changed = evaluate_all(s, clock.now())
    assert changed == []
    low = client.get("/api/alerts").get_json()["low_stock"]
    assert [(x["part_no"], x["on_hand"]) for x in low] == [("BP-400", 1)]
    assert low[0]["since"] is not None


def test_suggestion_nets_what_is_on_order(store, service, client):
    """GIVEN OF-100 below its point (4 left, reorder qty 20) and an open delivery of 15
    THEN the suggestion is 20 − 15 = 5, in the JSON and in the purchasing CSV."""
    scan(service, "U:T001", "WO:1001", "Q:10", "P:OF-100")
    r = client.post(
        "/api/deliveries", json={"supplier": "Bosch", "reference": "PO-9", "lines": [{"part_no": "OF-100", "qty": 15}]}
    )
    assert r.status_code == 201, r.get_json()
    low = {x["part_no"]: x for x in client.get("/api/alerts").get_json()["low_stock"]}
    assert low["OF-100"]["on_order"] == 15 and low["OF-100"]["suggested_qty"] == 5
    text = client.get("/api/alerts/reorder.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["part_no"] == "OF-100" and rows[0]["suggested_qty"] == "5" and rows[0]["order_value"] == "42.50"


def test_suggested_qty_rules():
    """GIVEN the ordering rules THEN max level wins over reorder qty, and on-order is netted, never below zero."""
    assert suggested_qty(on_hand=2, on_order=0, reorder_point=5, reorder_qty=20, max_level=None) == 20
    assert suggested_qty(on_hand=2, on_order=0, reorder_point=5, reorder_qty=0, max_level=None) == 3
    assert suggested_qty(on_hand=2, on_order=5, reorder_point=5, reorder_qty=0, max_level=30) == 23
    assert suggested_qty(on_hand=2, on_order=50, reorder_point=5, reorder_qty=20, max_level=None) == 0


def test_alerts_json_shape_and_cores(store, service, client):
    """GIVEN a core part issued to a job WHEN the alerts are read THEN both contract lists are there."""
    scan(service, "U:T001", "WO:1001", "P:ALT-300")
    body = client.get("/api/alerts").get_json()
    assert set(body) >= {"low_stock", "cores_outstanding"}
    assert [c["part_no"] for c in body["cores_outstanding"]] == ["ALT-300"]
    assert body["low_stock"] == []  # 1 alternator left, reorder point 1: not below it
    assert client.get("/api/alerts/log?part_no=ALT-300").get_json()["events"] == []


def test_two_stations_crossing_at_once_raise_it_once(store, service):
    """GIVEN OF-100 exactly at its reorder point (5: 3 in A-01-01, 2 in B-02-01)
    WHEN two counters each issue one from a different bin at the same moment
    THEN both issues succeed and the alert is raised once."""
    import threading

    from floor.core.master import Importer

    with store.writing() as s:
        imp = Importer(s)
        imp.apply("stock", {"part_no": "OF-100", "location": "A-01-01", "qty": "3"})
        imp.apply("stock", {"part_no": "OF-100", "location": "B-02-01", "qty": "2"})
        imp.finish()
    scan(service, "U:T001", "WO:1001", station="counter-1", device="c1")
    scan(service, "U:T002", "WO:1002", "L:B-02-01", station="counter-2", device="c2")
    gate = threading.Barrier(2)
    results: dict[str, object] = {}

    def issue(station: str, device: str) -> None:
        gate.wait()
        results[station] = scan(service, "P:OF-100", station=station, device=device)[-1]

    threads = [threading.Thread(target=issue, args=a) for a in (("counter-1", "c1"), ("counter-2", "c2"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.ok for r in results.values())
    assert _events(store) == ["raised"]
