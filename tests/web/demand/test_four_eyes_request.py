"""Four eyes and the PIN on request approval (SPEC 10.6): the maker of a line may not approve it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from floor.models import User
from floor.service.factory import create_app
from tests.conftest import make_config
from tests.web.demand.helpers import ask, state

pytestmark = pytest.mark.clock


def test_the_maker_of_a_line_cannot_approve_it(shop, db):
    """GIVEN approval_value 100 and SUP1's own alternator line WHEN SUP1 approves it THEN four_eyes, nothing changes;
    a line made by T001 SUP1 approves with the PIN."""
    client = create_app(make_config(requisition={"approval_value": 100}), db, {"TESTING": True}).test_client()
    own = ask(client, "1001", [("ALT-300", 1)], badge="SUP1").get_json()["lines"][0]
    assert own["status"] == "awaiting_approval"
    before = state(db)
    r = client.post(f"/api/requests/{own['id']}/approve", json={"badge": "SUP1", "pin": "2468"})
    assert r.status_code == 403 and r.get_json()["code"] == "four_eyes", r.get_json()
    assert "Chen Jie" in r.get_json()["error"] and r.get_json()["error_zh"]
    assert state(db) == before
    other = ask(client, "1002", [("ALT-300", 1)], badge="T001").get_json()["lines"][0]
    ok = client.post(f"/api/requests/{other['id']}/approve", json={"badge": "SUP1", "pin": "2468"})
    assert ok.status_code == 200, ok.get_json()


def test_approval_needs_the_right_pin_and_five_wrong_lock(shop, db):
    """GIVEN a line awaiting approval WHEN approved without a PIN, then 5 times with a wrong one THEN pin_required,
    bad_pin ×4, pin_locked (kept although each refusal rolled back), and the right PIN is locked out too."""
    client = create_app(make_config(requisition={"approval_value": 100}), db, {"TESTING": True}).test_client()
    line = ask(client, "1001", [("ALT-300", 1)]).get_json()["lines"][0]
    url = f"/api/requests/{line['id']}/approve"
    before = state(db)
    r = client.post(url, json={"badge": "SUP1"})
    assert r.status_code == 403 and r.get_json()["code"] == "pin_required"
    codes = [client.post(url, json={"badge": "SUP1", "pin": "1357"}).get_json()["code"] for _ in range(5)]
    assert codes == ["bad_pin"] * 4 + ["pin_locked"]
    r = client.post(url, json={"badge": "SUP1", "pin": "2468"})
    assert r.status_code == 423 and r.get_json()["code"] == "pin_locked"
    assert "supervisor" in r.get_json()["error"]
    assert state(db) == before
    with db.reading() as s:
        assert s.scalar(select(User.pin_failures).where(User.badge == "SUP1")) == 5
