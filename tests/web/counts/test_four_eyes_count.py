"""Four eyes on counts (SPEC 10.6): the counter cannot approve their own count; the approver's PIN is checked."""

from __future__ import annotations

from tests.web.counts.conftest import adjust_moves, levels, open_count, scan


def _counted_by(store, service, clock, badge: str) -> int:
    count_id = open_count(store, clock, locations=["B-02-01"])
    res = scan(
        service,
        "handheld-1",
        (f"U:{badge}", clock(1)),
        (f"CNT:{count_id}", clock(1)),
        ("L:B-02-01", clock(1)),
        ("Q:1", clock(2)),
        ("P:OF-100", clock(2)),
    )
    assert res[-1].code == "counted", res[-1].message
    return count_id


def test_a_supervisor_cannot_approve_a_count_they_counted(store, service, clock, client):
    """GIVEN SUP1 counted 1 OF-100 against a book of 4 WHEN SUP1 approves THEN four_eyes, no shortage posted."""
    count_id = _counted_by(store, service, clock, "SUP1")
    body = {"badge": "SUP1", "pin": "2468", "override_recount": True}
    r = client.post(f"/api/counts/{count_id}/approve", json=body)
    assert r.status_code == 403 and r.get_json()["code"] == "four_eyes", r.get_json()
    assert adjust_moves(store) == [] and levels(store)[("B-02-01", "OF-100")] == 4


def test_count_approval_needs_the_approvers_pin(store, service, clock, client):
    """GIVEN S001's count WHEN SUP1 approves without a PIN or with a wrong one THEN refused; with it THEN posted."""
    count_id = _counted_by(store, service, clock, "S001")
    url = f"/api/counts/{count_id}/approve"
    r = client.post(url, json={"badge": "SUP1", "override_recount": True})
    assert r.status_code == 403 and r.get_json()["code"] == "pin_required"
    r = client.post(url, json={"badge": "SUP1", "pin": "1111", "override_recount": True})
    assert r.status_code == 403 and r.get_json()["code"] == "bad_pin" and "4 tries left" in r.get_json()["error"]
    assert adjust_moves(store) == []
    r = client.post(url, json={"badge": "SUP1", "pin": "2468", "override_recount": True})
    assert r.status_code == 200, r.get_json()
    assert levels(store)[("B-02-01", "OF-100")] == 1
