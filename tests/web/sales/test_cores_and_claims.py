"""Core charges of sales (charged on shipping, refunded by C: scan or API, then judged) and warranty claims."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from floor.models import Core, SaleCoreCharge
from tests.web.sales.conftest import new_sale, scan

# Dates come from the pinned clock (promises, deadlines, closing time, periods).
pytestmark = pytest.mark.clock


def _sell_alternator(client, qty: int = 1) -> str:  # type: ignore[no-untyped-def]
    number = new_sale(client, "T1", [{"part_no": "ALT-300", "qty": qty}])
    client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"})
    scan(client, "counter-1", "U:S001", f"SO:{number}", f"Q:{qty}", "P:ALT-300")
    resp = client.post(
        f"/api/sales/{number}/ship", json={"badge": "S001", "carrier": "SF Express", "tracking": "SF123"}
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return number


def test_trade_sale_shipped_by_courier_charges_cores(client, store) -> None:  # type: ignore[no-untyped-def]
    number = _sell_alternator(client, 2)
    sale = client.get(f"/api/sales/{number}").get_json()
    assert (sale["status"], sale["carrier"], sale["tracking"]) == ("shipped", "SF Express", "SF123")
    assert sale["total"] == "760.00"  # 2 × 320.00 + 2 × 60.00 core charge
    assert sale["core_charges"] == {
        "charged": "120.00",
        "refunded": "0.00",
        "tags": [
            {"serial": f"S{number}-1-1", "status": "charged", "part_no": "ALT-300"},
            {"serial": f"S{number}-1-2", "status": "charged", "part_no": "ALT-300"},
        ],
    }
    owed = client.get("/api/sales/cores").get_json()
    assert owed["by_customer"]["T1"]["count"] == 2 and owed["by_customer"]["T1"]["amount"] == "120.00"


def test_core_refund_by_scan_then_judged_reusable(client, store) -> None:  # type: ignore[no-untyped-def]
    number = _sell_alternator(client, 2)
    serial = f"S{number}-1-1"
    res = scan(client, "counter-2", "U:S001", f"C:{serial}")
    assert res[-1]["code"] == "core_refunded", res[-1]
    assert "60.00" in res[-1]["message"] and res[-1]["message_zh"]
    again = scan(client, "counter-2", f"C:{serial}")
    assert again[-1]["code"] == "core_already_refunded" and not again[-1]["ok"]
    sale = client.get(f"/api/sales/{number}").get_json()
    assert sale["core_charges"]["refunded"] == "60.00"
    owed = client.get("/api/sales/cores").get_json()
    assert [c["serial"] for c in owed["charges"]] == [f"S{number}-1-2"]
    # The returned unit is a core like any other: judged reusable, it enters the core bin.
    judged = scan(client, "counter-2", "CMD:REUSABLE", f"C:{serial}")
    assert judged[-1]["code"] == "core_disposed", judged[-1]
    with store.reading() as s:
        core = s.scalar(select(Core).where(Core.serial == serial))
        assert (core.status, core.disposition, core.work_order_id) == ("returned", "reusable", None)
    part = client.get("/api/parts/ALT-300").get_json()
    assert part["bins"]["CORE-1"] == 1


def test_core_refund_by_api_and_never_charged_refused(client, store) -> None:  # type: ignore[no-untyped-def]
    number = _sell_alternator(client, 1)
    ok = client.post(f"/api/sales/{number}/cores/refund", json={"badge": "S001", "part_no": "ALT-300"})
    assert ok.status_code == 200, ok.get_data(as_text=True)
    assert ok.get_json()["refunded"] == "60.00"
    # Nothing left to refund for that part, and a part never sold with a charge.
    for body in ({"badge": "S001", "part_no": "ALT-300"}, {"badge": "S001", "part_no": "OF-100"}):
        resp = client.post(f"/api/sales/{number}/cores/refund", json=body)
        assert resp.status_code == 409 and resp.get_json()["code"] == "core_not_charged", resp.get_json()
        assert resp.get_json()["error_zh"]
    # A quote (not shipped) has charged nothing yet.
    quote = new_sale(client, "R1", [{"part_no": "ALT-300", "qty": 1}])
    resp = client.post(f"/api/sales/{quote}/cores/refund", json={"badge": "S001", "part_no": "ALT-300"})
    assert resp.status_code == 409 and resp.get_json()["code"] == "core_not_charged"
    with store.reading() as s:
        statuses = sorted(s.scalars(select(SaleCoreCharge.status)))
    assert statuses == ["refunded"]


def _workshop_core(client, wo: str = "1001") -> str:  # type: ignore[no-untyped-def]
    """Issue ALT-300 to a job and bring the old one back; return the core's serial."""
    res = scan(client, "counter-1", "U:T001", f"WO:{wo}", "P:ALT-300")
    serial = res[-1]["effects"]["cores"][0]
    assert scan(client, "counter-1", f"C:{serial}")[-1]["code"] == "core_returned"
    return serial


def test_warranty_claim_from_core_return_to_credit(client, store, pinned_clock) -> None:  # type: ignore[no-untyped-def]
    serial = _workshop_core(client)
    body = {"badge": "S001", "workorder": "1001", "cores": [serial], "claim_no": "W-2026-001", "amount": "210.00"}
    resp = client.post("/api/claims", json=body)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    claim = resp.get_json()
    assert claim["status"] == "draft"
    assert claim["due_by"].startswith("2026-12-23")  # core return (2026-11-23) + 30 days
    cid = claim["id"]
    # The core is judged warranty and goes on a supplier shipment: the packing list carries the claim number.
    # Judging a core is the store's (role table `core_disposition`): the storekeeper's badge first.
    judged = scan(client, "counter-1", "U:S001", "CMD:WARRANTY", f"C:{serial}")
    assert judged[-1]["ok"], judged[-1]
    ship = client.post("/api/supplier-returns", json={"supplier": "Bosch", "badge": "S001", "cores": [serial]})
    assert ship.status_code == 201, ship.get_data(as_text=True)
    assert ship.get_json()["lines"][0]["claim_ref"] == "W-2026-001"
    assert client.post(f"/api/claims/{cid}/submit", json={"badge": "S001"}).get_json()["status"] == "submitted"
    denied = client.post(f"/api/claims/{cid}/approve", json={"badge": "S001"})
    assert denied.status_code == 403 and denied.get_json()["code"] == "role_denied"
    approved = client.post(f"/api/claims/{cid}/approve", json={"badge": "SUP1", "pin": "2468", "amount": "200.00"})
    assert approved.get_json()["status"] == "approved" and approved.get_json()["amount"] == "200.00"
    owed = client.get("/api/claims/credits").get_json()
    assert owed["by_supplier"]["Bosch"] == {"count": 1, "amount": "200.00"}
    # Credit needs a supervisor: the storekeeper is refused and nothing changes.
    refused = client.post(f"/api/claims/{cid}/credit", json={"badge": "S001"})
    assert refused.status_code == 403 and refused.get_json()["code"] == "role_denied" and refused.get_json()["error_zh"]
    assert client.get("/api/claims?status=approved").get_json()["claims"][0]["id"] == cid
    credited = client.post(f"/api/claims/{cid}/credit", json={"badge": "SUP1", "pin": "2468"})
    assert credited.status_code == 200 and credited.get_json()["status"] == "credited"
    assert credited.get_json()["credited_amount"] == "200.00"
    assert client.get("/api/claims/credits").get_json()["claims"] == []
    # A second claim on the same core is refused.
    again = client.post("/api/claims", json={**body, "claim_no": "W-2026-002"})
    assert again.status_code == 409 and again.get_json()["code"] == "claim_core_claimed"


def test_overdue_claim_on_alerts(client, store, pinned_clock) -> None:  # type: ignore[no-untyped-def]
    serial = _workshop_core(client)
    body = {"badge": "ADV1", "workorder": "1001", "cores": [serial], "claim_no": "W-9", "amount": 99}
    assert client.post("/api/claims", json=body).status_code == 201
    assert client.get("/api/alerts").get_json()["claims_overdue"] == []
    pinned_clock.advance(timedelta(days=31))
    late = client.get("/api/alerts").get_json()["claims_overdue"]
    assert [c["claim_no"] for c in late] == ["W-9"] and late[0]["days_overdue"] >= 1
    page = client.get("/kiosk/alerts").get_data(as_text=True)
    assert "W-9" in page and 'id="claims-overdue"' in page


def test_claim_refusals_change_nothing(client, store) -> None:  # type: ignore[no-untyped-def]
    serial = _workshop_core(client, "1001")
    other = _workshop_core(client, "1002")
    base = {"badge": "S001", "workorder": "1001", "claim_no": "W-1", "amount": "10"}
    cases = [
        ({**base, "cores": [other]}, 409, "claim_core_other_job"),
        ({**base, "cores": [serial, serial]}, 409, "claim_core_claimed"),
        ({**base, "cores": ["C999-9"]}, 404, "unknown_core"),
        ({**base, "cores": [serial], "amount": "-5"}, 400, "claim_bad_amount"),
        ({**base, "cores": [serial], "workorder": "nope"}, 404, "unknown_wo"),
        ({**base, "cores": [serial], "badge": "T001"}, 403, "role_denied"),
    ]
    for body, status, code in cases:
        resp = client.post("/api/claims", json=body)
        assert (resp.status_code, resp.get_json()["code"]) == (status, code), (body, resp.get_json())
        assert resp.get_json()["error_zh"]
    assert client.get("/api/claims").get_json()["claims"] == []
