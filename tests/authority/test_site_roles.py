"""A site's `[roles]` overrides reach the core's own checks (SPEC 9.1): QC, keys, hand-over, reception, sales.

Each path is driven end to end (scan, API or kiosk form) under a site table that GRANTS an action to a
role the defaults refuse, and one that WITHDRAWS it from a role the defaults allow. A grant proves the
core no longer refuses what the web layer let through; a withdrawal on a path without a web-layer role
gate (a scan, a kiosk form) proves the core refuses on its own. Accepted writes keep their audit entry;
refused ones change nothing and write none.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from floor import clock
from floor.application.scan_service import ScanService
from floor.core.authority import RoleTable
from floor.core.master import Importer
from floor.core.sales import claims as claim_rules
from floor.core.sales import orders
from floor.core.sales.errors import SaleError
from floor.core.workorders import WorkOrderError, handover, keys, qc
from floor.models import Sale, User, WorkOrder
from floor.service.factory import create_app
from tests.authority.conftest import audit_count, audit_rows
from tests.core.workorders.helpers import codes, job, scan, snapshot
from tests.fixtures.reception import reception_config
from tests.kiosk.helpers import csrf_token
from tests.web.reception.helpers import car
from tests.web.sales.conftest import PRICES


@pytest.fixture
def site(shop: Any) -> Any:
    """The small shop plus foreman F001, a core bin and sell prices (so sales can be quoted)."""
    from decimal import Decimal

    from sqlalchemy import update

    from floor.core.sales.customers import upsert_customer
    from floor.models import Part

    with shop.writing() as s:
        imp = Importer(s)
        imp.apply("users", {"badge": "F001", "name": "Zhao Lei", "role": "foreman"})
        imp.apply("locations", {"code": "CORE-01", "name": "Core cage", "zone": "Z", "kind": "core"})
        imp.finish()
        for part_no, (price, core) in PRICES.items():
            s.execute(
                update(Part)
                .where(Part.part_no == part_no)
                .values(sell_price=Decimal(price), core_charge=Decimal(core) if core else None)
            )
        upsert_customer(s, "R1", "Walk-in Ma", "13800000000", "retail")
    return shop


class Site:
    """One site's config with its `[roles]`, and the scan service and HTTP client built from it."""

    def __init__(self, db: Any, roles: dict[str, list[str]]) -> None:
        self.cfg = reception_config(roles=roles)
        self.service = ScanService(self.cfg, db)
        self.client = create_app(self.cfg, db, {"TESTING": True}).test_client()

    def scan(self, *texts: str, station: str = "counter-1") -> list[str]:
        """Scan texts at a station; their result codes."""
        return codes(scan(self.service, *texts, station=station))


def _to_qc(site: Site, number: str, tech: str = "U:T001") -> None:
    """A technician starts the job and hands it to final inspection."""
    assert site.scan(tech, f"WO:{number}", "CMD:START", "CMD:QC")[-1] == "status_changed"


# -- final inspection (floor.core.workorders.qc) ---------------------------------------------------------
def test_pass_qc_granted_to_advisors_by_scan_and_api(site):
    """GIVEN `[roles] pass_qc` adding advisors WHEN the advisor PASSes by scan and by API THEN both pass
    (the core used the defaults and refused what the web had allowed); the API's verdict is audited."""
    s = Site(site, {"pass_qc": ["advisor", "foreman", "supervisor"]})
    _to_qc(s, "1001")
    assert s.scan("U:ADV1", "WO:1001", "CMD:PASS") == ["actor_set", "wo_set", "qc_passed"]
    assert job(site, "1001")["qc"]["passed_by"] == {"name": "Liu Yang", "role": "advisor"}
    _to_qc(s, "1002", "U:T002")
    r = s.client.post("/api/workorders/1002/qc", json={"badge": "ADV1", "result": "pass"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["qc"]["passed_by"] == {"name": "Liu Yang", "role": "advisor"}
    assert ("U:ADV1", "qc.pass") in audit_rows(site)
    # The other verdict goes through the same table (its move back to work is part of it: `pass_qc` too).
    r = s.client.post("/api/workorders/1002/qc", json={"badge": "ADV1", "result": "fail", "reason": "noise"})
    assert r.status_code == 200 and r.get_json()["status"] == "in_progress", r.get_json()


def test_pass_qc_withdrawn_from_foremen_by_scan_and_api(site):
    """GIVEN `[roles] pass_qc = ["supervisor"]` WHEN the foreman PASSes or FAILs by scan or API THEN role_denied
    and nothing changes (the scan had only the core's check, which used the defaults); the supervisor passes."""
    s = Site(site, {"pass_qc": ["supervisor"]})
    _to_qc(s, "1001")
    before, audits = snapshot(site), audit_count(site)
    assert s.scan("U:F001", "WO:1001", "CMD:PASS", "CMD:FAIL") == ["actor_set", "wo_set", "role_denied", "role_denied"]
    for result in ("pass", "fail"):
        r = s.client.post("/api/workorders/1001/qc", json={"badge": "F001", "result": result, "reason": "x"})
        assert r.status_code == 403 and r.get_json()["code"] == "role_denied", r.get_json()
    assert snapshot(site) == before and audit_count(site) == audits
    assert s.scan("U:SUP1", "WO:1001", "CMD:PASS")[-1] == "qc_passed"


def test_qc_core_functions_refuse_without_the_web(site):
    """GIVEN a withdrawn `pass_qc` WHEN the core's PASS and FAIL are called directly THEN role_denied."""
    table = RoleTable.with_overrides({"pass_qc": ["supervisor"]})
    _to_qc(Site(site, {}), "1001")
    with site.writing() as s:
        wo = s.scalar(select(WorkOrder).where(WorkOrder.number == "1001"))
        foreman = s.scalar(select(User).where(User.badge == "F001"))
        for call in (
            lambda: qc.pass_qc(s, wo, foreman, clock.now(), roles=table),
            lambda: qc.fail_qc(s, wo, foreman, clock.now(), "noise", roles=table),
        ):
            with pytest.raises(WorkOrderError) as err:
                call()
            assert err.value.code == "role_denied"


# -- the key cabinet (floor.core.workorders.keys) --------------------------------------------------------
def test_key_checkout_withdrawn_from_technicians_by_scan_and_api(site):
    """GIVEN `[roles] key_checkout` without technicians (by default everyone) WHEN a technician takes the key at
    the cabinet or by API THEN role_denied and the key stays in; an advisor takes it, audited by API."""
    s = Site(site, {"key_checkout": ["advisor", "foreman", "supervisor"]})
    r = s.client.post("/api/workorders/1001/tags", json={"code": "KEY-1001", "kind": "key"})
    assert r.status_code == 201, r.get_json()
    assert s.scan("U:T001", "KEY-1001", station="keys-1") == ["actor_set", "role_denied"]
    r = s.client.post("/api/workorders/1001/key", json={"action": "out", "badge": "T001"})
    assert r.status_code == 403 and r.get_json()["code"] == "role_denied"
    assert job(site, "1001")["key"]["holder"] is None
    assert s.scan("U:ADV1", "KEY-1001", station="keys-1") == ["actor_set", "key_out"]
    assert s.scan("KEY-1001", station="keys-1") == ["key_in"]
    r = s.client.post("/api/workorders/1001/key", json={"action": "out", "badge": "F001"})
    assert r.status_code == 200 and r.get_json()["key"]["holder"] == {"name": "Zhao Lei", "role": "foreman"}
    assert ("U:F001", "key.out") in audit_rows(site)
    with site.writing() as db:
        wo = db.scalar(select(WorkOrder).where(WorkOrder.number == "1002"))
        tech = db.scalar(select(User).where(User.badge == "T001"))
        with pytest.raises(WorkOrderError) as err:
            keys.check_out(db, wo, "api:1002", tech, clock.now(), roles=s.cfg.role_table())
        assert err.value.code == "role_denied"


# -- hand-over (floor.core.workorders.handover) ----------------------------------------------------------
def _ready(site: Site, number: str) -> None:
    _to_qc(site, number)
    assert site.scan("U:SUP1", f"WO:{number}", "CMD:PASS", "CMD:READY")[-1] == "status_changed"


def test_handover_granted_to_storekeepers_by_api(site):
    """GIVEN `[roles] handover` adding storekeepers WHEN the storekeeper delivers by API THEN delivered and
    audited (the web allowed it before, the core's default table refused it)."""
    s = Site(site, {"handover": ["storekeeper", "advisor", "foreman", "supervisor"]})
    _ready(s, "1001")
    r = s.client.post("/api/workorders/1001/deliver", json={"badge": "S001"})
    assert r.status_code == 200, r.get_json()
    assert job(site, "1001")["status"] == "delivered"
    assert ("U:S001", "deliver") in audit_rows(site)


def test_handover_withdrawn_from_advisors_on_the_kiosk_and_api(site):
    """GIVEN `[roles] handover = ["supervisor"]` WHEN the advisor delivers on the kiosk's hand-over page (no web
    role gate there) or by API THEN role_denied, still ready, nothing audited; the supervisor delivers."""
    s = Site(site, {"handover": ["supervisor"]})
    _ready(s, "1001")
    before, audits = snapshot(site), audit_count(site)
    token = csrf_token(s.client, "/kiosk/delivery/1001")
    r = s.client.post("/kiosk/delivery/1001", data={"badge": "ADV1", "csrf_token": token})
    assert r.status_code == 403 and 'data-code="role_denied"' in r.get_data(as_text=True)
    r = s.client.post("/api/workorders/1001/deliver", json={"badge": "ADV1"})
    assert r.status_code == 403 and r.get_json()["code"] == "role_denied"
    assert snapshot(site) == before and audit_count(site) == audits
    r = s.client.post("/kiosk/delivery/1001", data={"badge": "SUP1", "csrf_token": token})
    assert r.status_code == 200 and job(site, "1001")["status"] == "delivered"
    assert ("U:SUP1", "deliver") in audit_rows(site)
    with site.writing() as db:
        wo = db.scalar(select(WorkOrder).where(WorkOrder.number == "1002"))
        adv = db.scalar(select(User).where(User.badge == "ADV1"))
        with pytest.raises(WorkOrderError) as err:
            handover.deliver(db, wo, adv, clock.now(), roles=s.cfg.role_table())
        assert err.value.code == "role_denied"


# -- reception (floor.core.master.receive_car, asked by the API, the kiosk form and an arrival) ------------
def _jobs(db: Any) -> list[str]:
    with db.reading() as s:
        return sorted(s.scalars(select(WorkOrder.number)))


def test_reception_granted_to_storekeepers_by_api(site):
    """GIVEN `[roles] reception` adding storekeepers WHEN the storekeeper receives a car by API THEN 201, audited."""
    s = Site(site, {"reception": ["storekeeper", "advisor", "foreman", "supervisor"]})
    r = s.client.post("/api/reception", json=car(badge="S001", key_tag=None))
    assert r.status_code == 201, r.get_json()
    assert "2001" in _jobs(site) and ("U:S001", "reception") in audit_rows(site)


def test_reception_withdrawn_from_advisors_on_the_kiosk_and_api(site):
    """GIVEN `[roles] reception = ["supervisor"]` WHEN the advisor receives on the kiosk form (whose only role
    check is the shared one) or by API THEN role_denied and no job; the supervisor's form is accepted."""
    s = Site(site, {"reception": ["supervisor"]})
    before, audits = _jobs(site), audit_count(site)
    token = csrf_token(s.client, "/kiosk/reception")
    form = {k: str(v) for k, v in car(key_tag="").items()}
    r = s.client.post("/kiosk/reception", data={**form, "csrf_token": token})
    assert r.status_code == 403 and 'data-code="role_denied"' in r.get_data(as_text=True)
    r = s.client.post("/api/reception", json=car(key_tag=None))
    assert r.status_code == 403 and r.get_json()["code"] == "role_denied"
    assert _jobs(site) == before and audit_count(site) == audits
    r = s.client.post("/kiosk/reception", data={**form, "badge": "SUP1", "csrf_token": token})
    assert r.status_code == 200 and "2001" in _jobs(site) and ("U:SUP1", "reception") in audit_rows(site)


def test_reception_core_refuses_without_the_role(site):
    """GIVEN the core's reception (`receive_car`) called directly, without the web WHEN the person lacks `reception`
    in the table handed in, or no one acts THEN role_denied and no job; a table granting the role receives the car."""
    from floor.core.master import receive_car

    defaults = Site(site, {}).cfg.role_table()
    granted = Site(site, {"reception": ["technician"]}).cfg.role_table()
    row = {"vehicle": "Golf", "customer": "Ma", "plate": "沪A12345"}
    before = _jobs(site)
    with site.writing() as db:
        tech = db.scalar(select(User).where(User.badge == "T001"))
        for actor, table in ((tech, defaults), (None, defaults), (None, granted)):
            with pytest.raises(WorkOrderError) as err:
                receive_car(db, "3001", row, actor=actor, roles=table)
            assert err.value.code == "role_denied", (actor, table)
    assert _jobs(site) == before
    with site.writing() as db:
        tech = db.scalar(select(User).where(User.badge == "T001"))
        wo, _warnings = receive_car(db, "3001", row, actor=tech, roles=granted)
        assert wo.plate == "沪A12345"
    assert "3001" in _jobs(site)


# -- sales and claims (floor.core.sales) -----------------------------------------------------------------
def _sale(client: Any, badge: str, price: str | None = None, part_no: str = "OF-100") -> str:
    line: dict[str, Any] = {"part_no": part_no, "qty": 1}
    if price is not None:
        line["price"] = price
    r = client.post("/api/sales", json={"badge": badge, "customer": "R1", "lines": [line]})
    assert r.status_code == 201, r.get_json()
    return str(r.get_json()["number"])


def test_sales_granted_to_technicians_and_approval_to_storekeepers(site):
    """GIVEN `[roles]` letting technicians quote, confirm, pick, ship and cancel, and storekeepers approve discounts
    WHEN they do so by API and scan THEN every step is accepted and audited (the core used the defaults)."""
    s = Site(
        site,
        {
            "quote_sale": ["technician"],
            "confirm_sale": ["technician"],
            "pick_sale": ["technician"],
            "ship_sale": ["technician"],
            "cancel_sale": ["technician"],
            "approve_sale": ["storekeeper"],
        },
    )
    number = _sale(s.client, "T001", price="9.00")  # below 12.00 less 10 %: needs approval
    r = s.client.post(f"/api/sales/{number}/confirm", json={"badge": "T001"})
    assert r.status_code == 200 and r.get_json()["status"] == "awaiting_approval", r.get_json()
    r = s.client.post(f"/api/sales/{number}/approve", json={"badge": "S001", "pin": "2468"})
    assert r.status_code == 200 and r.get_json()["status"] == "approved", r.get_json()
    assert s.scan("U:T001", f"SO:{number}", "P:OF-100")[-1] in ("sale_picked", "sale_complete")
    r = s.client.post(f"/api/sales/{number}/ship", json={"badge": "T001", "collected": True})
    assert r.status_code == 200 and r.get_json()["status"] == "shipped", r.get_json()
    other = _sale(s.client, "T001")
    r = s.client.post(f"/api/sales/{other}/cancel", json={"badge": "T001"})
    assert r.status_code == 200 and r.get_json()["status"] == "cancelled", r.get_json()
    got = audit_rows(site)
    for row in ("sales.quote", "sales.confirm", "sales.ship", "sales.cancel"):
        assert ("U:T001", row) in got, row
    assert ("U:S001", "sales.approve") in got


def test_sale_approval_withdrawn_from_supervisors(site):
    """GIVEN `[roles] approve_sale = ["storekeeper"]` WHEN the supervisor approves THEN 403 and still awaiting,
    no audit entry; called directly, the core refuses too."""
    s = Site(site, {"approve_sale": ["storekeeper"]})
    number = _sale(s.client, "S001", price="9.00")
    assert s.client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"}).get_json()["status"] == (
        "awaiting_approval"
    )
    audits = audit_count(site)
    r = s.client.post(f"/api/sales/{number}/approve", json={"badge": "SUP1", "pin": "2468"})
    assert r.status_code == 403 and r.get_json()["code"] == "role_denied"
    assert audit_count(site) == audits
    with site.writing() as db:
        sale = db.scalar(select(Sale).where(Sale.number == number))
        sup = db.scalar(select(User).where(User.badge == "SUP1"))
        with pytest.raises(SaleError) as err:
            orders.approve_sale(db, sale, sup, clock.now(), roles=s.cfg.role_table())
        assert err.value.code == "role_denied"
    assert s.client.get(f"/api/sales/{number}").get_json()["status"] == "awaiting_approval"


def _sold_core(s: Site) -> str:
    """An alternator sold and collected by the storekeeper: the serial of its core charge."""
    number = _sale(s.client, "S001", part_no="ALT-300")
    assert s.client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"}).status_code == 200
    assert s.scan("U:S001", f"SO:{number}", "P:ALT-300")[-1] in ("sale_picked", "sale_complete")
    r = s.client.post(f"/api/sales/{number}/ship", json={"badge": "S001", "collected": True})
    assert r.status_code == 200, r.get_json()
    return f"S{number}-1-1"


def test_sold_core_refund_withdrawn_from_technicians_by_scan_and_api(site):
    """GIVEN `[roles] core_return` without technicians (by default everyone) WHEN a technician scans the sold core
    back or refunds it by API THEN role_denied and it stays charged; the storekeeper's scan refunds it."""
    s = Site(site, {"core_return": ["storekeeper", "supervisor"]})
    serial = _sold_core(s)
    number = serial[1:].split("-")[0]
    assert s.scan("U:T001", f"C:{serial}") == ["actor_set", "role_denied"]
    r = s.client.post(f"/api/sales/{number}/cores/refund", json={"badge": "T001", "serial": serial})
    assert r.status_code == 403 and r.get_json()["code"] == "role_denied"
    assert s.client.get(f"/api/sales/{number}").get_json()["core_charges"]["refunded"] == "0.00"
    assert s.scan("U:S001", f"C:{serial}")[-1] == "core_refunded"


def test_claims_granted_to_technicians_and_approval_to_storekeepers(site):
    """GIVEN `[roles]` letting technicians draft and submit claims and storekeepers approve and credit them
    WHEN they do so by API THEN each step is accepted and audited; a withdrawn step is refused by the core."""
    s = Site(
        site,
        {"claim": ["technician"], "approve_claim": ["storekeeper"], "credit_claim": ["storekeeper"]},
    )
    res = scan(s.service, "U:T001", "WO:1001", "P:ALT-300")
    [serial] = res[-1].effects["cores"]
    assert s.scan("U:T001", f"C:{serial}")[-1] == "core_returned"
    body = {"badge": "T001", "workorder": "1001", "cores": [serial], "claim_no": "W-1", "amount": "150.00"}
    r = s.client.post("/api/claims", json=body)
    assert r.status_code == 201, r.get_json()
    claim_id = r.get_json()["id"]
    for step, badge, status in (("submit", "T001", "submitted"), ("approve", "S001", "approved")):
        r = s.client.post(f"/api/claims/{claim_id}/{step}", json={"badge": badge, "pin": "2468"})
        assert r.status_code == 200 and r.get_json()["status"] == status, (step, r.get_json())
    r = s.client.post(f"/api/claims/{claim_id}/credit", json={"badge": "S001", "pin": "2468", "amount": "150.00"})
    assert r.status_code == 200 and r.get_json()["status"] == "credited", r.get_json()
    got = audit_rows(site)
    assert {("U:T001", "claims.create"), ("U:S001", "claims.approve"), ("U:S001", "claims.credit")} <= set(got)
    # The supervisor lost `credit_claim` in this site: the core itself refuses.
    with site.writing() as db:
        from floor.models import WarrantyClaim

        claim = db.get(WarrantyClaim, claim_id)
        sup = db.scalar(select(User).where(User.badge == "SUP1"))
        with pytest.raises(SaleError) as err:
            claim_rules.step(db, claim, "credit", sup, clock.now(), roles=s.cfg.role_table())
        assert err.value.code == "role_denied"
