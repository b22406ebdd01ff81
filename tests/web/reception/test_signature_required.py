"""[delivery] require_signature: DELIVER needs the customer's signature, by scan and API."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from floor.models import JobSignature
from tests.core.workorders.helpers import codes, job, scan, snapshot
from tests.fixtures.reception import reception_config
from tests.web.reception.helpers import data_url, png


@pytest.fixture
def cfg():  # type: ignore[no-untyped-def]
    """This module's sites require the customer's signature at hand-over."""
    return reception_config(delivery={"require_signature": True})


def test_deliver_needs_signature_when_required(workshop, service, client):
    """GIVEN [delivery] require_signature WHEN DELIVER by scan or API without one THEN signature_required and
    nothing changes; a bad image is refused; with a signature the job is delivered."""
    scan(service, "U:T001", "WO:1001", "CMD:START", "CMD:QC", "U:SUP1", "CMD:PASS", "CMD:READY")
    before = snapshot(workshop)
    res = scan(service, "CMD:DELIVER")
    assert codes(res) == ["signature_required"] and "签字" in res[0].message_zh
    r = client.post("/api/workorders/1001/deliver", json={"badge": "ADV1"})
    assert r.status_code == 409 and r.get_json()["code"] == "signature_required"
    r = client.post("/api/workorders/1001/status", json={"status": "delivered", "badge": "ADV1"})
    assert r.status_code == 409 and r.get_json()["code"] == "signature_required"
    for bad in (
        data_url(b"GIF89a not a png"),
        data_url(png()[:-20]),
        data_url(png(5, 5)),
        "data:text/plain;base64,AAAA",
    ):
        r = client.post("/api/workorders/1001/signature", json={"badge": "ADV1", "png": bad})
        assert r.status_code == 400 and r.get_json()["code"] == "bad_signature", r.get_json()
    assert snapshot(workshop) == before
    with workshop.reading() as s:
        assert s.scalar(select(func.count()).select_from(JobSignature)) == 0
    r = client.post("/api/workorders/1001/signature", json={"badge": "ADV1", "png": data_url()})
    assert r.status_code == 201 and r.get_json()["width"] == 200
    assert codes(scan(service, "CMD:DELIVER")) == ["status_changed"]
    assert job(workshop)["status"] == "delivered"
