"""The bill over HTTP (SPEC 10.4), on both databases: the contract's routes, their refusals, the audit, the takings."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from floor.core.audit import entries
from floor.models import Invoice, Payment
from tests.billing_factories import load_billing_shop, ready_job

BILLING_CONFIG = {"billing": {"labour_rate": "380.00", "tax_pct": 13, "max_discount_pct": 5}}


@pytest.fixture
def cfg():
    from tests.conftest import make_config

    return make_config(**BILLING_CONFIG)


@pytest.fixture
def till(shop, service):
    load_billing_shop(shop)
    ready_job(shop, service)
    return shop


def _ok(resp, status=200):
    assert resp.status_code == status, resp.get_json()
    return resp.get_json()


def _refused(resp, status, code):
    body = resp.get_json()
    assert (resp.status_code, body["code"]) == (status, code), body
    assert body["error"] and body["error_zh"]
    return body


def test_invoice_discount_part_pay_pay_deliver(till, client):
    db = till
    _refused(client.post("/api/workorders/1001/invoice", json={"badge": "ADV1"}), 409, "job_not_ready")
    _refused(client.post("/api/workorders/3001/invoice", json={"badge": "T001"}), 403, "role_denied")
    _refused(client.post("/api/workorders/9999/invoice", json={"badge": "ADV1"}), 404, "unknown_wo")
    inv = _ok(client.post("/api/workorders/3001/invoice", json={"badge": "ADV1"}), 201)
    number = inv["number"]
    assert (number, inv["totals"], inv["tax"], inv["due"], inv["status"]) == (
        "INV000001",
        {"customer": "889.56", "warranty": "0.00", "internal": "0.00"},
        "115.64",
        "1005.20",
        "open",
    )
    _refused(client.post("/api/workorders/3001/invoice", json={"badge": "ADV1"}), 409, "already_invoiced")
    _refused(client.post("/api/workorders/3001/deliver", json={"badge": "ADV1"}), 409, "not_settled")

    url = f"/api/invoices/{number}"
    # A line discount within the limit needs nobody else: 5 % of the brakes (456.00) = 22.80.
    body = _ok(client.post(url + "/discount", json={"badge": "ADV1", "pct": 5, "line": 1}))
    assert (body["lines"][0]["discount"], body["lines"][0]["net"]) == ("22.80", "433.20")
    # More on the same line goes above 5 %: a supervisor's PIN, never the giver's own.
    for data, status, code in (
        ({"badge": "ADV1", "amount": "10", "line": 1}, 403, "approver_required"),
        ({"badge": "ADV1", "amount": "10", "line": 1, "approver": {"badge": "SUP1"}}, 403, "pin_required"),
        ({"badge": "SUP1", "amount": "10", "line": 1, "approver": {"badge": "SUP1", "pin": "2468"}}, 403, "four_eyes"),
        ({"badge": "ADV1", "amount": "10", "line": 1, "approver": {"badge": "SUP1", "pin": "0000"}}, 403, "bad_pin"),
        ({"badge": "ADV1", "amount": "10", "pct": 1}, 400, "discount_pct_or_amount"),
        ({"badge": "ADV1", "pct": "150"}, 400, "bad_pct"),
        ({"badge": "ADV1", "amount": "-3"}, 400, "bad_amount"),
        ({"badge": "ADV1", "amount": "1e3"}, 400, "bad_amount"),
        ({"badge": "ADV1", "amount": "5", "line": 9}, 404, "unknown_invoice_line"),
        ({"badge": "ADV1", "amount": "5000"}, 409, "discount_too_large"),
    ):
        _refused(client.post(url + "/discount", json=data), status, code)
    body = _ok(
        client.post(
            url + "/discount",
            json={"badge": "ADV1", "amount": "10", "line": 1, "approver": {"badge": "SUP1", "pin": "2468"}},
        )
    )
    assert body["lines"][0]["net"] == "423.20" and body["discounts"][1]["approved_by"]["name"] == "Chen Jie"
    assert (body["totals"]["customer"], body["tax"], body["due"]) == ("856.76", "111.38", "968.14")

    _refused(
        client.post(url + "/payments", json={"badge": "ADV1", "method": "cash", "amount": "true"}), 400, "bad_amount"
    )
    _refused(
        client.post(url + "/payments", json={"badge": "ADV1", "method": "cash", "amount": True}), 400, "bad_amount"
    )
    _refused(
        client.post(url + "/payments", json={"badge": "ADV1", "method": "gold", "amount": "1"}), 400, "bad_pay_method"
    )
    _refused(
        client.post(url + "/payments", json={"badge": "ADV1", "method": "cash", "amount": "968.15"}), 409, "overpayment"
    )
    body = _ok(client.post(url + "/payments", json={"badge": "ADV1", "method": "cash", "amount": 500}), 201)
    assert (body["status"], body["balance"]) == ("open", "468.14")
    below = {"badge": "ADV1", "amount": "500", "approver": {"badge": "SUP1", "pin": "2468"}}
    _refused(client.post(url + "/discount", json=below), 409, "discount_below_paid")
    body = _ok(client.post(url + "/payments", json={"badge": "ADV1", "method": "card", "amount": "468.14"}), 201)
    assert (body["status"], body["balance"]) == ("paid", "0.00")
    _refused(
        client.post(url + "/payments", json={"badge": "ADV1", "method": "cash", "amount": "1"}), 409, "invoice_not_open"
    )
    _ok(client.post("/api/workorders/3001/deliver", json={"badge": "ADV1"}))

    shown = _ok(client.get(url))
    assert [p["method"] for p in shown["payments"]] == ["cash", "card"] and shown["workorder"] == "3001"
    with db.reading() as s:
        actions = [e["action"] for e in entries(s, limit=20)]
    assert {"billing.invoice", "billing.discount", "billing.payment"} <= set(actions)
    assert actions.count("billing.payment") == 2 and actions.count("billing.discount") == 2

    takings = _ok(client.get("/api/takings"))
    assert (takings["totals"]["cash"], takings["totals"]["card"], takings["total"]) == ("500.00", "468.14", "968.14")
    rows = list(csv.reader(io.StringIO(client.get("/api/takings.csv").get_data(as_text=True))))
    assert rows[0][:5] == ["at", "invoice", "workorder", "method", "amount"] and ["all", "968.14"] in rows
    _refused_day = client.get("/api/takings?day=２０２６-11-23")
    assert _refused_day.status_code == 400


def test_refusals_change_nothing_and_credit_and_release(till, client):
    db = till
    number = _ok(client.post("/api/workorders/3001/invoice", json={"badge": "SUP1"}), 201)["number"]
    url = f"/api/invoices/{number}"
    for data in ({"method": "cash", "amount": "１０"}, {"method": "cash", "amount": "0"}, {"method": "cash"}):
        client.post(url + "/payments", json={"badge": "ADV1", **data})
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 0
    assert _ok(client.get("/api/invoices/unpaid"))["invoices"][0]["balance"] == "1005.20"
    _refused(client.get("/api/invoices/NOPE"), 404, "unknown_invoice")

    # Credit: a supervisor with a PIN and a reason, not the one who invoiced.
    _refused(client.post(url + "/credit", json={"badge": "ADV1", "pin": "2468", "reason": "x"}), 403, "role_denied")
    _refused(client.post(url + "/credit", json={"badge": "SUP1", "pin": "2468", "reason": "x"}), 403, "four_eyes")
    _refused(client.post(url + "/credit", json={"badge": "SUP2", "reason": "x"}), 403, "pin_required")
    _refused(client.post(url + "/credit", json={"badge": "SUP2", "pin": "2468"}), 400, "reason_required")
    body = _ok(client.post(url + "/credit", json={"badge": "SUP2", "pin": "2468", "reason": "priced wrong"}), 201)
    assert (body["status"], body["credit_note"]["number"], body["balance"]) == ("credited", "CN000001", "0.00")
    _refused(
        client.post(url + "/payments", json={"badge": "ADV1", "method": "cash", "amount": "1"}), 409, "invoice_credited"
    )
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Invoice)) == 1

    # The car still cannot leave (no standing invoice), until a supervisor releases it.
    _refused(client.post("/api/workorders/3001/deliver", json={"badge": "ADV1"}), 409, "not_invoiced")
    _refused(client.post("/api/workorders/3001/release", json={"badge": "SUP1", "pin": "2468"}), 400, "reason_required")
    _refused(
        client.post("/api/workorders/3001/release", json={"badge": "ADV1", "pin": "2468", "reason": "x"}),
        403,
        "role_denied",
    )
    _ok(client.post("/api/workorders/3001/release", json={"badge": "SUP1", "pin": "2468", "reason": "fleet"}), 201)
    _ok(client.post("/api/workorders/3001/deliver", json={"badge": "ADV1"}))
