"""Authority on the JSON API: token roles and stations, badges checked by the role table, blind counts, masking."""

from __future__ import annotations

from sqlalchemy import select

from floor.models import CountSession, StockLevel, User
from tests.authority.conftest import ADMIN_TOKEN, audit_rows, bearer
from tests.factories import shipped_sale

SUP = bearer("sup-token-0123456789")
STORE = bearer("store-token-0123456789")
TECH = bearer("tech-token-0123456789")
ADMIN = bearer(ADMIN_TOKEN)


def _scans(client, station, *texts, headers=None):
    return client.post(
        "/api/scans",
        json={"station": station, "device": "t", "scans": [{"data": t} for t in texts]},
        headers=headers or {},
    )


def test_a_token_limited_to_stations_posts_only_there(token_app, store):
    """GIVEN a storekeeper token limited to dock-1 WHEN it posts scans for counter-1 THEN 403 station_denied
    and nothing is recorded; for dock-1 the scans are applied."""
    client = token_app.test_client()
    refused = _scans(client, "counter-1", "U:S001", headers=STORE)
    assert refused.status_code == 403 and refused.get_json()["code"] == "station_denied"
    ok = _scans(client, "dock-1", "U:S001", "CMD:RECEIVE", "P:OF-100", headers=STORE)
    assert ok.status_code == 200 and [r["code"] for r in ok.get_json()["results"]][-1] == "received"
    assert _scans(client, "counter-1", "U:T001", headers=ADMIN).status_code == 200


def test_a_role_token_is_checked_against_the_table(token_app, store):
    """GIVEN a technician token WHEN it sets opening stock THEN 403 role_denied, the level unchanged;
    a bare token may (full access)."""
    client = token_app.test_client()
    body = {"part_no": "OF-100", "location": "A-01-01", "qty": 999}
    r = client.post("/api/stock", json=body, headers=TECH)
    assert r.status_code == 403 and r.get_json()["code"] == "role_denied" and r.get_json()["error_zh"]
    with store.reading() as s:
        assert 999 not in set(s.scalars(select(StockLevel.qty)))
    assert client.post("/api/stock", json=body, headers=ADMIN).status_code == 201


def test_role_token_and_badge_must_both_be_allowed(token_app, store):
    """GIVEN a storekeeper token WHEN a technician's badge records a customer return THEN 403 (the badge may not);
    a supervisor token with a storekeeper badge may; a technician token with a storekeeper badge may not."""
    client = token_app.test_client()
    body = {"part_no": "BP-400", "qty": 1, "reason": "wrong_shipment", "sale_ref": shipped_sale(store, "BP-400", 2)}
    assert client.post("/api/returns", json={**body, "badge": "T001"}, headers=STORE).status_code == 403
    assert client.post("/api/returns", json={**body, "badge": "S001"}, headers=TECH).status_code == 403
    assert client.post("/api/returns", json={**body, "badge": "S001"}, headers=SUP).status_code == 201
    assert client.post("/api/returns", json={**body, "badge": "S001"}, headers=ADMIN).status_code == 201


def test_unknown_and_inactive_badges_are_403_with_their_code(token_app, store):
    """GIVEN an unknown badge and an inactive one WHEN either signs a core waiver THEN 403 unknown_badge / inactive_badge."""
    with store.writing() as s:
        s.scalar(select(User).where(User.badge == "T002")).active = False
    client = token_app.test_client()
    for badge, code in (("NOPE", "unknown_badge"), ("T002", "inactive_badge")):
        r = client.post("/api/cores/C-1/waive", json={"badge": badge}, headers=ADMIN)
        assert r.status_code == 403 and r.get_json()["code"] == code


def test_api_users_cannot_be_promoted_by_a_storekeeper_badge(token_app, store):
    """GIVEN a bare token and a storekeeper's by_badge WHEN the storekeeper makes themself a supervisor THEN 403."""
    client = token_app.test_client()
    r = client.post(
        "/api/users",
        json={"badge": "S001", "name": "Wang Fang", "role": "supervisor", "by_badge": "S001"},
        headers=ADMIN,
    )
    assert r.status_code == 403
    with store.reading() as s:
        assert s.scalar(select(User.role).where(User.badge == "S001")) == "storekeeper"
    ok = client.post(
        "/api/users", json={"badge": "T9", "name": "New", "role": "technician", "by_badge": "SUP1"}, headers=ADMIN
    )
    assert ok.status_code == 201
    assert ("U:SUP1", "api.users") in audit_rows(store)


def _blind_count(client, store, headers):
    r = client.post("/api/counts", json={"kind": "cycle", "zone": "A", "blind": True, "badge": "S001"}, headers=headers)
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def test_blind_count_variance_needs_a_supervisor_token(token_app, store):
    """GIVEN a blind count WHEN its variance (JSON, CSV, page) is asked without a token or with a technician or
    storekeeper token THEN 403; a supervisor token and a bare token see it."""
    client = token_app.test_client()
    count_id = _blind_count(client, store, ADMIN)
    for suffix in ("", ".csv", ".html"):
        url = f"/api/counts/{count_id}/variance{suffix}"
        assert client.get(url).status_code == 403, url
        assert client.get(url, headers=TECH).status_code == 403, url
        assert client.get(url, headers=STORE).status_code == 403, url
        assert client.get(url, headers=SUP).status_code == 200, url
        assert client.get(url, headers=ADMIN).status_code == 200, url
    with store.reading() as s:
        assert s.get(CountSession, count_id).blind


def test_open_count_variance_is_readable(token_app, store):
    """GIVEN a count that is not blind THEN its variance needs no token (nothing is hidden from counters)."""
    client = token_app.test_client()
    r = client.post("/api/counts", json={"kind": "cycle", "zone": "A", "blind": False}, headers=ADMIN)
    assert client.get(f"/api/counts/{r.get_json()['id']}/variance").status_code == 200


def test_station_summary_never_shows_a_badge(token_app, store):
    """GIVEN a supervisor badged in at counter-1 WHEN the station is read, without a token or with any THEN no badge
    shows (neither the actor's nor the badge scan's text): the person by name and role (SPEC 10.6)."""
    client = token_app.test_client()
    _scans(client, "counter-1", "U:SUP1", headers=ADMIN)
    for headers in ({}, SUP, ADMIN):
        body = client.get("/api/stations/counter-1", headers=headers).get_json()
        assert "SUP1" not in str(body) and body["actor"] == {"name": "Chen Jie", "role": "supervisor"}


def test_count_approval_uses_the_role_table(token_app, store):
    """GIVEN a count WHEN a storekeeper's badge approves THEN 403 role_denied; `[roles] approve_count` decides."""
    client = token_app.test_client()
    count_id = _blind_count(client, store, ADMIN)
    r = client.post(f"/api/counts/{count_id}/approve", json={"badge": "S001", "allow_partial": True}, headers=ADMIN)
    assert r.status_code == 403 and r.get_json()["code"] == "role_denied"
