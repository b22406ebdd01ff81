"""Every write route of the app, walked in one workshop day: each allowed write leaves an audit entry naming its actor.

The walk must use every POST/PUT/PATCH/DELETE route of `app.url_map`: a new write route
not walked here fails the test.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, update

from floor.core.audit import token_actor
from floor.models import AuditEntry, Invoice, Part
from tests.authority.conftest import ADMIN_TOKEN, TOKENS, audit_count, audit_rows, bearer
from tests.billing_factories import quick_ready_jobs
from tests.conftest import make_config
from tests.factories import shipped_sale
from tests.kiosk.helpers import csrf_token
from tests.waiting import wait_for
from tests.web.reception.helpers import data_url

ADMIN = bearer(ADMIN_TOKEN)
TOKEN_ACTOR = token_actor(ADMIN_TOKEN)
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# POST routes that change nothing (an image body is too big for a GET): nothing to audit.
READ_ONLY_POSTS = {"/handheld/<station>/decode", "/kiosk/technician"}  # decode an image; open one's own page


@pytest.fixture
def walk_app(store: Any) -> Any:
    """The app with tokens and one printer (print jobs are only queued: no worker runs)."""
    from floor.service.factory import create_app

    cfg = make_config(
        api={"tokens": TOKENS},
        printers=[{"name": "zebra", "url": "tcp://127.0.0.1:9"}],
        requisition={"approval_value": 100},
    )
    return create_app(cfg, store, {"TESTING": True})


class Walk:
    """One client walking the routes; each step checks the audit entry its write left."""

    def __init__(self, app: Any, db: Any) -> None:
        self.client = app.test_client()
        self.db = db
        self.done: set[str] = set()
        self.url_rule: dict[str, str] = {}
        self.app = app

    def _rule(self, url: str, method: str) -> str:
        adapter = self.app.url_map.bind("localhost")
        rule, _ = adapter.match(url.split("?")[0], method=method, return_rule=True)
        return rule.rule

    def api(self, url: str, actor: str, body: Any = None, **kw: Any) -> Any:
        """POST JSON with the bare token; the newest audit entry must name `actor` (`once=True`: the only new one)."""
        return self._post(url, actor, json=body if body is not None else {}, headers=ADMIN, **kw)

    def kiosk(self, url: str, actor: str, data: dict[str, Any], page: str = "/kiosk/", **kw: Any) -> Any:
        """POST a kiosk form with its CSRF token; the newest audit entry must name `actor`."""
        return self._post(url, actor, data={**data, "csrf_token": csrf_token(self.client, page)}, **kw)

    def _post(self, url: str, actor: str, once: bool = False, method: str = "POST", **kw: Any) -> Any:
        before = audit_count(self.db)
        resp = self.client.open(url, method=method, **kw)
        assert resp.status_code < 400, (url, resp.status_code, resp.get_data(as_text=True)[:500])
        with self.db.reading() as s:
            new = list(s.scalars(select(AuditEntry).where(AuditEntry.id > 0).order_by(AuditEntry.id).offset(before)))
        assert new, f"{url}: no audit entry"
        assert new[-1].actor == actor, (url, new[-1].actor, new[-1].action)
        # A write that audits itself in its transaction must not get a second entry after the response.
        assert not once or len(new) == 1, (url, [(e.actor, e.action) for e in new])
        self.done.add(self._rule(url, method))
        return resp


def aftersales_setup(db: Any) -> None:
    """Job 1003 delivered yesterday on a registered car; job 1002 is that car back today."""
    from datetime import timedelta

    from floor import clock
    from floor.models import Vehicle, WorkOrder

    with db.writing() as s:
        car = Vehicle(vin="JHLRD68404C018253", plate="AUD1", make="", model="")
        s.add(car)
        s.flush()
        s.execute(
            update(WorkOrder)
            .where(WorkOrder.number == "1003")
            .values(vehicle_id=car.id, closed_at=clock.now() - timedelta(days=1))
        )
        s.execute(update(WorkOrder).where(WorkOrder.number == "1002").values(vehicle_id=car.id))


def test_every_write_is_audited_with_its_actor(walk_app, store):
    """GIVEN the small workshop WHEN every write route is used once, as its role allows
    THEN each write left an audit entry naming the badge (or the token) that made it."""
    w = Walk(walk_app, store)
    # master data through the API: the badge in `by_badge` is the actor
    w.api("/api/parts", "U:S001", {"part_no": "AUD-1", "name": "Audit part", "unit_cost": "1.00", "by_badge": "S001"})
    w.api("/api/locations", "U:S001", {"code": "Z-01", "name": "Z shelf", "zone": "Z", "by_badge": "S001"})
    w.api("/api/users", "U:SUP1", {"badge": "T55", "name": "Tian", "role": "technician", "by_badge": "SUP1"})
    w.api("/api/workorders", "U:ADV1", {"number": "2001", "vehicle": "Kia", "customer": "Ma", "by_badge": "ADV1"})
    w.api("/api/stock", "U:SUP1", {"part_no": "AUD-1", "location": "Z-01", "qty": 5, "by_badge": "SUP1"})
    # 2 alternators (420) are above approval_value 100: the job's approved request covers the issue below
    body = {"badge": "T001", "lines": [{"part_no": "ALT-300", "qty": 2}]}
    alts = w.api("/api/workorders/1001/requests", "U:T001", body).get_json()["lines"][0]
    w.api(f"/api/requests/{alts['id']}/approve", "U:SUP1", {"badge": "SUP1", "pin": "2468"})
    # scans: the token posts them; each scan carries its own badge in the scan log
    w.api("/api/scans", TOKEN_ACTOR, {"station": "counter-1", "scans": [{"data": t} for t in ("U:T001", "WO:1001")]})
    w.api(
        "/api/scans",
        TOKEN_ACTOR,
        {"station": "counter-1", "scans": [{"data": t} for t in ("Q:2", "P:ALT-300", "CMD:DONE")]},
    )
    # jobs and cores
    w.api("/api/workorders/1001/status", "U:FOR1", {"status": "on_hold", "reason": "parts", "badge": "FOR1"})
    w.api("/api/workorders/1001/tags", "U:ADV1", {"code": "KEY-77", "kind": "key", "badge": "ADV1"})
    serials = [c["serial"] for c in w.client.get("/api/cores").get_json()["cores"]]
    assert len(serials) == 2
    w.api(f"/api/cores/{serials[0]}/return", "U:T001", {"badge": "T001"})
    w.api(f"/api/cores/{serials[0]}/disposition", "U:S001", {"disposition": "reusable", "badge": "S001"})
    w.api(f"/api/cores/{serials[1]}/waive", "U:SUP1", {"badge": "SUP1", "pin": "2468", "note": "customer kept it"})
    # reception, final inspection, keys and hand-over (SPEC 9.4)
    w.api(
        "/api/reception",
        "U:ADV1",
        {"badge": "ADV1", "number": "2002", "vehicle": "BYD Han", "customer": "Hu"},
        once=True,
    )
    w.api("/api/workorders/2002/key", "U:T001", {"action": "out", "badge": "T001"}, once=True)
    w.api("/api/workorders/2002/key", "U:T001", {"action": "in", "badge": "T001"}, once=True)
    for status in ("in_progress", "qc"):
        w.api("/api/workorders/2002/status", "U:T001", {"status": status, "badge": "T001"})
    w.api("/api/workorders/2002/qc", "U:FOR1", {"result": "pass", "badge": "FOR1"}, once=True)
    w.api("/api/workorders/2002/status", "U:FOR1", {"status": "ready", "badge": "FOR1"})
    w.api("/api/workorders/2002/signature", "U:ADV1", {"png": data_url(), "badge": "ADV1"}, once=True)
    w.api("/api/workorders/2002/deliver", "U:ADV1", {"badge": "ADV1"}, once=True)
    # appointments (SPEC 9.4): booked with parts, then arrived as a job
    booked = w.api(
        "/api/appointments",
        "U:ADV1",
        {"badge": "ADV1", "at": "2026-11-24T09:00:00Z", "customer": "Gu", "lines": [{"part_no": "SP-200", "qty": 1}]},
    ).get_json()["id"]
    w.api(f"/api/appointments/{booked}/arrive", "U:ADV1", {"badge": "ADV1", "number": "2004"})
    # ... moved and cancelled, by API and on the kiosk's appointments page
    for via in ("api", "kiosk"):
        other = w.api(
            "/api/appointments",
            "U:ADV1",
            {
                "badge": "ADV1",
                "at": "2026-11-24T10:00:00Z",
                "customer": "Lu",
                "lines": [{"part_no": "SP-200", "qty": 1}],
            },
        ).get_json()["id"]
        if via == "api":
            w.api(f"/api/appointments/{other}/reschedule", "U:FOR1", {"badge": "FOR1", "at": "2026-11-25T10:00:00Z"})
            w.api(f"/api/appointments/{other}/cancel", "U:SUP1", {"badge": "SUP1"})
        else:
            form = {"badge": "ADV1", "date": "2026-11-24"}
            page = "/kiosk/appointments?date=2026-11-24"
            w.kiosk(f"/kiosk/appointments/{other}/reschedule", "U:ADV1", {**form, "at": "2026-11-25T11:00"}, page=page)
            w.kiosk(f"/kiosk/appointments/{other}/cancel", "U:ADV1", form, page=page)
    w.kiosk(
        "/kiosk/reception",
        "U:ADV1",
        {"badge": "ADV1", "number": "2003", "vehicle": "Geely", "customer": "Su"},
        page="/kiosk/reception",
        once=True,
    )
    for status in ("in_progress", "qc"):
        w.api("/api/workorders/2003/status", "U:T001", {"status": status, "badge": "T001"})
    w.api("/api/workorders/2003/qc", "U:FOR1", {"result": "pass", "badge": "FOR1"}, once=True)
    w.api("/api/workorders/2003/status", "U:FOR1", {"status": "ready", "badge": "FOR1"})
    token = csrf_token(w.client, "/kiosk/delivery/2003")
    w._post(
        "/kiosk/delivery/2003/signature",
        "U:ADV1",
        json={"png": data_url(), "badge": "ADV1"},
        headers={"X-CSRFToken": token},
        once=True,
    )
    w.kiosk("/kiosk/delivery/2003", "U:ADV1", {"badge": "ADV1"}, page="/kiosk/delivery/2003", once=True)
    # counter sales, core charges, warranty claims (SPEC 9.3)
    with store.writing() as s:
        s.execute(update(Part).where(Part.part_no == "OF-100").values(sell_price=Decimal("12.00")))
        s.execute(
            update(Part)
            .where(Part.part_no == "ALT-300")
            .values(sell_price=Decimal("320.00"), core_charge=Decimal("60.00"))
        )
    w.api("/api/customers", "U:ADV1", {"code": "R1", "name": "Walk-in Ma", "kind": "retail", "badge": "ADV1"})

    def sold(part_no: str, price: str | None = None) -> str:
        line = {"part_no": part_no, "qty": 1, **({"price": price} if price else {})}
        return w.api("/api/sales", "U:ADV1", {"badge": "ADV1", "customer": "R1", "lines": [line]}).get_json()["number"]

    def picked(number: str, part_no: str) -> None:
        texts = ("U:S001", f"SO:{number}", "L:A-01-01", f"P:{part_no}")
        res = w.client.post(
            "/api/scans", json={"station": "counter-1", "scans": [{"data": t} for t in texts]}, headers=ADMIN
        )
        assert res.get_json()["results"][-1]["code"] == "sale_picked", res.get_json()

    cheap = sold("OF-100", "1.00")  # far below the list price: a supervisor approves it
    assert w.api(f"/api/sales/{cheap}/confirm", "U:ADV1", {"badge": "ADV1"}).get_json()["status"] == "awaiting_approval"
    w.api(f"/api/sales/{cheap}/approve", "U:SUP1", {"badge": "SUP1", "pin": "2468"})
    picked(cheap, "OF-100")
    w.api(f"/api/sales/{cheap}/ship", "U:S001", {"badge": "S001", "collected": True})
    # the two alternators of the shop went to job 1001: one more comes in for the counter
    w.api("/api/stock", "U:SUP1", {"part_no": "ALT-300", "location": "A-01-01", "qty": 1, "by_badge": "SUP1"})
    alternator = sold("ALT-300")
    w.api(f"/api/sales/{alternator}/confirm", "U:ADV1", {"badge": "ADV1"})
    picked(alternator, "ALT-300")
    w.api(f"/api/sales/{alternator}/ship", "U:S001", {"badge": "S001", "collected": True})
    w.api(f"/api/sales/{alternator}/cores/refund", "U:S001", {"badge": "S001", "part_no": "ALT-300"})
    w.api(f"/api/sales/{sold('OF-100')}/cancel", "U:ADV1", {"badge": "ADV1"})
    claim = {"badge": "S001", "workorder": "1001", "cores": [serials[0]], "claim_no": "W-1", "amount": "210.00"}
    claim_id = w.api("/api/claims", "U:S001", claim).get_json()["id"]
    w.api(f"/api/claims/{claim_id}/submit", "U:S001", {"badge": "S001"})
    # parts demand (SPEC 9.2): request lines, approval, move/release/cancel, special orders, pick page
    w.api(
        "/api/parts",
        "U:S001",
        {"part_no": "BP-400", "name": "Brake pads", "unit_cost": "35.00", "supplier": "Bosch", "by_badge": "S001"},
    )

    def asked(wo: str, part_no: str, qty: int, badge: str) -> dict[str, Any]:
        body = {"badge": badge, "lines": [{"part_no": part_no, "qty": qty}]}
        return w.api(f"/api/workorders/{wo}/requests", f"U:{badge}", body).get_json()["lines"][0]

    pads = asked("1002", "BP-400", 5, "T002")  # 5 × 35.00 is above approval_value 100
    assert pads["status"] == "awaiting_approval", pads
    w.api(f"/api/requests/{pads['id']}/approve", "U:SUP1", {"badge": "SUP1", "pin": "2468"})
    w.api("/api/special-orders/delivery", "U:S001", {"badge": "S001", "supplier": "Bosch", "reference": "SO-1"})
    plugs, other = asked("1001", "SP-200", 16, "T001"), asked("1002", "SP-200", 1, "T002")  # all 16 held by 1001
    w.api(f"/api/requests/{plugs['id']}/move", "U:SUP1", {"badge": "SUP1", "to": other["id"], "qty": 1})
    w.api(f"/api/requests/{plugs['id']}/release", "U:SUP1", {"badge": "SUP1"})
    w.api(f"/api/requests/{other['id']}/cancel", "U:T002", {"badge": "T002"})
    alternator_line = asked("1001", "ALT-300", 1, "T001")
    w.kiosk(
        f"/kiosk/counter/counter-1/requests/{alternator_line['id']}/approve",
        "U:SUP1",
        {"badge": "SUP1", "pin": "2468"},
        page="/kiosk/counter/counter-1",
    )
    w.kiosk("/kiosk/picks/counter-2/scan", "kiosk@127.0.0.1", {"text": "U:T002"}, page="/kiosk/picks/counter-2")
    # the warning line, deliveries
    w.api("/api/alerts/evaluate", TOKEN_ACTOR)
    made = w.api(
        "/api/deliveries",
        "U:S001",
        {"supplier": "Bosch", "reference": "D-77", "lines": [{"part_no": "OF-100", "qty": 2}], "badge": "S001"},
    ).get_json()
    dlv_id = made["deliveries"][0]["id"] if "deliveries" in made else made["created"][0]["id"]
    w.api(f"/api/deliveries/{dlv_id}/select", "U:S001", {"station": "dock-1", "badge": "S001"})
    w.api(
        f"/api/deliveries/{dlv_id}/receive",
        "U:S001",
        {"badge": "S001", "lines": [{"part_no": "OF-100", "qty": 2, "location": "R-00-01"}]},
    )
    w.api(f"/api/deliveries/{dlv_id}/close", "U:S001", {"badge": "S001"})
    # customer and supplier returns
    sale = shipped_sale(store, "BP-400", 2)
    body = {"part_no": "BP-400", "qty": 2, "reason": "wrong_shipment", "sale_ref": sale, "badge": "S001"}
    rid = w.api("/api/returns", "U:S001", body).get_json()["id"]
    w.api(f"/api/returns/{rid}/inspect", "U:S001", {"outcome": "supplier", "qty": 2, "badge": "S001"})
    sid = w.api(
        "/api/supplier-returns", "U:S001", {"supplier": "Bosch", "badge": "S001", "returns": [{"id": rid}]}
    ).get_json()["id"]
    w.api(f"/api/supplier-returns/{sid}/ship", "U:S001", {"badge": "S001", "reference": "SF-1"})
    # counts
    w.api("/api/abc/recompute", "U:S001", {"badge": "S001"})
    count_id = w.api(
        "/api/counts", "U:S001", {"kind": "cycle", "zone": "B", "blind": False, "badge": "S001"}
    ).get_json()["id"]
    counted = w.client.post(
        "/api/scans",
        json={
            "station": "handheld-1",
            "scans": [{"data": t} for t in ("U:S001", f"CNT:{count_id}", "L:B-02-01", "Q:3", "P:OF-100")],
        },
        headers=ADMIN,
    ).get_json()["results"]
    assert counted[-1]["code"] == "counted", counted
    reasons = {"lines": [{"location": "B-02-01", "part_no": "OF-100", "reason": "damage"}], "badge": "SUP1"}
    w.api(f"/api/counts/{count_id}/reasons", "U:SUP1", reasons)
    w.api(f"/api/counts/{count_id}/approve", "U:SUP1", {"badge": "SUP1", "pin": "2468"})
    # labels
    job = w.api("/api/labels", "U:T001", {"kind": "part", "id": "OF-100", "printer": "zebra", "badge": "T001"})
    w.api(f"/api/print-jobs/{job.get_json()['job']}/reprint", "U:T001", {"badge": "T001"})
    # reports: the month-end's proposals and signature
    w.api("/api/reports/month-end/2026-10/proposals", "U:S001", {"badge": "S001", "proposals": {"damage": "retrain"}})
    w.api("/api/reports/month-end/2026-10/sign", "U:SUP1", {"badge": "SUP1", "pin": "2468"})
    # the vehicle file and the repair order (SPEC 10.1, 10.2)
    car = {"badge": "ADV1", "vin": "1M8GDM9AXKP042788", "plate": "沪A12345"}
    w.api("/api/vehicles", "U:ADV1", car, once=True)
    concern = w.api("/api/workorders/2001/concerns", "U:ADV1", {"badge": "ADV1", "text": "Noise"}, once=True)
    concern_url = f"/api/workorders/2001/concerns/{concern.get_json()['id']}"
    w.api(concern_url, "U:T001", {"badge": "T001", "cause": "Worn"}, once=True, method="PATCH")
    line = {"badge": "ADV1", "kind": "part", "part_no": "OF-100", "qty": 1, "pay": "customer", "unit_price": "12.00"}
    line_id = w.api("/api/workorders/2001/lines", "U:ADV1", line).get_json()["id"]
    w.api(f"/api/workorders/2001/lines/{line_id}", "U:ADV1", {"badge": "ADV1", "qty": 2}, method="PATCH")
    w.api("/api/workorders/2001/authorize", "U:ADV1", {"badge": "ADV1", "lines": [line_id], "how": "phone"}, once=True)
    # ... and on the kiosk's repair order, vehicle file and technician's page (SPEC 10.1-10.3)
    _kiosk_repair_order(w, store)
    # the kiosk
    w.kiosk("/kiosk/counter/counter-2/scan", "kiosk@127.0.0.1", {"text": "U:T002"})
    w.kiosk(
        "/kiosk/admin/parts", "U:S001", {"part_no": "AUD-2", "name": "Kiosk part", "unit_cost": "2", "by_badge": "S001"}
    )
    w.kiosk(
        "/kiosk/admin/import",
        "U:SUP1",
        {"kind": "users", "by_badge": "SUP1", "file": (io.BytesIO(b"badge,name,role\nT56,Tu,technician\n"), "u.csv")},
        content_type="multipart/form-data",
    )
    started = w._post(
        "/api/imports/locations?badge=S001",
        "U:S001",
        data=b"code,name,zone\nAUD-BIN,Audit bin,AUD\n",
        headers={**ADMIN, "Content-Type": "text/csv"},
    )
    run_url = started.headers["Location"]
    assert wait_for(lambda: w.client.get(run_url).get_json()["status"] == "done")
    assert ("U:S001", "import.locations") in [(a, b) for a, b in audit_rows(store)]
    w.kiosk("/kiosk/admin/unlock", "U:SUP1", {"badge": "SUP1"})
    w.kiosk("/kiosk/labels/print", "U:T001", {"kind": "part", "ids": "OF-100", "printer": "zebra", "badge": "T001"})
    w.kiosk(f"/kiosk/labels/jobs/{job.get_json()['job']}/reprint", "U:T001", {"badge": "T001"})
    open_count = w.api("/api/counts", "U:S001", {"kind": "cycle", "zone": "Z", "badge": "S001"}).get_json()["id"]
    texts = ("U:S001", f"CNT:{open_count}", "L:Z-01", "Q:5", "P:AUD-1")
    scanned = w.client.post(
        "/api/scans", json={"station": "handheld-1", "scans": [{"data": t} for t in texts]}, headers=ADMIN
    )
    assert scanned.get_json()["results"][-1]["code"] == "counted"
    # a gateway reports a batch it quarantined, with its token
    alert = {"station": "gw-1", "device": "gw-1/scanner", "first_seq": 1, "last_seq": 2, "scans": 2, "error": "x"}
    w.api("/api/gateway/alerts", TOKEN_ACTOR, alert)
    w.kiosk(f"/kiosk/stocktake/{open_count}/supervisor", "U:SUP1", {"badge": "SUP1"})
    w.kiosk(f"/kiosk/stocktake/{open_count}/approve", "U:SUP1", {"badge": "SUP1", "pin": "2468"})
    w.api("/api/users/T55/reissue", "U:SUP1", {"badge": "SUP1", "pin": "2468"})  # SPEC 10.6
    # after the car has left (SPEC 10.5): job 1003 was delivered yesterday and its car is back as job 1002
    aftersales_setup(store)
    fu = w.client.get("/api/followups?status=open").get_json()["followups"][0]["id"]
    w.kiosk(f"/kiosk/followups/{fu}", "U:ADV1", {"reached": "no", "badge": "ADV1"}, page="/kiosk/followups")
    w.api(f"/api/followups/{fu}", "U:ADV1", {"badge": "ADV1", "reached": True, "score": 9})
    form = {"channel": "in_person", "category": "price", "text": "Dear", "badge": "ADV1"}
    w.kiosk("/kiosk/complaints", "U:ADV1", form, page="/kiosk/complaints")
    kiosk_complaint = w.client.get("/api/complaints?status=open").get_json()["complaints"][0]["id"]
    w.kiosk(
        f"/kiosk/complaints/{kiosk_complaint}/respond",
        "U:ADV1",
        {"note": "Explained", "badge": "ADV1"},
        page="/kiosk/complaints",
    )
    w.api("/api/workorders/1002/comeback", "U:ADV1", {"badge": "ADV1", "of": "1003", "confirmed": True})
    cid = w.api(
        "/api/complaints", "U:ADV1", {"badge": "ADV1", "channel": "phone", "category": "time", "text": "Slow"}
    ).get_json()["id"]
    w.api(f"/api/complaints/{cid}/assign", "U:ADV1", {"badge": "ADV1", "to": "FOR1", "note": "Please call"})
    w.api(f"/api/complaints/{cid}/respond", "U:FOR1", {"badge": "FOR1", "note": "Called"})
    w.api(f"/api/complaints/{cid}/resolve", "U:FOR1", {"badge": "FOR1", "note": "Explained"})
    w.api(f"/api/complaints/{cid}/close", "U:SUP1", {"badge": "SUP1", "note": "Closed"})
    # the bill (SPEC 10.4): invoice, discount, payment, credit note, release; the cashier's page
    quick_ready_jobs(store, ["AUD-J1", "AUD-J2"])
    w.api("/api/workorders/AUD-J1/deposit", "U:ADV1", {"badge": "ADV1", "method": "cash", "amount": "5"}, once=True)
    inv = w.api("/api/workorders/AUD-J1/invoice", "U:ADV1", {"badge": "ADV1"}, once=True).get_json()["number"]
    w.api(f"/api/invoices/{inv}/discount", "U:ADV1", {"badge": "ADV1", "pct": "2"}, once=True)
    w.api(f"/api/invoices/{inv}/payments", "U:ADV1", {"badge": "ADV1", "method": "cash", "amount": "10"}, once=True)
    w.api(f"/api/invoices/{inv}/credit", "U:SUP1", {"badge": "SUP1", "pin": "2468", "reason": "audit"}, once=True)
    w.api("/api/workorders/AUD-J1/release", "U:SUP1", {"badge": "SUP1", "pin": "2468", "reason": "audit"}, once=True)
    w.kiosk("/kiosk/cashier/invoice", "U:ADV1", {"badge": "ADV1", "workorder": "AUD-J2"}, page="/kiosk/cashier")
    with store.reading() as s:
        kiosk_inv = s.scalar(select(Invoice.number).order_by(Invoice.seq.desc()).limit(1))
    w.kiosk(f"/kiosk/cashier/{kiosk_inv}/discount", "U:ADV1", {"badge": "ADV1", "amount": "1"}, page="/kiosk/cashier")
    w.kiosk(
        f"/kiosk/cashier/{kiosk_inv}/payment",
        "U:ADV1",
        {"badge": "ADV1", "method": "card", "amount": "5"},
        page="/kiosk/cashier",
    )
    # ... and that was every write route of the app: a new one must join this walk.
    writes = {r.rule for r in walk_app.url_map.iter_rules() if r.methods and r.methods & WRITE_METHODS}
    assert writes - w.done - READ_ONLY_POSTS == set(), "write routes the audit walk does not cover"


def _kiosk_repair_order(w: Walk, store: Any) -> None:
    """The repair order's kiosk forms on job 2001 (its car registered above): concern, cause, lines, the answer, the
    declined line offered again, and the technician clocking by touch (the job set to work in between)."""
    from floor.core.repair.operations import save_operation
    from floor.models import Concern, RepairLine, User, Vehicle, WorkOrder

    with store.writing() as s:
        save_operation(s, {"code": "DIAG", "name": "Diagnosis", "name_zh": "故障诊断", "hours": "0.5"})
        vehicle = s.scalar(select(Vehicle.id).where(Vehicle.vin == "1M8GDM9AXKP042788"))
        s.execute(update(WorkOrder).where(WorkOrder.number == "2001").values(vehicle_id=vehicle))
    page = "/kiosk/workorders/2001/repair"
    w.kiosk(f"{page}/concerns", "U:ADV1", {"text": "Rattle", "badge": "ADV1"}, page=page, once=True)
    with store.reading() as s:
        concern = s.scalar(select(func.max(Concern.id)))
    w.kiosk(f"{page}/concerns/{concern}", "U:T001", {"cause": "Loose shield", "badge": "T001"}, page=page, once=True)
    labour = {"kind": "labour", "op": "DIAG", "pay": "customer", "unit_price": "380", "badge": "ADV1"}
    w.kiosk(f"{page}/lines", "U:ADV1", labour, page=page, once=True)
    part = {"kind": "part", "part_no": "OF-100", "qty": "1", "pay": "customer", "unit_price": "12", "badge": "ADV1"}
    w.kiosk(f"{page}/lines", "U:ADV1", part, page=page)
    with store.reading() as s:
        op_line, part_line = s.scalars(select(RepairLine.id).order_by(RepairLine.id.desc()).limit(2)).all()[::-1]
    w.kiosk(f"{page}/lines/{part_line}", "U:ADV1", {"qty": "2", "badge": "ADV1"}, page=page)
    answer = {f"answer-{op_line}": "yes", f"answer-{part_line}": "no", "how": "in_person", "badge": "ADV1"}
    w.kiosk(f"{page}/answer", "U:ADV1", answer, page=page)
    offer = {"q": "1M8GDM9AXKP042788", "job": "2001", "line": str(part_line), "badge": "ADV1"}
    w.kiosk("/kiosk/vehicles/offer", "U:ADV1", offer, page="/kiosk/vehicles")
    with store.writing() as s:
        s.execute(update(WorkOrder).where(WorkOrder.number == "2001").values(status="in_progress"))
        tech = s.scalar(select(User.id).where(User.badge == "T001"))
    clock = {"action": "on", "line": str(op_line), "badge": "T001"}
    w.kiosk(f"/kiosk/technician/{tech}/clock", "U:T001", clock, page="/kiosk/technician", once=True)
