"""The month-end report: counts by cause, adjustments, dead stock, KPIs against earlier months; proposals; signing."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from floor import clock
from floor.core.ledger import Ledger
from floor.models import AuditEntry, CustomerReturn, MonthEnd

# Reads "now" (dead stock up to today, months that have ended): also run under a shifted machine clock.
pytestmark = pytest.mark.clock


def test_the_report_of_october(store, client):
    """GIVEN the October store THEN the count's shortage by reason, the adjustments and dead stock are listed."""
    r = client.get("/api/reports/month-end?month=2026-10").get_json()
    assert r["status"] == "open" and r["signed"] is None
    assert r["variance_by_reason"] == {
        "damage": {
            "lines": 1,
            "overage_qty": 0,
            "overage_value": 0.0,
            "shortage_qty": 1,
            "shortage_value": 5.0,
            "net_value": -5.0,
        }
    }
    assert r["count_accuracy"]["accuracy"] == 0.5
    assert r["adjustments"]["from_counts"] == {"moves": 1, "qty": -1, "value": -5.0}
    (other,) = r["adjustments"]["other"]
    assert (other["part_no"], other["qty"], other["value"], other["ref"]) == ("P4", 1, 4.0, "API:found")
    assert r["dead_stock"]["value"] == 64.0 and r["dead_stock"]["lines"] == 2
    assert [t["month"] for t in r["trend"]] == ["2026-07", "2026-08", "2026-09", "2026-10"]
    assert r["trend"][-1]["parts_cost_total"] == 40.0 and r["trend"][-2]["parts_cost_total"] == 0.0
    assert r["kpis"]["stockouts"] == 10
    assert set(r["proposals"]) >= {"damage", "theft", "dead_stock"}


def test_proposals_are_kept_until_signed(store, client):
    """GIVEN a storekeeper's proposal THEN the report shows it; a technician may not write one."""
    url = "/api/reports/month-end/2026-10/proposals"
    ok = client.post(url, json={"badge": "S001", "proposals": {"damage": "Re-train receiving on fragile plugs"}})
    assert ok.status_code == 200, ok.get_json()
    r = client.get("/api/reports/month-end?month=2026-10").get_json()
    assert r["proposals"]["damage"] == "Re-train receiving on fragile plugs"
    denied = client.post(url, json={"badge": "T001", "proposals": {"damage": "x"}})
    assert denied.status_code == 403 and denied.get_json()["code"] == "role_denied"
    bad = client.post(url, json={"badge": "S001", "proposals": {"weather": "x"}})
    assert bad.status_code == 400 and bad.get_json()["code"] == "bad_proposal"
    assert client.post(url, json={"badge": "S001", "proposals": {"damage": 5}}).status_code == 400


def test_sign_freezes_the_month(store, client, db):
    """GIVEN October signed by a supervisor WHEN October's data changes later THEN the signed report stays."""
    client.post("/api/reports/month-end/2026-10/proposals", json={"badge": "S001", "proposals": {"damage": "A"}})
    for body, code in (({"badge": "SUP1"}, "pin_required"), ({"badge": "SUP1", "pin": "1111"}, "bad_pin")):
        refused = client.post("/api/reports/month-end/2026-10/sign", json=body)  # SPEC 10.6: a PIN says yes
        assert refused.get_json()["code"] == code
        assert client.get("/api/reports/month-end?month=2026-10").get_json()["status"] != "signed"
    resp = client.post("/api/reports/month-end/2026-10/sign", json={"badge": "SUP1", "pin": "2468"})
    assert resp.status_code == 201, resp.get_json()
    signed = resp.get_json()
    assert signed["status"] == "signed" and signed["signed"]["name"] == "Chen Jie"
    assert signed["proposals"]["damage"] == "A"
    # a late change dated in October: another issue and another customer return
    with db.writing() as s:
        book = Ledger(s)
        book.move(
            store["P1"],
            store["A-01"],
            -1,
            "issue",
            datetime(2026, 10, 30, tzinfo=UTC),
            Decimal(10),
            work_order_id=store["WO1"],
        )
        book.flush()
        s.add(
            CustomerReturn(
                part_id=store["P1"],
                qty=2,
                reason="quality_defect",
                freight_payer="company",
                location_id=store["Q-01"],
                status="quarantined",
                created_at=datetime(2026, 10, 30, tzinfo=UTC),
            )
        )
    live = client.get("/api/reports/kpis?from=2026-10-01&to=2026-10-31").get_json()
    assert live["parts_cost_total"] == 50.0  # the live KPIs see it
    again = client.get("/api/reports/month-end?month=2026-10").get_json()
    assert again == signed  # the signed report does not
    assert again["kpis"]["parts_cost_total"] == 40.0
    # November's trend takes October from the snapshot
    nov = client.get("/api/reports/month-end?month=2026-11").get_json()
    october = next(t for t in nov["trend"] if t["month"] == "2026-10")
    assert october["signed"] is True and october["parts_cost_total"] == 40.0
    # frozen: no second signature, no more proposals
    twice = client.post("/api/reports/month-end/2026-10/sign", json={"badge": "SUP1", "pin": "2468"})
    assert twice.status_code == 409 and twice.get_json()["code"] == "month_signed"
    late = client.post("/api/reports/month-end/2026-10/proposals", json={"badge": "S001", "proposals": {"theft": "B"}})
    assert late.status_code == 409
    with db.reading() as s:
        row = s.get(MonthEnd, "2026-10")
        assert row.signed_at is not None and row.snapshot["kpis"]["parts_cost_total"] == 40.0
        actions = [a.action for a in s.query(AuditEntry).all()]
    assert any(a.endswith("sign_month_end") for a in actions)


def test_signing_is_refused_for_an_open_month_or_a_non_supervisor(store, client, db):
    """November has not ended (clock 23 Nov); a storekeeper may not sign; nothing is stored."""
    open_month = client.post("/api/reports/month-end/2026-11/sign", json={"badge": "SUP1", "pin": "2468"})
    assert open_month.status_code == 409 and open_month.get_json()["code"] == "month_not_ended"
    assert open_month.get_json()["error_zh"]
    by_store = client.post("/api/reports/month-end/2026-10/sign", json={"badge": "S001", "pin": "2468"})
    assert by_store.status_code == 403 and by_store.get_json()["code"] == "role_denied"
    no_badge = client.post("/api/reports/month-end/2026-10/sign", json={})
    assert no_badge.status_code in (400, 403)
    bad = client.post("/api/reports/month-end/2026-13/sign", json={"badge": "SUP1", "pin": "2468"})
    assert bad.status_code == 400 and bad.get_json()["code"] == "bad_month"
    with db.reading() as s:
        assert s.get(MonthEnd, "2026-10") is None


def test_signing_waits_for_the_clock(store, client, pinned_clock):
    """GIVEN November WHEN the clock passes 1 Dec 00:00 THEN it can be signed."""
    pinned_clock.advance(datetime(2026, 12, 1, tzinfo=UTC) - clock.now() + timedelta(seconds=1))
    resp = client.post("/api/reports/month-end/2026-11/sign", json={"badge": "SUP1", "pin": "2468"})
    assert resp.status_code == 201


def test_month_end_and_kpis_as_csv(store, client):
    """The month-end and the KPIs also come as CSV."""
    rows = list(csv.reader(io.StringIO(client.get("/api/reports/month-end.csv?month=2026-10").get_data(as_text=True))))
    assert rows[0] == ["section", "name", "metric", "value"]
    assert ["variance", "damage", "shortage_value", "5.0"] in rows
    assert ["dead_stock", "total", "value", "64.0"] in rows
    kp = list(
        csv.reader(
            io.StringIO(client.get("/api/reports/kpis.csv?from=2026-10-01&to=2026-10-31").get_data(as_text=True))
        )
    )
    assert ["stockouts", "10", "2026-10-01", "2026-10-31"] in kp
    assert ["fill_rate", "", "2026-10-01", "2026-10-31"] in kp


def test_bad_periods_are_400(store, client):
    """Reversed, malformed or too long periods are refused with a JSON error in both languages."""
    for q in ("from=2026-10-31&to=2026-10-01", "from=yesterday", "from=2020-01-01&to=2026-01-01"):
        resp = client.get(f"/api/reports/kpis?{q}")
        assert resp.status_code == 400, q
        assert resp.get_json()["code"] == "bad_period" and resp.get_json()["error_zh"]
    assert client.get("/api/reports/month-end?month=2026-1").status_code == 400
