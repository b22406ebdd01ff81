"""Reissuing a badge (SPEC 10.6): supervisor + PIN; the old badge stops working at once, everywhere."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from floor.models import AuditEntry, StationSession, User
from tests.kiosk.helpers import csrf_token

pytestmark = pytest.mark.clock


_SEQ = iter(range(1, 10**6))


def _scan(client, station: str, *texts: str) -> list[dict]:
    body = {"station": station, "device": "api-x", "scans": [{"data": t, "seq": next(_SEQ)} for t in texts]}
    r = client.post("/api/scans", json=body)
    assert r.status_code == 200, r.get_json()
    return r.get_json()["results"]


def test_reissue_needs_a_supervisor_and_their_pin(client, shop):
    """GIVEN T001 WHEN a technician, a supervisor without PIN, or no one reissues THEN refused and T001 still works."""
    url = "/api/users/T001/reissue"
    tech = client.post(url, json={"badge": "T002", "pin": "2468"})
    assert tech.status_code == 403 and tech.get_json()["code"] == "role_denied"
    no_pin = client.post(url, json={"badge": "SUP1"})
    assert no_pin.status_code == 403 and no_pin.get_json()["code"] == "pin_required"
    nobody = client.post(url, json={})
    assert nobody.status_code == 403 and nobody.get_json()["code"] == "no_actor"
    unknown = client.post("/api/users/NOPE/reissue", json={"badge": "SUP1", "pin": "2468"})
    assert unknown.status_code == 404
    with shop.reading() as s:
        assert s.scalar(select(User.badge).where(User.name == "Li Wei")) == "T001"


def test_old_badge_stops_working_at_once(client, shop):
    """GIVEN T001 badged in at counter-1 WHEN SUP1 reissues T001's badge THEN the answer is the new code; the old one is
    an unknown badge at scans and the API, the station forgot T001, the new code works; audited without codes."""
    assert _scan(client, "counter-1", "U:T001", "WO:1001")[-1]["ok"]
    r = client.post("/api/users/U:T001/reissue", json={"badge": "SUP1", "pin": "2468"})
    assert r.status_code == 200, r.get_json()
    new = r.get_json()["badge"]
    assert new != "T001" and len(new) == 10 and r.get_json()["name"] == "Li Wei"
    with shop.reading() as s:
        assert s.scalar(select(StationSession.actor_id).where(StationSession.station == "counter-1")) is None
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "reissue_badge")).one()
        assert entry.actor == "U:SUP1" and new not in (entry.details or "") and "T001" not in (entry.details or "")
    # the station no longer has T001: a part scan needs a badge again
    res = _scan(client, "counter-1", "P:OF-100")[-1]
    assert not res["ok"], res
    assert _scan(client, "counter-1", "U:T001")[-1]["code"] == "unknown_badge"
    api = client.post(
        "/api/workorders/1001/requests", json={"badge": "T001", "lines": [{"part_no": "OF-100", "qty": 1}]}
    )
    assert api.status_code == 403 and api.get_json()["code"] == "unknown_badge"
    assert _scan(client, "counter-1", f"U:{new}")[-1]["code"] == "actor_set"
    chosen = client.post(f"/api/users/{new}/reissue", json={"badge": "SUP1", "pin": "2468", "new": "T001-B"})
    assert chosen.status_code == 200 and chosen.get_json()["badge"] == "T001-B"
    taken = client.post("/api/users/T001-B/reissue", json={"badge": "SUP1", "pin": "2468", "new": "T002"})
    assert taken.status_code == 409 and taken.get_json()["code"] == "badge_taken"


def test_a_kiosk_unlock_ends_when_the_badge_is_reissued(client, shop):
    """GIVEN SUP1 unlocked the stocktake variance on a kiosk WHEN SUP1's badge is reissued THEN the variance is hidden."""
    from floor.core.counts.plans import create_count

    with shop.writing() as s:
        count_id = create_count(s, "cycle", zone="B").id
    token = csrf_token(client, f"/kiosk/stocktake/{count_id}")
    shown = client.post(
        f"/kiosk/stocktake/{count_id}/supervisor", data={"badge": "SUP1"}, headers={"X-CSRFToken": token}
    ).get_data(as_text=True)
    assert 'id="variance-lines"' in shown
    assert 'id="variance-lines"' in client.get(f"/kiosk/stocktake/{count_id}").get_data(as_text=True)
    assert client.post("/api/users/SUP1/reissue", json={"badge": "SUP1", "pin": "2468"}).status_code == 200
    assert 'id="variance-lines"' not in client.get(f"/kiosk/stocktake/{count_id}").get_data(as_text=True)
