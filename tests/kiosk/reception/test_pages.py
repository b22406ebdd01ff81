"""SPEC 9.4 kiosk pages through the Flask client: reception form, job card, hand-over, keys out, board."""

from __future__ import annotations

from sqlalchemy import func, select

from floor.models import WorkOrder
from tests.core.workorders.helpers import job, scan
from tests.kiosk.helpers import csrf_token
from tests.web.reception.helpers import car, data_url


def test_reception_form_creates_job_and_shows_card(workshop, client):
    """GIVEN the reception form WHEN filled in and sent THEN the job exists with every field and the A4 card shows
    its plate and WO: barcode; a bad fuel value shows the refusal and writes nothing."""
    token = csrf_token(client, "/kiosk/reception")
    form = {k: str(v) for k, v in car().items() if k != "number"}
    r = client.post("/kiosk/reception", data={**form, "csrf_token": token})
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    html = r.get_data(as_text=True)
    assert "沪B67890" in html and "WO:261123-001" in html and "/kiosk/labels/preview/wo/261123-001.svg" in html
    info = job(workshop, "261123-001")
    assert (info["mileage"], info["fuel_pct"], info["old_parts"], info["wash"], info["advisor"]) == (
        45210,
        40,
        "return",
        True,
        "Liu Yang",
    )
    assert [t["code"] for t in info["tags"]] == ["KEY-2001"]
    with workshop.reading() as s:
        before = s.scalar(select(func.count()).select_from(WorkOrder))
    r = client.post("/kiosk/reception", data={**form, "fuel_pct": "130", "key_tag": "", "csrf_token": token})
    assert r.status_code == 400 and 'data-code="fuel_out_of_range"' in r.get_data(as_text=True)
    with workshop.reading() as s:
        assert s.scalar(select(func.count()).select_from(WorkOrder)) == before
    r = client.post("/kiosk/reception?lang=zh", data={**form, "mileage": "-3", "key_tag": "", "csrf_token": token})
    assert r.status_code == 400 and "里程" in r.get_data(as_text=True)
    card = client.get("/kiosk/workorders/261123-001/card").get_data(as_text=True)
    assert "@page" not in card and "jobcard.css" in card and "child seat, umbrella" in card


def test_delivery_page_signature_and_deliver(workshop, service, client):
    """GIVEN a job ready for hand-over WHEN the page is opened, a signature posted and DELIVER pressed THEN the
    page lists parts, cores and stages, keeps the signature and links the gate pass."""
    assert client.post("/api/reception", json=car()).status_code == 201
    scan(service, "U:T001", "WO:2001", "P:OF-100", "CMD:START", "CMD:QC", "U:SUP1", "CMD:PASS", "CMD:READY")
    html = client.get("/kiosk/delivery/2001").get_data(as_text=True)
    assert 'id="sig-pad"' in html and "OF-100" in html and 'id="delivery-stages"' in html
    token = csrf_token(client, "/kiosk/delivery/2001")
    sign = {"png": data_url(), "badge": "ADV1"}
    r = client.post("/kiosk/delivery/2001/signature", json=sign, headers={"X-CSRFToken": token})
    assert r.status_code == 201 and r.get_json()["signed"] is True
    bad = {"png": "data:image/png;base64,AAAA", "badge": "ADV1"}
    r = client.post("/kiosk/delivery/2001/signature", json=bad, headers={"X-CSRFToken": token})
    assert r.status_code == 400 and r.get_json()["code"] == "bad_signature"
    r = client.post("/kiosk/delivery/2001", data={"badge": "T001", "csrf_token": token})
    assert r.status_code == 403 and 'data-code="role_denied"' in r.get_data(as_text=True)
    r = client.post("/kiosk/delivery/2001", data={"badge": "ADV1", "csrf_token": token})
    assert r.status_code == 200 and 'id="gatepass-link"' in r.get_data(as_text=True)
    assert job(workshop, "2001")["status"] == "delivered" and job(workshop, "2001")["signed"] is True


def test_keys_out_on_alerts_and_board(workshop, service, client):
    """GIVEN a key out to T002 WHEN the alerts' keys partial and the board are shown THEN both name the holder."""
    client.post("/api/workorders/1001/tags", json={"code": "FOB-1", "kind": "key"})
    scan(service, "U:T002", "FOB-1", station="keys-1")
    html = client.get("/kiosk/keys").get_data(as_text=True)
    assert 'id="key-out-1001"' in html and "Zhang Min" in html
    assert 'id="keys-live"' in client.get("/kiosk/alerts").get_data(as_text=True)
    board = client.get("/kiosk/board").get_data(as_text=True)
    row = board[board.index('id="job-1001"') :]
    assert 'class="key-holder">Zhang Min<' in row[: row.index("</tr>")]
