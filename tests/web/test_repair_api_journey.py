"""A job from the VIN scan at reception to READY through the HTTP API and the scans (SPEC 10.1-10.3), both databases.

VIN scan → reception → concerns → lines → estimate → the customer's yes → START → clocking by `OP:` →
parts issued against the lines → a supplement: one line approved, one declined (refused at the counter) →
FINISH → QC → READY; the declined line is offered on the vehicle's next visit.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from floor.config import Config
from floor.core.results import ScanInput
from tests.conftest import make_config
from tests.repair_factories import VIN, load_repair_shop

pytestmark = pytest.mark.clock


@pytest.fixture
def cfg() -> Config:
    """The standard test config with a labour rate and tax."""
    return make_config(billing={"labour_rate": "380.00", "tax_pct": 13})


class Counter:
    """One counter's scans, numbered like a scanner's, one batch per call; the last result is returned."""

    def __init__(self, service: Any, station: str = "counter-1") -> None:
        self.service, self.station, self.seq = service, station, 0

    def scan(self, *texts: str) -> Any:
        inputs = []
        for text in texts:
            self.seq += 1
            inputs.append(ScanInput(text.encode(), self.seq))
        return self.service.submit(self.station, "dev-api-journey", inputs)[-1]


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    body = response.get_json()
    assert response.status_code == status, body
    return body


def _line(client: Any, number: str, **data: Any) -> int:
    return _ok(client.post(f"/api/workorders/{number}/lines", json={"badge": "ADV1", **data}), 201)["id"]


def test_from_the_vin_scan_to_ready_through_the_api(shop, client, service, pinned_clock):
    load_repair_shop(shop)
    counter = Counter(service)

    # The VIN on the door pillar (Code 39 with its leading I) opens the vehicle at reception: no open job yet.
    opened = counter.scan("U:ADV1", "I" + VIN)
    assert opened.code == "vehicle_opened", opened.message
    assert opened.effects["vehicle"] == VIN and opened.effects["in_warranty"] is True
    file = _ok(client.get("/api/vehicles/沪A·12345"))
    assert (file["vin"], file["customer"], file["in_warranty"], file["jobs"]) == (VIN, "C-ZHOU", True, [])

    # Reception: the job holds the vehicle and its customer by reference.
    job = _ok(
        client.post(
            "/api/reception",
            json={
                "badge": "ADV1",
                "number": "3101",
                "vehicle": "Ford Transit",
                "customer": "Zhou",
                "vin": VIN,
                "mileage": 42000,
            },
        ),
        201,
    )
    assert job["number"] == "3101"
    assert counter.scan("VIN:" + VIN).code == "vehicle_job_opened"

    # Concerns in the customer's words; the technician adds cause and correction later.
    squeal = _ok(client.post("/api/workorders/3101/concerns", json={"badge": "ADV1", "text": "刹车时有异响"}), 201)[
        "id"
    ]
    bad = client.post("/api/workorders/3101/concerns", json={"badge": "ADV1", "text": "  "})
    assert (bad.status_code, bad.get_json()["code"]) == (400, "bad_concern_text")

    # Lines: labour from the catalogue, parts as request lines (they reserve stock), each with its payer.
    brakes = _line(client, "3101", kind="labour", op="BRK-FRT", pay="customer", concern=squeal)
    pads = _line(client, "3101", kind="part", part_no="BP-400", qty=2, pay="customer", concern=squeal)
    oil = _line(client, "3101", kind="labour", op="OIL-CHG", pay="warranty")
    unknown = client.post(
        "/api/workorders/3101/lines", json={"badge": "ADV1", "kind": "labour", "op": "NOPE", "pay": "customer"}
    )
    assert (unknown.status_code, unknown.get_json()["code"]) == (404, "unknown_operation")
    nobody = client.post(
        "/api/workorders/3101/lines", json={"badge": "T001", "kind": "labour", "op": "DIAG", "pay": "customer"}
    )
    assert (nobody.status_code, nobody.get_json()["code"]) == (403, "role_denied")

    # The estimate: 1.2 h × 380 + 2 × 58.33 for the customer, 0.8 h × 380 under warranty; 13 % tax on the customer's.
    quote = _ok(client.get("/api/workorders/3101/estimate"))
    assert quote["totals"] == {"customer": "572.66", "warranty": "304.00", "internal": "0.00"}
    assert (quote["tax"], quote["due"]) == ("74.45", "647.11")

    # Nothing starts and no part leaves before the customer's yes.
    assert counter.scan("U:T001", "WO:3101", "CMD:START").code == "no_authorized_line"
    assert counter.scan("U:T001", "WO:3101", "Q:2", "P:BP-400").code == "not_authorized"

    answer = _ok(
        client.post(
            "/api/workorders/3101/authorize", json={"badge": "ADV1", "lines": [brakes, pads, oil], "how": "phone"}
        )
    )
    assert (answer["authorized"], answer["how"], answer["by"]["name"]) == ([brakes, pads, oil], "phone", "Liu Yang")

    # Work starts; T001 clocks onto the brakes by the job card's OP: barcode and fits the pads: against the brakes.
    assert counter.scan("U:T001", "WO:3101", "CMD:START").code == "status_changed"
    on = counter.scan("U:T001", f"OP:{brakes}")
    assert on.code == "clocked_on", on.message
    issued = counter.scan("U:T001", "WO:3101", "Q:2", "P:BP-400")
    assert issued.code == "issued" and issued.effects["repair_line"] == brakes
    pinned_clock.advance(timedelta(minutes=30))
    assert counter.scan("U:T001", "CMD:STOP").code == "clocked_off"

    # A supplement: the diagnosis approved, spark plugs declined (their stock goes back; the counter refuses them).
    diag = _line(client, "3101", kind="labour", op="DIAG", pay="customer")
    plugs = _line(client, "3101", kind="part", part_no="SP-200", qty=4, pay="customer")
    order = _ok(client.get("/api/workorders/3101"))
    by_id = {line["id"]: line for line in order["lines"]}
    assert (by_id[diag]["status"], by_id[diag]["supplement"], by_id[plugs]["status"]) == ("proposed", True, "proposed")
    early = counter.scan("U:T001", f"OP:{diag}")
    assert early.code == "line_not_authorized"
    _ok(
        client.post(
            "/api/workorders/3101/authorize",
            json={"badge": "ADV1", "lines": [diag], "declined": [plugs], "how": "in_person"},
        )
    )
    assert counter.scan("U:T001", "WO:3101", "Q:4", "P:SP-200").code == "not_authorized"

    # Clocking: T001 on the diagnosis (off nothing), T002 on the oil; FINISH marks each line done.
    assert counter.scan("U:T001", f"OP:{diag}").code == "clocked_on"
    assert counter.scan("U:T002", f"OP:{oil}").code == "clocked_on"
    pinned_clock.advance(timedelta(minutes=30))
    assert counter.scan("U:T002", "CMD:FINISH").code == "line_finished"
    switched = counter.scan("U:T001", f"OP:{brakes}")  # off the diagnosis, back on the brakes
    assert switched.code == "clocked_on" and switched.effects["clocked_off_line"] == diag
    _ok(
        client.patch(
            f"/api/workorders/3101/concerns/{squeal}",
            json={"badge": "T001", "cause": "Pads worn", "correction": "Pads replaced"},
        )
    )

    # HOLD clocks off everyone on the job.
    def on_now() -> list[str]:
        order = _ok(client.get("/api/workorders/3101"))
        return [t["name"] for line in order["lines"] for t in line.get("technicians", []) if t["on"]]

    assert on_now() == ["Li Wei"]
    assert counter.scan("U:SUP1", "WO:3101", "CMD:HOLD").code == "status_held"
    assert on_now() == []
    assert counter.scan("U:T001", "WO:3101", "CMD:START").code == "status_changed"

    # READY waits for every authorized labour line: the diagnosis is not done yet.
    assert counter.scan("U:T001", f"OP:{brakes}").code == "clocked_on"
    assert counter.scan("U:T001", "CMD:FINISH").code == "line_finished"
    assert counter.scan("U:T001", "WO:3101", "CMD:QC").code == "status_changed"
    _ok(client.post("/api/workorders/3101/qc", json={"badge": "F001", "result": "pass"}))
    assert counter.scan("U:F001", "WO:3101", "CMD:READY").code == "lines_not_done"
    _ok(client.post("/api/workorders/3101/qc", json={"badge": "F001", "result": "fail", "reason": "Diagnosis open"}))
    assert counter.scan("U:T001", f"OP:{diag}").code == "clocked_on"
    assert counter.scan("U:T001", "CMD:FINISH").code == "line_finished"
    assert counter.scan("U:T001", "WO:3101", "CMD:QC").code == "status_changed"
    _ok(client.post("/api/workorders/3101/qc", json={"badge": "F001", "result": "pass"}))
    ready = counter.scan("U:F001", "WO:3101", "CMD:READY")
    assert ready.code == "status_changed", ready.message

    # The job as the API shows it: vehicle, concerns with their story, lines with sold and clocked hours.
    order = _ok(client.get("/api/workorders/3101"))
    assert (order["status"], order["vehicle"], order["customer_code"]) == ("ready", VIN, "C-ZHOU")
    assert order["concerns"] == [
        {"id": squeal, "text": "刹车时有异响", "cause": "Pads worn", "correction": "Pads replaced"}
    ]
    by_id = {line["id"]: line for line in order["lines"]}
    assert [by_id[i]["status"] for i in (brakes, pads, oil, diag, plugs)] == [
        "done",
        "authorized",
        "done",
        "done",
        "declined",
    ]
    assert (by_id[brakes]["sold_hours"], by_id[brakes]["clocked_hours"]) == ("1.20", "0.50")
    assert by_id[brakes]["technicians"][0]["name"] == "Li Wei"

    # The technicians' report, as JSON and CSV: sold hours of the lines each finished.
    report = {row["name"]: row for row in _ok(client.get("/api/reports/technicians"))["technicians"]}
    assert report["Li Wei"]["sold_hours"] == "1.70" and report["Li Wei"]["jobs"] == 1
    assert report["Zhang Min"]["sold_hours"] == "0.80" and report["Zhang Min"]["clocked_hours"] == "0.50"
    csv_text = client.get("/api/reports/technicians.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0] == "name,role,clocked_hours,sold_hours,efficiency,jobs,comebacks"
    assert "T001" not in csv_text

    # The next visit: the VIN scan, and the vehicle's file offers the declined spark plugs again.
    _ok(client.post("/api/reception", json={"badge": "ADV1", "number": "3102", "vin": VIN, "mileage": 47000}), 201)
    again = counter.scan("U:ADV1", "VIN:" + VIN)
    assert (again.code, again.effects["work_order"], again.effects["declined"]) == ("vehicle_job_opened", "3102", 1)
    file = _ok(client.get(f"/api/vehicles/{VIN}"))
    assert [(d["workorder"], d["part_no"], d["qty"]) for d in file["declined"]] == [("3101", "SP-200", 4)]
    assert [(j["number"], j["mileage"]) for j in file["jobs"]] == [("3102", 47000), ("3101", 42000)]
