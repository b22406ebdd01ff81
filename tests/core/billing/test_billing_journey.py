"""The bill at the core (SPEC 10.4), on both databases: READY → invoiced → discounted with approval → part-paid →
paid → delivered; warranty lines → a claim with operations and their parts; a credit note; the gate."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from floor import clock
from floor.core.billing.gate import release
from floor.core.billing.invoicing import bill_by_id, find_invoice, invoice_job
from floor.core.billing.settle import credit, deposit, discount, pay
from floor.core.billing.views import invoice_json
from floor.core.refusal import Refusal
from floor.core.workorders.handover import deliver
from floor.core.workorders.status import WorkOrderError
from floor.models import ClaimLine, Invoice, InvoiceLine, WarrantyClaim
from tests.billing_factories import BILLING, ready_job
from tests.repair_factories import ROLES, job_of, person


def _invoice(db, number="3001", badge="ADV1"):
    with db.writing() as s:
        inv = invoice_job(
            s, job_of(s, number), person(db, badge), f"U:{badge}", clock.now(), roles=ROLES, billing=BILLING
        )
        return inv.number


def _deliver(db, number="3001"):
    with db.writing() as s:
        deliver(s, job_of(s, number), person(db, "ADV1"), clock.now(), roles=ROLES)


def test_ready_job_invoiced_discounted_part_paid_paid_delivered(till, service):
    db = till
    ids = ready_job(db, service)
    number = _invoice(db)
    assert number == "INV000001"
    with db.reading() as s:
        shown = invoice_json(s, find_invoice(s, number))
    # brakes 1.2 h x 380 = 456.00, 2 pads x 58.33 = 116.66, oil 0.8 h x 380 = 304.00, filter 12.90; the declined
    # diagnosis is not invoiced (but listed); tax 13 % of 889.56 = 115.64.
    assert [(li["code"], li["qty"], li["price"]) for li in shown["lines"]] == [
        ("BRK-FRT", 1, "456.00"),
        ("BP-400", 2, "116.66"),
        ("OIL-CHG", 1, "304.00"),
        ("OF-100", 1, "12.90"),
    ]
    assert shown["totals"] == {"customer": "889.56", "warranty": "0.00", "internal": "0.00"}
    assert (shown["tax"], shown["due"], shown["status"]) == ("115.64", "1005.20", "open")
    assert [d["code"] for d in shown["declined"]] == ["DIAG"]
    # The pads were issued against the brakes, the filter against the oil change.
    assert shown["lines"][1]["against"] == 1 and shown["lines"][3]["against"] == 3
    assert ids["diag"]

    # Invoiced once.
    with pytest.raises(Refusal) as refused:
        _invoice(db)
    assert refused.value.code == "already_invoiced"

    # Not paid: the car cannot leave.
    with pytest.raises(WorkOrderError) as refused_delivery:
        _deliver(db)
    assert refused_delivery.value.code == "not_settled"

    # 10 % off: above the 5 % limit, a supervisor approves with their PIN, and not the one who gives it.
    adv, sup1 = person(db, "ADV1"), person(db, "SUP1")
    for giver, approver, pin, code in (
        (adv, None, None, "approver_required"),
        (adv, "SUP1", "", "pin_required"),
        (adv, "T001", "2468", "role_denied"),
        (sup1, "SUP1", "2468", "four_eyes"),
    ):
        with pytest.raises(Refusal) as no, db.writing() as s:
            discount(
                s,
                find_invoice(s, number),
                giver,
                clock.now(),
                pct="10",
                approver=approver,
                pin=pin,
                roles=ROLES,
                billing=BILLING,
            )
        assert no.value.code == code
    with db.writing() as s:
        rows = discount(
            s,
            find_invoice(s, number),
            adv,
            clock.now(),
            pct="10",
            approver="SUP1",
            pin="2468",
            roles=ROLES,
            billing=BILLING,
        )
        assert sum(r.amount for r in rows) == Decimal("88.96")  # 10 % of 889.56, spread over the customer lines
    with db.reading() as s:
        shown = invoice_json(s, find_invoice(s, number))
    assert (shown["totals"]["customer"], shown["tax"], shown["due"]) == ("800.60", "104.08", "904.68")
    assert sum(Decimal(li["net"]) for li in shown["lines"]) == Decimal("800.60")

    # Part-paid in cash, then an over-payment refused, then the rest by card: paid.
    with db.writing() as s:
        assert pay(
            s, find_invoice(s, number), adv, "U:ADV1", clock.now(), method="cash", amount="500", roles=ROLES
        ).amount == Decimal("500.00")
    for method, amount, code in (
        ("card", "404.69", "overpayment"),
        ("cheque", "1", "bad_pay_method"),
        ("cash", "-5", "bad_amount"),
        ("cash", "١٠", "bad_amount"),  # Arabic-Indic digits: Decimal would read them, floor does not
        ("account", "10", "not_trade_customer"),
    ):
        with pytest.raises(Refusal) as no, db.writing() as s:
            pay(s, find_invoice(s, number), adv, "U:ADV1", clock.now(), method=method, amount=amount, roles=ROLES)
        assert no.value.code == code, method
    with db.reading() as s:
        assert invoice_json(s, find_invoice(s, number))["status"] == "open"
    with pytest.raises(WorkOrderError):
        _deliver(db)
    with db.writing() as s:
        pay(s, find_invoice(s, number), adv, "U:ADV1", clock.now(), method="card", amount="404.68", roles=ROLES)
    with db.reading() as s:
        shown = invoice_json(s, find_invoice(s, number))
    assert (shown["status"], shown["paid"], shown["balance"]) == ("paid", "904.68", "0.00")
    assert [(p["method"], p["amount"]) for p in shown["payments"]] == [("cash", "500.00"), ("card", "404.68")]
    _deliver(db)
    with db.reading() as s:
        assert job_of(s, "3001").status == "delivered"


def test_warranty_lines_make_a_claim_with_operations_and_their_parts(till, service):
    db = till
    ready_job(db, service, warranty=True)
    number = _invoice(db)
    with db.reading() as s:
        shown = invoice_json(s, find_invoice(s, number))
        assert shown["totals"] == {"customer": "572.66", "warranty": "316.90", "internal": "0.00"}
        claim = s.scalar(select(WarrantyClaim).where(WarrantyClaim.claim_no == f"WC-{number}"))
        assert claim is not None and claim.amount == Decimal("316.90") and claim.status == "draft"
        lines = list(s.scalars(select(ClaimLine).where(ClaimLine.claim_id == claim.id).order_by(ClaimLine.id)))
        assert [(c.kind, c.amount) for c in lines] == [("labour", Decimal("304.00")), ("part", Decimal("12.90"))]
        assert lines[1].parent_id == lines[0].id  # the filter, tied to the oil change it was issued against
    assert shown["claim"]["claim_no"] == f"WC-{number}"
    assert [(c["kind"], c["code"]) for c in shown["claim"]["lines"]] == [("labour", "OIL-CHG"), ("part", "OF-100")]
    assert shown["claim"]["lines"][1]["against"] == "OIL-CHG"


def test_credit_note_reverses_without_deleting_and_the_job_is_invoiced_again(till, service):
    db = till
    ready_job(db, service)
    number = _invoice(db, badge="SUP1")
    with pytest.raises(Refusal) as no, db.writing() as s:
        credit(s, find_invoice(s, number), "SUP2", "2468", "  ", clock.now(), roles=ROLES)
    assert no.value.code == "reason_required"
    for badge, code in (("SUP1", "four_eyes"), ("ADV1", "role_denied")):
        with pytest.raises(Refusal) as no, db.writing() as s:
            credit(s, find_invoice(s, number), badge, "2468", "wrong customer", clock.now(), roles=ROLES)
        assert no.value.code == code
    with db.writing() as s:
        note = credit(s, find_invoice(s, number), "SUP2", "2468", "wrong customer", clock.now(), roles=ROLES)
        assert (note.number, note.amount, note.refund) == ("CN000001", Decimal("1005.20"), Decimal("0.00"))
    with db.reading() as s:
        shown = invoice_json(s, find_invoice(s, number))
        assert s.scalar(select(func.count()).select_from(InvoiceLine)) == 4  # nothing deleted
    assert (shown["status"], shown["credit_note"]["number"], shown["credit_note"]["reason"]) == (
        "credited",
        "CN000001",
        "wrong customer",
    )
    with pytest.raises(Refusal) as no, db.writing() as s:
        pay(
            s,
            find_invoice(s, number),
            person(db, "ADV1"),
            "U:ADV1",
            clock.now(),
            method="cash",
            amount="1",
            roles=ROLES,
        )
    assert no.value.code == "invoice_credited"
    # The job is invoiced again, with the next number: no gap, no double.
    assert _invoice(db) == "INV000002"
    with db.reading() as s:
        assert [i.status for i in s.scalars(select(Invoice).order_by(Invoice.seq))] == ["credited", "open"]


def test_unpaid_car_leaves_only_with_a_supervisors_release(till, service):
    db = till
    ready_job(db, service, number="3002")
    with pytest.raises(WorkOrderError) as no:
        _deliver(db, "3002")
    assert no.value.code == "not_invoiced"
    _invoice(db, "3002")
    for badge, pin, reason, code in (
        ("ADV1", "2468", "regular customer", "role_denied"),
        ("SUP1", "", "regular customer", "pin_required"),
        ("SUP1", "2468", "", "reason_required"),
    ):
        with pytest.raises(Refusal) as refused, db.writing() as s:
            release(s, job_of(s, "3002"), badge, pin, reason, clock.now(), roles=ROLES)
        assert refused.value.code == code
    with pytest.raises(WorkOrderError):
        _deliver(db, "3002")
    with db.writing() as s:
        release(s, job_of(s, "3002"), "SUP1", "2468", "fleet pays at month end", clock.now(), roles=ROLES)
    _deliver(db, "3002")
    with db.reading() as s:
        assert job_of(s, "3002").status == "delivered"
    # Delivered, its invoice still open: it is credited (priced wrong) and the delivered job invoiced again.
    with db.writing() as s:
        credit(s, find_invoice(s, "INV000001"), "SUP2", "2468", "priced wrong", clock.now(), roles=ROLES)
    assert _invoice(db, "3002") == "INV000002"


def test_trade_customer_on_account_and_a_job_not_ready(till, service):
    db = till
    ready_job(db, service, trade=True, declined=False)
    with pytest.raises(Refusal) as no, db.writing() as s:
        invoice_job(s, job_of(s, "1001"), person(db, "ADV1"), "U:ADV1", clock.now(), roles=ROLES, billing=BILLING)
    assert no.value.code == "job_not_ready"
    number = _invoice(db)
    with db.writing() as s:
        inv = find_invoice(s, number)
        pay(s, inv, person(db, "ADV1"), "U:ADV1", clock.now(), method="cash", amount="5.20", roles=ROLES)
        pay(s, inv, person(db, "ADV1"), "U:ADV1", clock.now(), method="account", amount="1000", roles=ROLES)
        assert inv.status == "on_account" and bill_by_id(s, inv).due == Decimal("1005.20")
    _deliver(db)


def test_a_deposit_taken_before_the_invoice_becomes_its_first_payment(till, service):
    db = till
    ready_job(db, service)
    adv = person(db, "ADV1")
    with db.writing() as s:
        deposit(s, job_of(s, "3001"), adv, "U:ADV1", clock.now(), method="card", amount="300", roles=ROLES)
    for method, amount, code in (("account", "10", "bad_deposit_method"), ("cash", "0.001", "bad_amount")):
        with pytest.raises(Refusal) as no, db.writing() as s:
            deposit(s, job_of(s, "3001"), adv, "U:ADV1", clock.now(), method=method, amount=amount, roles=ROLES)
        assert no.value.code == code
    with pytest.raises(Refusal) as no, db.writing() as s:
        deposit(s, job_of(s, "1003"), adv, "U:ADV1", clock.now(), method="cash", amount="10", roles=ROLES)
    assert no.value.code == "deposit_job_closed"
    number = _invoice(db)
    with db.reading() as s:
        shown = invoice_json(s, find_invoice(s, number))
    assert [(p["method"], p["amount"]) for p in shown["payments"]] == [("card", "300.00")]
    assert (shown["due"], shown["paid"], shown["balance"], shown["status"]) == ("1005.20", "300.00", "705.20", "open")
    with pytest.raises(Refusal) as no, db.writing() as s:
        deposit(s, job_of(s, "3001"), adv, "U:ADV1", clock.now(), method="cash", amount="10", roles=ROLES)
    assert no.value.code == "already_invoiced"
    # A discount may not bring what is owed below what was paid: 75 % off leaves 222.39 + 28.91 tax < 300.00.
    with pytest.raises(Refusal) as no, db.writing() as s:
        discount(
            s,
            find_invoice(s, number),
            adv,
            clock.now(),
            pct="75",
            approver="SUP1",
            pin="2468",
            roles=ROLES,
            billing=BILLING,
        )
    assert no.value.code == "discount_below_paid"
