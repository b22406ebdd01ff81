"""SPEC 10.1-10.3 kiosk pages through the test client, on both databases: the vehicle file at reception, the repair
order (concerns, lines, the customer's yes), the printed estimate, the technician's page, the reports and the board;
every bad input a clear 4xx in the kiosk's language that changes nothing."""

from __future__ import annotations

import base64
import io
import re
from typing import Any

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from floor.models import AuditEntry, ClockRecord, Concern, RepairLine, User, WorkOrder
from tests.conftest import make_config
from tests.kiosk.helpers import api_scans, csrf_token
from tests.repair_factories import VIN, load_repair_shop

BILLING = {"billing": {"labour_rate": 380, "tax_pct": 13}}


@pytest.fixture
def cfg():  # type: ignore[no-untyped-def]
    return make_config(**BILLING)


@pytest.fixture
def garage_client(shop, client):  # type: ignore[no-untyped-def]
    load_repair_shop(shop)
    resp = client.post(
        "/api/reception",
        json={
            "badge": "ADV1",
            "number": "5001",
            "plate": "沪A12345",
            "vin": VIN,
            "vehicle": "Ford Transit",
            "mileage": 61000,
        },
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return client


def _post(client: Any, path: str, data: dict[str, Any], lang: str = "en") -> Any:
    token = csrf_token(client, f"/kiosk/workorders/5001/repair?lang={lang}")
    return client.post(path, data={"csrf_token": token, **data}, headers={"X-CSRFToken": token})


def _count(db: Any, model: Any) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def signature_png() -> str:
    img = Image.new("RGB", (400, 120), "white")
    ImageDraw.Draw(img).line([(10, 60), (200, 20), (390, 100)], fill="black", width=4)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def test_vehicle_file_by_vin_plate_and_scan(garage_client):
    """GIVEN a registered vehicle with a job WHEN reception types its VIN, its plate, or scans VIN: / the Code 39
    THEN the vehicle file opens with the job, its mileage, warranty and next service, in en and zh."""
    for q in (VIN, "沪A 12345", f"VIN:{VIN}", f"I{VIN}"):
        html = garage_client.get("/kiosk/vehicles", query_string={"q": q}).get_data(as_text=True)
        assert f'data-vin="{VIN}"' in html and 'id="vjob-5001"' in html, q
        assert "61,000" in html and 'data-in="1"' in html
    zh = garage_client.get("/kiosk/vehicles", query_string={"q": VIN, "lang": "zh"}).get_data(as_text=True)
    assert "保修期内" in zh and "下次保养" in zh


def test_vehicle_lookup_reads_a_scan_as_the_scan_path_does(garage_client):
    """GIVEN a registered vehicle WHEN the Code 39 VIN arrives with the scanner's AIM prefix (`]A0I<vin>`), or as
    `vin:<vin>` THEN reception's look-up opens the vehicle the scan path names for the same text at a counter (the
    look-up once read scanned VINs by its own rule and took `]A0I<vin>` for an unknown plate)."""
    for text in (f"]A0I{VIN}", f"vin:{VIN}"):
        scanned = api_scans(garage_client, "counter-1", text)[0]
        assert scanned["ok"] and scanned["effects"]["vehicle"] == VIN, scanned
        html = garage_client.get("/kiosk/vehicles", query_string={"q": text}).get_data(as_text=True)
        assert f'data-vin="{VIN}"' in html and 'id="vjob-5001"' in html, text


@pytest.mark.parametrize(
    ("q", "code", "status", "words"),
    [
        ("1M8GDM9A1KP042788", "bad_vin_check", 400, "check digit"),
        ("VIN:1M8GDM9AIKP042788", "bad_vin", 400, ""),
        ("沪Z99999", "unknown_vehicle", 404, "register it at reception"),
    ],
)
def test_vehicle_lookup_refusals(garage_client, q, code, status, words):
    """GIVEN reception WHEN the VIN's check digit is wrong, the VIN is malformed or nothing has that plate THEN a clear
    4xx with the code and the words, never a 500."""
    resp = garage_client.get("/kiosk/vehicles", query_string={"q": q})
    html = resp.get_data(as_text=True)
    assert resp.status_code == status and f'data-code="{code}"' in html and words in html


def test_repair_order_concern_lines_answer_and_estimate(garage_client, db):
    """GIVEN a job WHEN the advisor writes a concern, a labour and a part line, and the customer says yes to one line
    and no to the other with a signature THEN the page shows them with who/how, totals per pay type and tax; a line
    added after the yes is proposed again; the estimate prints in zh and en."""
    c = garage_client
    assert (
        _post(c, "/kiosk/workorders/5001/repair/concerns", {"text": "刹车异响 squeal", "badge": "ADV1"}).status_code
        == 303
    )
    with db.reading() as s:
        concern_id = s.scalar(select(Concern.id))
    r = _post(
        c,
        "/kiosk/workorders/5001/repair/lines",
        {"kind": "labour", "op": "BRK-FRT", "pay": "customer", "concern": str(concern_id), "badge": "ADV1"},
    )
    assert r.status_code == 303
    r = _post(
        c,
        "/kiosk/workorders/5001/repair/lines",
        {"kind": "part", "part_no": "BP-400", "qty": "2", "pay": "warranty", "safety": "on", "badge": "ADV1"},
    )
    assert r.status_code == 303, r.get_data(as_text=True)
    with db.reading() as s:
        labour, part = s.scalars(select(RepairLine.id).order_by(RepairLine.id)).all()
    r = _post(
        c,
        "/kiosk/workorders/5001/repair/answer",
        {
            f"answer-{labour}": "yes",
            f"answer-{part}": "no",
            "how": "signature",
            "signature": signature_png(),
            "badge": "ADV1",
        },
    )
    assert r.status_code == 303, r.get_data(as_text=True)
    html = c.get("/kiosk/workorders/5001/repair?done=answer").get_data(as_text=True)
    assert (
        'id="total-customer">456.00<' in html and 'id="total-tax">59.28<' in html and 'id="total-due">515.28<' in html
    )
    assert re.search(r'id="decision-\d+">.*?Liu Yang', html, re.S) and "signature on the tablet" in html
    assert 'data-status="authorized"' in html and 'data-status="declined"' in html
    _post(
        c, "/kiosk/workorders/5001/repair/lines", {"kind": "labour", "op": "DIAG", "pay": "customer", "badge": "ADV1"}
    )
    html = c.get("/kiosk/workorders/5001/repair").get_data(as_text=True)
    assert html.count("line-again") == 1
    en = c.get("/kiosk/workorders/5001/estimate?lang=en").get_data(as_text=True)
    zh = c.get("/kiosk/workorders/5001/estimate?lang=zh").get_data(as_text=True)
    assert "Front brake pads replace" in en and "The customer pays" in en and 'id="est-due">' in en
    assert "更换前刹车片" in zh and "客户应付" in zh


@pytest.mark.parametrize(
    ("path", "data", "code", "status"),
    [
        ("lines", {"kind": "labour", "op": "NOPE", "pay": "customer", "badge": "ADV1"}, "unknown_operation", 404),
        (
            "lines",
            {"kind": "part", "part_no": "OF-100", "qty": "0", "pay": "customer", "badge": "ADV1"},
            "bad_request_qty",
            400,
        ),
        ("lines", {"kind": "labour", "op": "DIAG", "pay": "gift", "badge": "ADV1"}, "bad_pay_type", 400),
        ("lines", {"kind": "labour", "op": "DIAG", "pay": "customer", "badge": ""}, "no_actor", 403),
        ("lines", {"kind": "labour", "op": "DIAG", "pay": "customer", "badge": "NOBODY"}, "unknown_badge", 403),
        ("lines", {"kind": "labour", "op": "DIAG", "pay": "customer", "badge": "T001"}, "role_denied", 403),
        ("concerns", {"text": "  ", "badge": "ADV1"}, "bad_concern_text", 400),
        ("answer", {"how": "in_person", "badge": "ADV1"}, "no_lines_answered", 400),
    ],
)
def test_repair_order_refusals(garage_client, db, path, data, code, status):
    """GIVEN the repair order WHEN a form has an unknown operation, a quantity of 0, an unknown pay type, no or a wrong
    badge, an empty concern, or an answer naming no line THEN the page says so with the code (4xx), nothing changes."""
    before = (_count(db, RepairLine), _count(db, Concern))
    resp = _post(garage_client, f"/kiosk/workorders/5001/repair/{path}", data)
    assert resp.status_code == status and f'data-code="{code}"' in resp.get_data(as_text=True)
    assert (_count(db, RepairLine), _count(db, Concern)) == before


def _sold_job(client: Any, db: Any) -> tuple[int, int]:
    """Job 5001 with a concern, a labour line said yes to and one declined, started: (yes line, declined line)."""
    from tests.kiosk.helpers import api_scans

    _post(client, "/kiosk/workorders/5001/repair/concerns", {"text": "noise when braking", "badge": "ADV1"})
    for op in ("BRK-FRT", "DIAG"):
        _post(
            client,
            "/kiosk/workorders/5001/repair/lines",
            {"kind": "labour", "op": op, "pay": "customer", "badge": "ADV1"},
        )
    with db.reading() as s:
        yes, no = s.scalars(select(RepairLine.id).order_by(RepairLine.id)).all()
    r = _post(
        client,
        "/kiosk/workorders/5001/repair/answer",
        {f"answer-{yes}": "yes", f"answer-{no}": "no", "how": "phone", "badge": "ADV1"},
    )
    assert r.status_code == 303
    assert all(r["ok"] for r in api_scans(client, "kiosk-1", "U:T001", "WO:5001", "CMD:START"))
    return yes, no


def _tech_id(db: Any, badge: str) -> int:
    with db.reading() as s:
        return int(s.scalar(select(User.id).where(User.badge == badge)))


def test_technician_page_clocks_by_touch_and_scan(garage_client, db, pinned_clock):
    """GIVEN a started job with an authorized labour line WHEN the technician opens their page with their badge, clocks
    on by touch, and after 54 minutes scans CMD:FINISH THEN their clock runs, then the line is done; the board shows
    clocked/sold hours and the reports page their hours and efficiency."""
    from datetime import timedelta

    c = garage_client
    yes, _no = _sold_job(c, db)
    token = csrf_token(c, "/kiosk/technician")
    opened = c.post("/kiosk/technician", data={"csrf_token": token, "badge": "T001"})
    tech = _tech_id(db, "T001")
    assert opened.status_code == 303 and opened.headers["Location"].endswith(f"/kiosk/technician/{tech}")
    assert "T001" not in opened.headers["Location"]
    html = c.get(f"/kiosk/technician/{tech}").get_data(as_text=True)
    assert f'id="tech-on-{yes}"' in html and "Li Wei" in html
    r = _post(c, f"/kiosk/technician/{tech}/clock", {"action": "on", "line": str(yes), "badge": "T001"})
    assert (
        r.status_code == 200
        and "Clocked on." in r.get_data(as_text=True)
        and f'data-on="{yes}"' in r.get_data(as_text=True)
    )
    pinned_clock.advance(timedelta(minutes=54))
    board = c.get("/kiosk/board").get_data(as_text=True)
    assert re.search(r'class="est-hours"[^>]*>0\.9\d?/1\.20 h', board)
    r = _post(c, f"/kiosk/technician/{tech}/clock", {"text": "CMD:FINISH", "badge": "T001"}, lang="zh")
    assert "项目已完工" in r.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(RepairLine.status).where(RepairLine.id == yes)) == "done"
        assert s.scalar(select(func.count()).select_from(ClockRecord).where(ClockRecord.off_at.is_(None))) == 0
    reports = c.get("/kiosk/reports").get_data(as_text=True)
    assert 'id="chart-technicians"' in reports and re.search(
        r"Li Wei.*?0\.90</td><td class=\"num\">1\.20</td>", reports, re.S
    )
    assert "133%" in reports


@pytest.mark.parametrize(
    ("data", "code", "status"),
    [
        ({"action": "on", "line": "DECLINED", "badge": "T001"}, "line_declined", 409),
        ({"action": "on", "line": "999999", "badge": "T001"}, "unknown_op_line", 404),
        ({"text": "OP:abc", "badge": "T001"}, "unknown_op_line", 404),
        ({"text": "hello", "badge": "T001"}, "bad_clock_scan", 400),
        ({"action": "stop", "badge": "T001"}, "not_clocked_on", 409),
        ({"action": "on", "line": "YES", "badge": "ADV1"}, "not_your_page", 403),
        ({"action": "on", "line": "YES", "badge": ""}, "no_actor", 403),
        ({"action": "jump", "badge": "T001"}, "bad_action", 400),
    ],
)
def test_technician_page_refusals(garage_client, db, data, code, status):
    """GIVEN the technician's page WHEN they clock onto a declined or unknown line, scan something else, stop without a
    clock, use another person's badge or none THEN a clear 4xx with the code on the page, and no clock changes."""
    yes, no = _sold_job(garage_client, db)
    tech = _tech_id(db, "T001")
    data = {k: {"DECLINED": str(no), "YES": str(yes)}.get(v, v) for k, v in data.items()}
    resp = _post(garage_client, f"/kiosk/technician/{tech}/clock", data)
    assert resp.status_code == status and f'data-code="{code}"' in resp.get_data(as_text=True)
    assert _count(db, ClockRecord) == 0


def test_declined_work_offered_again_on_the_next_visit(garage_client, db, client):
    """GIVEN a line declined on an earlier, delivered job WHEN the car comes back and reception opens its file THEN the
    declined work is listed and "offer again" adds it as a proposed line on the new job (audited)."""
    _sold_job(garage_client, db)
    with db.writing() as s:
        first = s.scalar(select(WorkOrder).where(WorkOrder.number == "5001"))
        first.status = "delivered"
    resp = client.post("/api/reception", json={"badge": "ADV1", "number": "5002", "plate": "沪A12345", "vin": VIN})
    assert resp.status_code == 201
    html = client.get("/kiosk/vehicles", query_string={"q": VIN}).get_data(as_text=True)
    assert "Offer again on job 5002" in html
    with db.reading() as s:
        no = s.scalar(select(RepairLine.id).where(RepairLine.status == "declined"))
    token = csrf_token(client, "/kiosk/vehicles")
    bad = client.post(
        "/kiosk/vehicles/offer", data={"csrf_token": token, "q": VIN, "job": "5002", "line": "77777", "badge": "ADV1"}
    )
    assert bad.status_code == 404 and 'data-code="unknown_line"' in bad.get_data(as_text=True)
    ok = client.post(
        "/kiosk/vehicles/offer", data={"csrf_token": token, "q": VIN, "job": "5002", "line": str(no), "badge": "ADV1"}
    )
    assert ok.status_code == 200 and 'id="vehicle-done"' in ok.get_data(as_text=True)
    with db.reading() as s:
        job = s.scalar(select(WorkOrder.id).where(WorkOrder.number == "5002"))
        again = s.scalars(select(RepairLine).where(RepairLine.work_order_id == job)).all()
        assert [(ln.kind, ln.status, str(ln.hours)) for ln in again] == [("labour", "proposed", "0.50")]
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "offer_again")) == 1


def test_reprice_after_the_yes_asks_again(garage_client, db):
    """GIVEN a line the customer said yes to WHEN an advisor changes its hours THEN refused (403, a supervisor's act);
    a supervisor without a PIN or with a wrong one is refused too, and nothing changes; an empty change is a 400;
    WHEN the supervisor gives their PIN THEN the line is proposed again and the page says it asks the customer again."""
    from tests.factories import PIN

    yes, _no = _sold_job(garage_client, db)
    path = f"/kiosk/workorders/5001/repair/lines/{yes}"
    for data, code in (
        ({"hours": "1.5", "badge": "ADV1", "pin": PIN}, "role_denied"),
        ({"hours": "1.5", "badge": "SUP1"}, "pin_required"),
        ({"hours": "1.5", "badge": "SUP1", "pin": "0000"}, "bad_pin"),
        ({"badge": "SUP1", "pin": PIN}, "bad_line_field"),
    ):
        refused = _post(garage_client, path, data)
        assert 400 <= refused.status_code < 500 and f'data-code="{code}"' in refused.get_data(as_text=True), code
    with db.reading() as s:
        assert s.scalar(select(RepairLine.status).where(RepairLine.id == yes)) == "authorized"
    page = garage_client.get("/kiosk/workorders/5001/repair").get_data(as_text=True)
    assert f'id="change-{yes}"' in page and "data-pin-pad" in page
    assert _post(garage_client, path, {"hours": "1.5", "badge": "SUP1", "pin": PIN}).status_code == 303
    html = garage_client.get("/kiosk/workorders/5001/repair?done=line_change").get_data(as_text=True)
    assert re.search(rf'id="line-{yes}" data-status="proposed">.*?line-again', html, re.S)
    assert "The line is changed." in html


def test_board_flags_past_75_percent_of_sold_hours(garage_client, db, pinned_clock):
    """GIVEN a technician on a 1.2 h line WHEN 60 minutes are clocked (83 %) THEN the board flags the job for a
    progress check and shows 1.00/1.20 h; at 48 minutes (67 %) it did not."""
    from datetime import timedelta

    from tests.kiosk.helpers import api_scans

    yes, _no = _sold_job(garage_client, db)
    assert api_scans(garage_client, "kiosk-1", "U:T001", f"OP:{yes}")[-1]["code"] == "clocked_on"
    pinned_clock.advance(timedelta(minutes=48))
    row = re.search(r'<tr class="([^"]*)" id="job-5001"', garage_client.get("/kiosk/board").get_data(as_text=True))
    assert row and "job-check" not in row.group(1)
    pinned_clock.advance(timedelta(minutes=12))
    board = garage_client.get("/kiosk/board").get_data(as_text=True)
    row = re.search(r'<tr class="([^"]*)" id="job-5001"', board)
    assert row and "job-check" in row.group(1)
    assert re.search(r'class="est-hours"[^>]*>1\.00/1\.20 h', board)


def test_declining_a_safety_item_needs_the_signature(garage_client, db):
    """GIVEN a proposed safety line WHEN the customer declines it by phone, or with a signature that is not a PNG THEN
    refused (409 / 400) and the line stays proposed; WHEN declined with the pad's signature THEN it is declined."""
    _post(
        garage_client,
        "/kiosk/workorders/5001/repair/lines",
        {"kind": "labour", "op": "BRK-FRT", "pay": "customer", "safety": "on", "badge": "ADV1"},
    )
    with db.reading() as s:
        line = s.scalar(select(RepairLine.id))
    by_phone = _post(
        garage_client, "/kiosk/workorders/5001/repair/answer", {f"answer-{line}": "no", "how": "phone", "badge": "ADV1"}
    )
    assert by_phone.status_code == 409 and 'data-code="safety_needs_signature"' in by_phone.get_data(as_text=True)
    junk = {f"answer-{line}": "no", "how": "signature", "signature": "data:image/png;base64,aGVsbG8=", "badge": "ADV1"}
    bad = _post(garage_client, "/kiosk/workorders/5001/repair/answer", junk)
    assert bad.status_code == 400 and 'data-code="bad_signature"' in bad.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(RepairLine.status)) == "proposed"
    signed = {f"answer-{line}": "no", "how": "signature", "signature": signature_png(), "badge": "ADV1"}
    assert _post(garage_client, "/kiosk/workorders/5001/repair/answer", signed).status_code == 303
    with db.reading() as s:
        assert s.scalar(select(RepairLine.status)) == "declined"


@pytest.mark.parametrize(
    "path", ["/kiosk/workorders/NOPE/repair", "/kiosk/workorders/NOPE/estimate", "/kiosk/technician/999999"]
)
def test_unknown_job_or_person_is_a_404(garage_client, path):
    """GIVEN the kiosk WHEN a repair order, an estimate or a technician's page of nothing is asked for THEN 404."""
    assert garage_client.get(path).status_code == 404
