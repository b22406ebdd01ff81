"""Receiving against an expected delivery: CSV import, scans at the dock, report, close; bad input changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from floor.models import Delivery, DeliveryReceipt, StockMove
from tests.web.stock.helpers import bins, scan

WANG = {"name": "Wang Fang", "role": "storekeeper"}  # as answers name people: never by badge (SPEC 10.6)

PO_CSV = (
    "supplier,reference,part_no,qty\r\nBosch,PO-1001,OF-100,10\r\nBosch,PO-1001,SP-200,20\r\nBosch,PO-1001,BP-400,4\r\n"
)
GS1_ALT = "]C1010703206980498810LOT42\x1d21SN9"


def _import(client, body=PO_CSV, **kw):
    return client.post("/api/deliveries", data=body.encode(), content_type="text/csv", **kw)


def _counts(db):
    with db.reading() as s:
        return (
            s.scalar(select(func.count()).select_from(Delivery)),
            s.scalar(select(func.count()).select_from(DeliveryReceipt)),
            s.scalar(select(func.count()).select_from(StockMove)),
        )


def test_delivery_end_to_end_by_scans(store, service, client):
    """GIVEN a purchase order imported as CSV
    WHEN the storekeeper scans the delivery, a bin and the parts (one short, one over, one unexpected with GS1 lot/serial)
    THEN stock lands in the bin and the report shows complete, short, over and unexpected lines; closing ends it."""
    r = _import(client)
    assert r.status_code == 201, r.get_json()
    delivery_id = r.get_json()["deliveries"][0]["id"]
    results = scan(
        service,
        "U:S001",
        "DLV:PO-1001",
        "L:A-01-02",
        "Q:10",
        "P:OF-100",
        "Q:15",
        "P:SP-200",
        "Q:5",
        "P:BP-400",
        GS1_ALT,
        station="dock-1",
        device="dock",
    )
    assert [r.code for r in results] == [
        "actor_set",
        "delivery_set",
        "location_set",
        "qty_set",
        "received_line",
        "qty_set",
        "received_line",
        "qty_set",
        "received_line",
        "received_unexpected",
    ]
    assert all(r.ok for r in results)
    assert "10 of 10 (complete)" in results[4].message
    assert results[6].effects["delivery"]["state"] == "short"
    assert results[8].effects["delivery"]["state"] == "over"
    assert results[9].effects["lot"] == "LOT42" and results[9].effects["serial"] == "SN9"
    assert "不在到货单" in results[9].message_zh
    assert bins(store, "OF-100")["A-01-02"] == 10 and bins(store, "ALT-300")["A-01-02"] == 1

    report = client.get(f"/api/deliveries/{delivery_id}").get_json()
    states = {ln["part_no"]: (ln["expected"], ln["received"], ln["state"]) for ln in report["lines"]}
    assert states == {
        "OF-100": (10, 10, "complete"),
        "SP-200": (20, 15, "short"),
        "BP-400": (4, 5, "over"),
        "ALT-300": (0, 1, "unexpected"),
    }
    assert report["summary"]["short_lines"] == 1 and report["summary"]["complete"] is False
    gs1 = next(x for x in report["receipts"] if x["part_no"] == "ALT-300")
    assert (gs1["lot"], gs1["serial"], gs1["bin"], gs1["actor"]) == ("LOT42", "SN9", "A-01-02", WANG)
    with store.reading() as s:
        refs = set(s.scalars(select(StockMove.ref).where(StockMove.reason == "receive")))
    assert "DLV=PO-1001;lot=LOT42;serial=SN9" in refs

    closed = client.post(f"/api/deliveries/{delivery_id}/close", json={"badge": "S001"})
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    after = scan(service, "P:OF-100", station="dock-1", device="dock")
    assert after[-1].ok is False and after[-1].code == "delivery_closed"
    assert bins(store, "OF-100")["A-01-02"] == 10
    assert client.get("/api/deliveries").get_json()["deliveries"] == []


def test_undo_takes_receipt_off_the_delivery(store, service, client):
    """GIVEN a delivery selected through the API WHEN a receipt is scanned and undone THEN the report shows 0 received."""
    delivery_id = _import(client).get_json()["deliveries"][0]["id"]
    scan(service, "U:S001", station="dock-1", device="dock")
    sel = client.post(f"/api/deliveries/{delivery_id}/select", json={"station": "dock-1"})
    assert sel.status_code == 200 and sel.get_json()["code"] == "delivery_set"
    results = scan(service, "Q:4", "P:OF-100", "CMD:UNDO", station="dock-1", device="dock")
    assert [r.code for r in results] == ["qty_set", "received_line", "undone"]
    report = client.get(f"/api/deliveries/{delivery_id}").get_json()
    assert {ln["part_no"]: ln["received"] for ln in report["lines"]}["OF-100"] == 0
    assert [x["qty"] for x in report["receipts"]] == [4, -4]
    assert bins(store, "OF-100") == {"A-01-01": 10, "B-02-01": 4}


def test_receive_by_api_all_or_nothing(store, client):
    """GIVEN an open delivery WHEN the kiosk receives two lines, the second into an unknown bin
    THEN 400 naming the bin and nothing received; WHEN both bins exist THEN both are booked."""
    delivery_id = _import(client).get_json()["deliveries"][0]["id"]
    before = _counts(store)
    bad = client.post(
        f"/api/deliveries/{delivery_id}/receive",
        json={
            "badge": "S001",
            "lines": [
                {"part_no": "OF-100", "qty": 10, "location": "A-01-02"},
                {"part_no": "SP-200", "qty": 20, "location": "Z-99"},
            ],
        },
    )
    assert bad.status_code == 400 and "Z-99" in bad.get_json()["error"]
    assert _counts(store) == before and bins(store, "SP-200") == {"A-01-01": 16}
    good = client.post(
        f"/api/deliveries/{delivery_id}/receive",
        json={
            "badge": "S001",
            "lines": [
                {"part_no": "OF-100", "qty": 10, "location": "A-01-02", "lot": "L7"},
                {"part_no": "SP-200", "qty": 20, "location": "A-01-02"},
            ],
        },
    )
    assert good.status_code == 200, good.get_json()
    assert [x["state"] for x in good.get_json()["received"]] == ["complete", "complete"]
    assert bins(store, "SP-200") == {"A-01-01": 16, "A-01-02": 20}


def test_unknown_bin_scan_is_rejected_and_changes_nothing(store, service, client):
    """GIVEN a delivery in session at the dock WHEN an unknown bin is scanned THEN rejected; the session bin stays."""
    _import(client)
    scan(service, "U:S001", "DLV:PO-1001", "L:A-01-02", station="dock-1", device="dock")
    before = _counts(store)
    bad = scan(service, "L:Z-99", station="dock-1", device="dock")
    assert bad[-1].ok is False and bad[-1].code == "unknown_location" and "Z-99" in bad[-1].message
    assert _counts(store) == before
    ok = scan(service, "P:OF-100", station="dock-1", device="dock")
    assert ok[-1].ok and bins(store, "OF-100")["A-01-02"] == 1


def test_bad_imports_are_rejected_whole(store, client):
    """GIVEN a CSV with a bad quantity on line 3 / an unknown part / a repeat of an imported delivery
    THEN each is a 4xx naming the problem and no delivery is created."""
    bad_qty = _import(client, PO_CSV.replace("SP-200,20", "SP-200,ten"))
    assert bad_qty.status_code == 400 and bad_qty.get_json()["error"].startswith("Line 3: qty")
    unknown = _import(client, PO_CSV + "Bosch,PO-1001,NOPE-1,1\r\n")
    assert unknown.status_code == 400 and "NOPE-1" in unknown.get_json()["error"]
    assert _counts(store)[0] == 0
    assert _import(client).status_code == 201
    again = _import(client)
    assert again.status_code == 409 and again.get_json()["code"] == "delivery_exists"
    assert _counts(store)[0] == 1
    no_header = _import(client, "part,qty\r\nOF-100,1\r\n")
    assert no_header.status_code == 400 and "header" in no_header.get_json()["error"]
    bad_json = client.post(
        "/api/deliveries", json={"supplier": "Bosch", "reference": "PO-2", "lines": [{"part_no": "OF-100", "qty": 0}]}
    )
    assert bad_json.status_code == 400 and "lines[0]" in bad_json.get_json()["error"]


def test_unknown_delivery_scan_is_rejected(store, service):
    """GIVEN no delivery PO-404 WHEN its label is scanned THEN rejected and the station is not in RECEIVE mode."""
    results = scan(service, "U:S001", "DLV:PO-404", station="dock-1", device="dock")
    assert results[-1].code == "unknown_delivery" and results[-1].ok is False
    after = scan(service, "P:OF-100", station="dock-1", device="dock")
    assert after[-1].code == "no_mode"
