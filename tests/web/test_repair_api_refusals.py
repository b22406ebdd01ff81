"""Bad input to the vehicle and repair-order API gets a clear 4xx with its code and changes nothing (SPEC 10.1-10.3)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from floor.config import Config
from floor.db import Database
from floor.models import AuditEntry, Concern, RepairDecision, RepairLine, Vehicle
from tests.conftest import make_config
from tests.factories import PIN
from tests.repair_factories import VIN, load_repair_shop
from tests.web.test_repair_api_journey import Counter

pytestmark = pytest.mark.clock
BAD_CHECK = "1M8GDM9A1KP042788"


@pytest.fixture
def cfg() -> Config:
    return make_config(billing={"labour_rate": "380.00", "tax_pct": 13})


def _state(db: Database) -> tuple[int, ...]:
    with db.reading() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model)) or 0
            for model in (Vehicle, Concern, RepairLine, RepairDecision, AuditEntry)
        )


def _refused(client: Any, db: Database, method: str, url: str, status: int, code: str, body: Any = None) -> None:
    before = _state(db)
    r = client.open(url, method=method, json=body)
    answer = r.get_json()
    assert (r.status_code, answer.get("code")) == (status, code), answer
    assert answer["error"] and answer["error_zh"]
    assert _state(db) == before


@pytest.mark.parametrize(
    "method,url,body,status,code",
    [
        ("POST", "/api/vehicles", {"badge": "ADV1", "vin": BAD_CHECK}, 400, "bad_vin_check"),
        ("POST", "/api/vehicles", {"badge": "ADV1", "vin": "1M8GDM9AXKP04278O"}, 400, "bad_vin"),
        ("POST", "/api/vehicles", {"badge": "ADV1", "vin": VIN, "customer": "C-NOBODY"}, 404, "unknown_customer"),
        ("POST", "/api/vehicles", {"badge": "ADV1", "vin": VIN, "year": 1800}, 400, "bad_vehicle_field"),
        ("POST", "/api/vehicles", {"badge": "T001", "vin": VIN, "plate": "沪C1"}, 403, "role_denied"),
        ("GET", "/api/vehicles/沪Z99999", None, 404, "unknown_vehicle"),
        ("POST", "/api/workorders/9999/concerns", {"badge": "ADV1", "text": "x"}, 404, "unknown_wo"),
        ("POST", "/api/workorders/1003/concerns", {"badge": "ADV1", "text": "x"}, 409, "job_closed_lines"),
        ("PATCH", "/api/workorders/1001/concerns/999", {"badge": "T001", "cause": "x"}, 404, "unknown_concern"),
        (
            "POST",
            "/api/workorders/1001/lines",
            {"badge": "ADV1", "kind": "labour", "op": "NOPE", "pay": "customer"},
            404,
            "unknown_operation",
        ),
        (
            "POST",
            "/api/workorders/1001/lines",
            {"badge": "ADV1", "kind": "part", "part_no": "OF-100", "qty": 0, "pay": "customer"},
            400,
            "bad_request_qty",
        ),
        (
            "POST",
            "/api/workorders/1001/lines",
            {"badge": "ADV1", "kind": "part", "part_no": "OF-100", "qty": -2, "pay": "customer"},
            400,
            "bad_request_qty",
        ),
        (
            "POST",
            "/api/workorders/1001/lines",
            {"badge": "ADV1", "kind": "labour", "op": "DIAG", "pay": "cash"},
            400,
            "bad_pay_type",
        ),
        (
            "POST",
            "/api/workorders/1001/lines",
            {"badge": "ADV1", "kind": "tyres", "pay": "customer"},
            400,
            "bad_line_kind",
        ),
        (
            "POST",
            "/api/workorders/1001/lines",
            {"badge": "ADV1", "kind": "labour", "op": "DIAG", "hours": "0", "pay": "customer"},
            400,
            "bad_hours",
        ),
        (
            "POST",
            "/api/workorders/1003/lines",
            {"badge": "ADV1", "kind": "labour", "op": "DIAG", "pay": "customer"},
            409,
            "job_closed_lines",
        ),
        ("PATCH", "/api/workorders/1001/lines/999", {"badge": "ADV1", "hours": "2"}, 404, "unknown_line"),
        (
            "POST",
            "/api/workorders/1001/authorize",
            {"badge": "ADV1", "lines": [999], "how": "phone"},
            404,
            "unknown_line",
        ),
        (
            "POST",
            "/api/workorders/1001/authorize",
            {"badge": "ADV1", "lines": [], "how": "phone"},
            400,
            "no_lines_answered",
        ),
        ("GET", "/api/workorders/9999/estimate", None, 404, "unknown_wo"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(shop, client, method, url, body, status, code):
    """GIVEN a repair shop WHEN a bad request is sent THEN its status and code, both languages, and the books unchanged
    (the assertions are in `_refused`)."""
    load_repair_shop(shop)
    _refused(client, shop, method, url, status, code, body)


def test_answers_and_clocking_refused_on_the_wrong_lines(shop, client, service):
    """GIVEN two jobs with lines, one declined WHEN the customer's answer names a line twice or in a bad manner, or a
    technician clocks onto the declined line or another job's line THEN each is refused with its code."""
    load_repair_shop(shop)

    def line(number: str, **data: Any) -> int:
        r = client.post(f"/api/workorders/{number}/lines", json={"badge": "ADV1", "pay": "customer", **data})
        assert r.status_code == 201, r.get_json()
        return r.get_json()["id"]

    brakes = line("1001", kind="labour", op="BRK-FRT", safety=True)
    diag = line("1001", kind="labour", op="DIAG")
    other = line("1002", kind="labour", op="OIL-CHG")
    yes = {"badge": "ADV1", "how": "phone"}
    _refused(
        client,
        shop,
        "POST",
        "/api/workorders/1001/authorize",
        400,
        "line_twice",
        {**yes, "lines": [diag], "declined": [diag]},
    )
    _refused(
        client,
        shop,
        "POST",
        "/api/workorders/1001/authorize",
        400,
        "bad_consent_how",
        {**yes, "lines": [diag], "how": "email"},
    )
    _refused(client, shop, "POST", "/api/workorders/1001/authorize", 404, "unknown_line", {**yes, "lines": [other]})
    _refused(
        client,
        shop,
        "POST",
        "/api/workorders/1001/authorize",
        409,
        "safety_needs_signature",
        {**yes, "declined": [brakes]},
    )
    _refused(
        client,
        shop,
        "POST",
        "/api/workorders/1001/authorize",
        400,
        "signature_missing",
        {**yes, "lines": [diag], "how": "signature"},
    )
    _refused(
        client,
        shop,
        "POST",
        "/api/workorders/1001/authorize",
        403,
        "role_denied",
        {**yes, "badge": "T001", "lines": [diag]},
    )
    assert (
        client.post("/api/workorders/1001/authorize", json={**yes, "lines": [brakes], "declined": [diag]}).status_code
        == 200
    )
    assert client.post("/api/workorders/1002/authorize", json={**yes, "lines": [other]}).status_code == 200
    _refused(
        client, shop, "PATCH", f"/api/workorders/1001/lines/{diag}", 409, "line_closed", {"badge": "ADV1", "hours": "1"}
    )
    _refused(
        client,
        shop,
        "PATCH",
        f"/api/workorders/1001/lines/{brakes}",
        403,
        "role_denied",
        {"badge": "ADV1", "hours": "2"},
    )

    reprice = {"badge": "SUP1", "hours": "1.5"}
    _refused(client, shop, "PATCH", f"/api/workorders/1001/lines/{brakes}", 403, "pin_required", reprice)
    repriced = client.patch(f"/api/workorders/1001/lines/{brakes}", json={**reprice, "pin": PIN})
    assert repriced.status_code == 200 and repriced.get_json()["status"] == "proposed"  # asked again
    assert client.post("/api/workorders/1001/authorize", json={**yes, "lines": [brakes]}).status_code == 200

    counter = Counter(service)
    assert counter.scan("U:T001", "WO:1001", "CMD:START").code == "status_changed"
    assert counter.scan("U:T001", "WO:1001", f"OP:{diag}").code == "line_declined"
    assert counter.scan("U:T001", "WO:1001", f"OP:{other}").code == "line_of_other_job"
    assert counter.scan("U:T001", "OP:99999").code == "unknown_op_line"
    assert counter.scan("U:T001", "CMD:STOP").code == "not_clocked_on"
    assert counter.scan("U:SUP1", "CMD:DONE", "U:ADV1", f"OP:{brakes}").code == "role_denied"
    with shop.reading() as s:
        assert s.scalar(select(func.count()).select_from(RepairLine).where(RepairLine.status == "done")) == 0


def test_the_technicians_report_refuses_a_bad_period(shop, client):
    r = client.get("/api/reports/technicians?from=2026-13-01&to=2026-12-01")
    assert r.status_code == 400
    r = client.get("/api/reports/technicians.csv?from=2026-12-02&to=2026-12-01")
    assert r.status_code == 400


def test_jobs_created_by_the_api_hold_their_vehicle_and_customer(shop, client):
    """GIVEN the registered vehicle WHEN jobs are created with its VIN, with and without `customer_code` THEN each
    names the vehicle by VIN and the customer given, or the vehicle's; a VIN with a bad check digit is refused."""
    load_repair_shop(shop)
    for number, code in (("3201", "C-FLEET"), ("3202", None)):
        body = {"number": number, "vehicle": "Transit", "vin": VIN, "by_badge": "ADV1"}
        r = client.post("/api/workorders", json={**body, **({"customer_code": code} if code else {})})
        assert r.status_code in (200, 201), r.get_json()
    first, second = (client.get(f"/api/workorders/{n}").get_json() for n in ("3201", "3202"))
    assert (first["vehicle"], first["customer_code"], first["vehicle_text"]) == (VIN, "C-FLEET", "Transit")
    assert (second["vehicle"], second["customer_code"]) == (VIN, "C-ZHOU")
    bad = client.post("/api/workorders", json={"number": "3203", "vin": BAD_CHECK, "by_badge": "ADV1"})
    assert bad.status_code == 400 and "vin" in bad.get_json()["error"]
    assert client.get("/api/workorders/3203").status_code == 404
