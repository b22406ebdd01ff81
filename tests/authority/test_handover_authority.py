"""Hand-over and QC under the one role table (SPEC 9.1, 9.4): every path that signs or delivers needs `handover`,
a FAIL is checked as QC only, and the kiosk's reception and hand-over writes are audited once with badge and station.

Each refusal changes nothing (no signature, no status move, no audit entry); each acceptance is audited.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from floor.application.scan_service import ScanService
from floor.core import enrolment
from floor.core.master import Importer
from floor.core.workorders.status import Status, move_action
from floor.models import AuditEntry, JobSignature, ScanEvent, User, WorkOrder
from floor.service.factory import create_app
from tests.authority.conftest import audit_count
from tests.core.workorders.helpers import codes, job, scan, snapshot
from tests.fixtures.reception import reception_config
from tests.kiosk.helpers import csrf_token
from tests.web.reception.helpers import car, data_url


@pytest.fixture
def shop(shop: Any) -> Any:
    """The small workshop plus foreman F001 (final inspection) and a core bin."""
    with shop.writing() as s:
        imp = Importer(s)
        imp.apply("users", {"badge": "F001", "name": "Zhao Lei", "role": "foreman"})
        imp.apply("locations", {"code": "CORE-01", "name": "Core cage", "zone": "Z", "kind": "core"})
        imp.finish()
    return shop


class Site:
    """A site with its `[roles]` (and kiosk enrolment), its scan service and an HTTP client."""

    def __init__(self, db: Any, roles: dict[str, list[str]] | None = None, enrol: str | None = None) -> None:
        self.db = db
        self.cfg = reception_config(roles=roles or {})
        self.service = ScanService(self.cfg, db)
        self.client = create_app(self.cfg, db, {"TESTING": True}).test_client()
        if enrol:  # bind this browser to a station, as `floor kiosk enrol` does
            with db.writing() as s:
                token = enrolment.issue(s, enrol, 600)
            assert self.client.get(f"/kiosk/enrol/{token}").status_code == 200

    def scan(self, *texts: str, station: str = "counter-1") -> list[str]:
        """Scan texts at a station; their result codes."""
        return codes(scan(self.service, *texts, station=station))

    def ready(self, number: str) -> None:
        """A technician repairs the job, the supervisor passes final inspection and sets it ready."""
        assert self.scan("U:T001", f"WO:{number}", "CMD:START", "CMD:QC")[-1] == "status_changed"
        assert self.scan("U:SUP1", f"WO:{number}", "CMD:PASS", "CMD:READY")[-1] == "status_changed"

    def sign(self, number: str, badge: str | None, lang: str = "") -> Any:
        """Keep a signature from the kiosk's pad, as signature.js posts it."""
        token = csrf_token(self.client, f"/kiosk/delivery/{number}")
        body: dict[str, Any] = {"png": data_url()}
        if badge is not None:
            body["badge"] = badge
        return self.client.post(f"/kiosk/delivery/{number}/signature{lang}", json=body, headers={"X-CSRFToken": token})


def signatures(db: Any) -> int:
    """How many signatures are kept."""
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(JobSignature)) or 0)


def entries_after(db: Any, count: int) -> list[tuple[str, str, dict[str, Any]]]:
    """The audit entries written after the first `count`: (actor, action, details)."""
    with db.reading() as s:
        rows = s.scalars(select(AuditEntry).order_by(AuditEntry.id).offset(count))
        return [(e.actor, e.action, json.loads(e.details or "{}")) for e in rows]


# -- the core's one check ---------------------------------------------------------------------------------
def test_move_actions_name_handover_and_the_qc_verdict():
    """GIVEN the status machine THEN DELIVER is `handover` from wherever, a FAIL's move back is `pass_qc`, and the
    same move made as a plain status change is still `move_job`."""
    assert move_action(Status.READY, Status.DELIVERED) == "handover"
    assert move_action(Status.QC, Status.IN_PROGRESS, verdict=True) == "pass_qc"
    assert move_action(Status.QC, Status.IN_PROGRESS) == "move_job"
    assert move_action(Status.QC, Status.READY) == "pass_qc"
    assert move_action(Status.RECEIVED, Status.IN_PROGRESS) == "move_job"
    assert move_action(Status.READY, Status.CANCELLED) == "cancel_job"


# -- 1. the kiosk's signature pad -------------------------------------------------------------------------
def test_kiosk_signature_needs_a_badge_allowed_handover(shop):
    """GIVEN a ready job on an enrolled hand-over kiosk WHEN the pad's signature comes with no badge, an unknown one
    or a technician's THEN 403 with the code and what to do next (en and zh), nothing kept and no audit entry;
    WHEN with the advisor's THEN kept and audited once with the badge and the kiosk's station."""
    site = Site(shop, enrol="kiosk-1")
    site.ready("1001")
    before, audits = snapshot(shop), audit_count(shop)
    for badge, code in ((None, "no_actor"), ("   ", "no_actor"), ("NOPE", "unknown_badge"), ("T001", "role_denied")):
        r = site.sign("1001", badge)
        body = r.get_json()
        assert r.status_code == 403 and body["code"] == code, (badge, body)
        assert "Service advisor / Foreman / Supervisor" in body["hint"] and "Your badge" in body["hint"], body
    r = site.sign("1001", "T001", lang="?lang=zh")
    assert r.status_code == 403 and r.get_json()["error"].startswith("Li Wei 是技师")
    assert "交车需要服务顾问 / 车间主管 / 主管的工牌" in r.get_json()["hint"]
    r = site.sign("1001", 42)  # type: ignore[arg-type]  # not text: refused like a missing badge, never a 500
    assert r.status_code == 403 and r.get_json()["code"] == "no_actor"
    assert signatures(shop) == 0 and snapshot(shop) == before and audit_count(shop) == audits
    r = site.sign("1001", "ADV1")
    assert r.status_code == 201 and r.get_json()["signed"] is True
    assert signatures(shop) == 1
    [(actor, action, details)] = entries_after(shop, audits)
    assert (actor, action, details["station"]) == ("U:ADV1", "signature", "kiosk-1")


def test_kiosk_signature_follows_the_sites_handover_row(shop):
    """GIVEN `[roles] handover = ["storekeeper", "supervisor"]` WHEN the advisor signs on the kiosk or by API THEN
    role_denied and nothing kept; the storekeeper's signature on the kiosk is kept and audited."""
    site = Site(shop, {"handover": ["storekeeper", "supervisor"]})
    site.ready("1001")
    audits = audit_count(shop)
    r = site.sign("1001", "ADV1")
    assert r.status_code == 403 and r.get_json()["code"] == "role_denied"
    assert "Storekeeper / Supervisor" in r.get_json()["hint"]
    r = site.client.post("/api/workorders/1001/signature", json={"png": data_url(), "badge": "ADV1"})
    assert r.status_code == 403 and r.get_json()["code"] == "role_denied"
    assert signatures(shop) == 0 and audit_count(shop) == audits
    r = site.sign("1001", "S001")
    assert r.status_code == 201
    [(actor, action, details)] = entries_after(shop, audits)
    assert (actor, action, details["station"]) == ("U:S001", "signature", None)  # this browser is not enrolled


def test_hand_over_page_asks_for_the_badge_and_says_what_to_do(shop):
    """GIVEN the hand-over page WHEN shown (en, zh) THEN it asks for the badge before the pad; WHEN DELIVER is sent
    with no badge THEN 403 no_actor with the next step, nothing changes, no audit entry."""
    site = Site(shop)
    site.ready("1001")
    html = site.client.get("/kiosk/delivery/1001").get_data(as_text=True)
    assert html.index('id="deliver-badge"') < html.index('id="sig-pad"') and 'form="deliver-form"' in html
    assert "Scan or type your badge first" in html and "Service advisor / Foreman / Supervisor" in html
    zh = site.client.get("/kiosk/delivery/1001?lang=zh").get_data(as_text=True)
    assert "请先扫描或输入您的工牌" in zh
    before, audits = snapshot(shop), audit_count(shop)
    token = csrf_token(site.client, "/kiosk/delivery/1001")
    r = site.client.post("/kiosk/delivery/1001", data={"badge": "", "csrf_token": token})
    page = r.get_data(as_text=True)
    assert r.status_code == 403 and 'data-code="no_actor"' in page and 'id="delivery-hint"' in page
    r = site.client.post("/kiosk/delivery/1001?lang=zh", data={"badge": "T001", "csrf_token": token})
    page = r.get_data(as_text=True)
    assert r.status_code == 403 and 'data-code="role_denied"' in page and "交车需要" in page
    assert snapshot(shop) == before and audit_count(shop) == audits


def test_kiosk_delivery_and_reception_are_audited_once_with_the_station(shop):
    """GIVEN a browser enrolled as kiosk-1 WHEN the advisor receives a car and delivers a job on the kiosk THEN each
    write left exactly one audit entry, with the badge and the station; a reception with no badge is refused with
    the next step and writes nothing."""
    site = Site(shop, enrol="kiosk-1")
    token = csrf_token(site.client, "/kiosk/reception")
    form = {k: str(v) for k, v in car(key_tag=None).items() if v is not None and k != "badge"}
    audits = audit_count(shop)
    r = site.client.post("/kiosk/reception", data={**form, "csrf_token": token})
    page = r.get_data(as_text=True)
    assert r.status_code == 403 and 'data-code="no_actor"' in page and "Receiving a car needs the badge" in page
    assert audit_count(shop) == audits
    with shop.reading() as s:
        assert s.scalar(select(WorkOrder.id).where(WorkOrder.number == "2001")) is None
    r = site.client.post("/kiosk/reception", data={**form, "badge": "ADV1", "csrf_token": token})
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    [(actor, action, details)] = entries_after(shop, audits)
    assert (actor, action, details["station"]) == ("U:ADV1", "reception", "kiosk-1")
    site.ready("1001")
    audits = audit_count(shop)
    token = csrf_token(site.client, "/kiosk/delivery/1001")
    r = site.client.post("/kiosk/delivery/1001", data={"badge": "ADV1", "csrf_token": token})
    assert r.status_code == 200 and job(shop)["status"] == "delivered"
    [(actor, action, details)] = entries_after(shop, audits)
    assert (actor, action, details["station"]) == ("U:ADV1", "deliver", "kiosk-1")


# -- 2. every path that delivers ------------------------------------------------------------------------------
def test_deliver_by_scan_needs_handover(shop):
    """GIVEN ready jobs WHEN a technician or a storekeeper scans DELIVER, or nobody at the badge-free kiosk THEN
    role_denied and nothing changes; WHEN the advisor does THEN delivered, the scan logged with the advisor."""
    site = Site(shop)
    site.ready("1001")
    before = snapshot(shop)
    assert site.scan("U:T001", "WO:1001", "CMD:DELIVER") == ["actor_set", "wo_set", "role_denied"]
    assert site.scan("U:S001", "WO:1001", "CMD:DELIVER") == ["actor_set", "wo_set", "role_denied"]
    assert site.scan("WO:1001", "CMD:DELIVER", station="kiosk-1")[-1] == "role_denied"  # no badge
    assert snapshot(shop) == before
    assert site.scan("U:ADV1", "WO:1001", "CMD:DELIVER") == ["actor_set", "wo_set", "status_changed"]
    assert job(shop)["status"] == "delivered"
    with shop.reading() as s:
        last = s.scalars(select(ScanEvent).order_by(ScanEvent.id.desc())).first()
        adv = s.scalar(select(User.id).where(User.badge == "ADV1"))
        assert last is not None and (last.code, last.actor_id) == ("status_changed", adv)


def test_deliver_by_status_api_needs_handover(shop):
    """GIVEN a ready job WHEN `POST /api/workorders/<n>/status` delivers it with a technician's badge or none
    THEN 403 role_denied, nothing changes, no audit entry; with the foreman's THEN delivered and audited."""
    site = Site(shop)
    site.ready("1001")
    before, audits = snapshot(shop), audit_count(shop)
    for body in ({"status": "delivered", "badge": "T001"}, {"status": "delivered"}):
        r = site.client.post("/api/workorders/1001/status", json=body)
        assert r.status_code == 403 and r.get_json()["code"] == "role_denied", r.get_json()
    assert snapshot(shop) == before and audit_count(shop) == audits
    r = site.client.post("/api/workorders/1001/status", json={"status": "delivered", "badge": "F001"})
    assert r.status_code == 200 and r.get_json()["status"] == "delivered"
    assert [(a, b) for a, b, _ in entries_after(shop, audits)] == [("U:F001", "workorders_api.handover")]


@pytest.mark.parametrize("path", ["scan", "api", "kiosk"])
def test_deliver_follows_the_sites_handover_row_on_every_path(shop, path):
    """GIVEN `[roles] handover = ["technician", "supervisor"]` WHEN the advisor delivers by scan, API or kiosk THEN
    refused and nothing changes; WHEN the technician does THEN delivered (plain moves are still `move_job`)."""
    site = Site(shop, {"handover": ["technician", "supervisor"]})
    site.ready("1001")
    before, audits = snapshot(shop), audit_count(shop)

    def deliver(badge: str) -> bool:
        if path == "scan":
            return site.scan(f"U:{badge}", "WO:1001", "CMD:DELIVER")[-1] == "status_changed"
        if path == "api":
            r = site.client.post("/api/workorders/1001/deliver", json={"badge": badge})
        else:
            token = csrf_token(site.client, "/kiosk/delivery/1001")
            r = site.client.post("/kiosk/delivery/1001", data={"badge": badge, "csrf_token": token})
        assert r.status_code in (200, 403), r.get_data(as_text=True)[:300]
        return r.status_code == 200

    assert deliver("ADV1") is False
    assert snapshot(shop) == before and audit_count(shop) == audits
    assert deliver("T001") is True
    assert job(shop)["status"] == "delivered"
    if path != "scan":  # scans are audited by their own event log
        assert ("U:T001", "deliver") in [(a, b) for a, b, _ in entries_after(shop, audits)]
    assert site.scan("U:ADV1", "WO:1002", "CMD:START")[-1] == "status_changed"  # move_job untouched


# -- 3. a FAIL is QC, not a plain move ------------------------------------------------------------------------
def test_fail_needs_no_move_job(shop):
    """GIVEN `[roles] move_job` withdrawn from foremen WHEN the foreman FAILs a job by scan and by API THEN both
    are accepted (the move back is part of QC) and the API's is audited; a plain move by the foreman is refused."""
    roles = {"move_job": ["technician", "storekeeper", "supervisor", "advisor"]}
    site = Site(shop, roles)
    assert site.scan("U:T001", "WO:1001", "CMD:START", "CMD:QC")[-1] == "status_changed"
    assert site.scan("U:T002", "WO:1002", "CMD:START", "CMD:QC")[-1] == "status_changed"
    assert site.scan("U:F001", "WO:1001", "CMD:FAIL") == ["actor_set", "wo_set", "qc_failed"]
    assert job(shop, "1001")["status"] == "in_progress" and job(shop, "1001")["qc"]["rework"] == 1
    audits = audit_count(shop)
    r = site.client.post("/api/workorders/1002/qc", json={"badge": "F001", "result": "fail", "reason": "noise"})
    assert r.status_code == 200 and r.get_json()["status"] == "in_progress", r.get_json()
    assert [(a, b) for a, b, _ in entries_after(shop, audits)] == [("U:F001", "qc.fail")]
    before = snapshot(shop)
    assert site.scan("U:F001", "WO:1001", "CMD:HOLD")[-1] == "role_denied"  # other moves stay `move_job`
    assert snapshot(shop) == before


def test_fail_is_refused_with_pass_qc_withdrawn_even_with_move_job(shop):
    """GIVEN `[roles] pass_qc = ["supervisor"]` WHEN the foreman (who may move jobs) FAILs by scan or API THEN
    role_denied, the job stays in qc, no rework and no audit entry."""
    site = Site(shop, {"pass_qc": ["supervisor"]})
    assert site.scan("U:T001", "WO:1001", "CMD:START", "CMD:QC")[-1] == "status_changed"
    before, audits = snapshot(shop), audit_count(shop)
    assert site.scan("U:F001", "WO:1001", "CMD:FAIL")[-1] == "role_denied"
    r = site.client.post("/api/workorders/1001/qc", json={"badge": "F001", "result": "fail", "reason": "noise"})
    assert r.status_code == 403 and r.get_json()["code"] == "role_denied"
    assert snapshot(shop) == before and audit_count(shop) == audits
    assert job(shop)["qc"]["rework"] == 0
