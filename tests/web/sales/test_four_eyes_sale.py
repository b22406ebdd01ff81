"""Four eyes on discounted prices (SPEC 10.6): whoever quoted a sale may not approve its prices."""

from __future__ import annotations

from tests.web.sales.conftest import new_sale, scan


def test_the_seller_cannot_approve_their_own_below_floor_price(client, store) -> None:  # type: ignore[no-untyped-def]
    """GIVEN SUP1 quotes BP-400 at 0.01 (list 55.00) WHEN SUP1 approves THEN four_eyes and still awaiting;
    WHEN the quote was S001's THEN SUP1 approves with the PIN."""
    own = new_sale(client, "R1", [{"part_no": "BP-400", "qty": 1, "price": "0.01"}], badge="SUP1")
    assert client.post(f"/api/sales/{own}/confirm", json={"badge": "SUP1"}).get_json()["status"] == "awaiting_approval"
    r = client.post(f"/api/sales/{own}/approve", json={"badge": "SUP1", "pin": "2468"})
    assert r.status_code == 403 and r.get_json()["code"] == "four_eyes", r.get_json()
    assert client.get(f"/api/sales/{own}").get_json()["status"] == "awaiting_approval"
    other = new_sale(client, "R1", [{"part_no": "SP-200", "qty": 1, "price": "0.01"}], badge="S001")
    client.post(f"/api/sales/{other}/confirm", json={"badge": "S001"})
    no_pin = client.post(f"/api/sales/{other}/approve", json={"badge": "SUP1"})
    assert no_pin.status_code == 403 and no_pin.get_json()["code"] == "pin_required"
    ok = client.post(f"/api/sales/{other}/approve", json={"badge": "SUP1", "pin": "2468"})
    assert ok.status_code == 200 and ok.get_json()["status"] == "approved"


def test_whoever_made_a_claim_cannot_approve_or_credit_it(client, store) -> None:  # type: ignore[no-untyped-def]
    """GIVEN a claim SUP1 made and submitted WHEN SUP1 approves it THEN four_eyes; without a PIN THEN pin_required."""
    from floor.core.pins import hash_pin
    from floor.models import User

    res = scan(client, "counter-1", "U:T001", "WO:1001", "P:ALT-300")
    serial = res[-1]["effects"]["cores"][0]
    assert scan(client, "counter-1", f"C:{serial}")[-1]["code"] == "core_returned"
    body = {"badge": "SUP1", "workorder": "1001", "cores": [serial], "claim_no": "W-9", "amount": "150.00"}
    cid = client.post("/api/claims", json=body).get_json()["id"]
    assert client.post(f"/api/claims/{cid}/submit", json={"badge": "SUP1"}).get_json()["status"] == "submitted"
    own = client.post(f"/api/claims/{cid}/approve", json={"badge": "SUP1", "pin": "2468"})
    assert own.status_code == 403 and own.get_json()["code"] == "four_eyes", own.get_json()
    with store.writing() as s:  # a second supervisor
        s.add(User(badge="SUP2", name="Zhou Lan", role="supervisor", pin_hash=hash_pin("1357")))
    no_pin = client.post(f"/api/claims/{cid}/approve", json={"badge": "SUP2"})
    assert no_pin.status_code == 403 and no_pin.get_json()["code"] == "pin_required"
    ok = client.post(f"/api/claims/{cid}/approve", json={"badge": "SUP2", "pin": "1357"})
    assert ok.status_code == 200 and ok.get_json()["status"] == "approved"
    own_credit = client.post(f"/api/claims/{cid}/credit", json={"badge": "SUP1", "pin": "2468"})
    assert own_credit.status_code == 403 and own_credit.get_json()["code"] == "four_eyes"
