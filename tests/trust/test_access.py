"""Access: API tokens, roles on writes that need them, no internals in errors, size limits, audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from floor.core.audit import entries, record, token_actor
from floor.db import Database
from floor.service.factory import create_app
from tests.conftest import make_config
from tests.trust.support import snapshot

TOKEN = "s3cret-gateway-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def secured(shop: Database) -> Any:
    """A test client of an app whose API writes need a token, over the small shop."""
    app = create_app(make_config(api={"tokens": [TOKEN]}), shop, {"TESTING": True})
    return app.test_client()


def _scans(*texts: str, station: str = "counter-1", start: int = 1) -> dict[str, Any]:
    return {
        "station": station,
        "device": "acc-1",
        "scans": [{"data": t, "seq": start + i} for i, t in enumerate(texts)],
    }


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"Authorization": "Basic czNjcmV0"}]
)
def test_api_writes_need_the_token(secured: Any, shop: Database, headers: dict[str, str]) -> None:
    """GIVEN [api] tokens WHEN a scan batch comes without the right bearer token THEN 401 JSON naming the header, nothing changed."""
    before = snapshot(shop)
    resp = secured.post("/api/scans", json=_scans("U:T001", "WO:1001", "P:OF-100"), headers=headers)
    assert resp.status_code == 401
    assert "Authorization: Bearer" in resp.get_json()["error"]
    assert snapshot(shop) == before


def test_token_write_is_applied_and_audited_under_the_token_name(secured: Any, shop: Database) -> None:
    """GIVEN the right token WHEN a part is created and scans are posted (then resent)
    THEN both are audited under the token's fingerprint, never the token, and the resend adds no entry."""
    resp = secured.post("/api/parts", json={"part_no": "NEW-1", "name": "New part", "unit_cost": "1.00"}, headers=AUTH)
    assert resp.status_code == 201
    body = _scans("U:T001", "WO:1001", "P:OF-100")
    assert [r["ok"] for r in secured.post("/api/scans", json=body, headers=AUTH).get_json()["results"]] == [True] * 3
    assert all(r["duplicate"] for r in secured.post("/api/scans", json=body, headers=AUTH).get_json()["results"])
    with shop.reading() as s:
        log = entries(s)
        raw = " ".join(str(r) for r in s.execute(text("SELECT actor, object, details FROM audit_entries")))
    assert [(e["action"], e["actor"]) for e in log] == [
        ("api.scans", token_actor(TOKEN)),
        ("api.parts", token_actor(TOKEN)),
    ]
    assert log[1]["object"] == "NEW-1" and log[0]["object"] == "counter-1/acc-1"
    assert log[0]["details"] == {"scans": 3, "accepted": 3, "seqs": [1, 3]}
    assert TOKEN not in raw


def test_record_keeps_details_as_json_and_bounds_them(db: Database) -> None:
    """GIVEN the audit helper WHEN an entry with huge details is recorded THEN it is kept, truncated, as JSON."""
    with db.writing() as s:
        record(s, "SUP1", "count.approve", "count 7", lines=3, reason="damaged")
        record(s, "T001", "import.parts", "parts.csv", rows=["x" * 100] * 200)
    with db.reading() as s:
        newest, oldest = entries(s)
    assert oldest["details"] == {"lines": 3, "reason": "damaged"} and oldest["actor"] == "SUP1"
    assert newest["details"] == {"truncated": True, "keys": ["rows"]}


@pytest.fixture(params=["sqlite", "postgresql"])
def broken_client(request: pytest.FixtureRequest, tmp_path: Any) -> Any:
    """A client of an app whose database fails every query: a file that is no database, or a missing PG database."""
    from tests.conftest import PG_ADMIN_URL

    if request.param == "sqlite":
        path = tmp_path / "broken.db"
        path.write_bytes(b"this is not a database, SELECT * FROM stock_levels" * 100)
        broken = Database(f"sqlite:///{path}")
    else:
        broken = Database(PG_ADMIN_URL.rsplit("/", 1)[0] + "/floor_no_such_database")
    yield create_app(make_config(), broken, {"TESTING": True}).test_client()
    broken.dispose()


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_database_error_answers_500_without_trace_or_sql(broken_client: Any, accept: str) -> None:
    """GIVEN a database that fails WHEN the API reads and writes THEN a 500 with a short message and no trace, SQL or driver text."""
    for resp in (
        broken_client.get("/api/parts/OF-100", headers={"Accept": accept}),
        broken_client.post("/api/scans", json=_scans("U:T001"), headers={"Accept": accept}),
    ):
        assert resp.status_code == 500
        body = resp.get_data(as_text=True)
        assert "internal error" in body.lower()
        for leak in (
            "Traceback",
            "SELECT",
            "stock_levels",
            "scan_events",
            "sqlite",
            "psycopg",
            'File "',
            "sqlalchemy",
            "floor_no_such_database",
            "5432",
        ):
            assert leak not in body, leak


def test_oversized_request_is_413_json_and_changes_nothing(client: Any, shop: Database) -> None:
    """GIVEN the request size limit WHEN a 5 MB scan batch is posted THEN 413 as JSON and nothing changes."""
    before = snapshot(shop)
    big = _scans("U:T001", "WO:1001", "P:OF-100")
    big["scans"][0]["data"] = "U:" + "X" * (5 * 1024 * 1024)
    resp = client.post("/api/scans", json=big)
    assert resp.status_code == 413
    assert "error" in resp.get_json()
    assert snapshot(shop) == before


def test_only_a_supervisor_waives_cores(service: Any, shop: Database) -> None:
    """GIVEN a core part issued to job 1001 WHEN a technician scans WAIVE THEN role_denied and the core stays due;
    WHEN the supervisor does THEN the core is waived."""
    from floor.core.results import ScanInput

    def scan(*texts: str) -> list[Any]:
        return service.submit("counter-1", "waive-dev", [ScanInput(t.encode()) for t in texts])

    assert scan("U:T001", "WO:1001", "P:ALT-300")[-1].code == "issued"
    before = snapshot(shop)
    denied = scan("CMD:WAIVE")[-1]
    assert (denied.ok, denied.code) == (False, "role_denied")
    assert snapshot(shop) == before
    assert [r.code for r in scan("U:SUP1", "CMD:WAIVE")] == ["actor_set", "cores_waived"]
    with shop.reading() as s:
        assert s.scalar(text("SELECT status FROM cores")) == "waived"


def test_only_a_supervisor_approves_a_count(client: Any, shop: Database) -> None:
    """GIVEN an open count WHEN a technician's badge approves it THEN 403 naming the supervisor rule, nothing posted;
    WHEN the supervisor approves THEN 200."""
    created = client.post("/api/counts", json={"kind": "cycle", "locations": ["A-01-01"], "blind": True})
    assert created.status_code == 201, created.get_json()
    count_id = created.get_json()["id"]
    before = snapshot(shop)
    denied = client.post(
        f"/api/counts/{count_id}/approve", json={"badge": "T001", "pin": "2468", "allow_partial": True}
    )
    assert denied.status_code == 403
    assert "supervisor" in denied.get_json()["error"].lower()  # names who may: "(allowed: Supervisor)"
    assert snapshot(shop) == before
    ok = client.post(f"/api/counts/{count_id}/approve", json={"badge": "SUP1", "pin": "2468", "allow_partial": True})
    assert ok.status_code == 200, ok.get_json()
