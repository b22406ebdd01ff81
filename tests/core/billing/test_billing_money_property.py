"""Money is exact (SPEC 10.4): across random invoices, discounts and credit notes, the totals are the sums of
their lines, every share is whole cents, nothing goes below zero, and a credit note leaves nothing owed.

The same functions the invoice uses (floor.core.billing.money: `bill_of`, `discount_value`, `spread`), with
the repair order's one rounding (floor.core.repair.money.line_price)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from floor import clock
from floor.core.billing import numbers
from floor.core.billing.errors import BillingError
from floor.core.billing.invoicing import find_invoice
from floor.core.billing.money import Priced, bill_of, discount_value, spread
from floor.core.billing.settle import credit, discount
from floor.core.billing.settle import pay as take_payment
from floor.core.billing.views import invoice_json
from floor.core.repair.money import CENT, ZERO, line_price, round_money, tax_of
from floor.models import CreditNote, Invoice, InvoiceLine, WorkOrder
from tests.billing_factories import BILLING
from tests.repair_factories import ROLES, person

PAYS = ("customer", "warranty", "internal")

lines_st = st.lists(
    st.tuples(
        st.sampled_from(PAYS),
        st.integers(1, 20),  # units, or hundredths of an hour below
        st.decimals(Decimal("0"), Decimal("9999.9999"), places=4),
        st.booleans(),  # labour (hours = units / 100 x 4) or parts
    ),
    min_size=1,
    max_size=40,
)
discounts_st = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(0, 39)),  # the line, or the whole invoice
        st.one_of(
            st.tuples(st.just("pct"), st.decimals(Decimal("0.001"), Decimal("100"), places=3)),
            st.tuples(st.just("amount"), st.decimals(Decimal("0.01"), Decimal("5000"), places=2)),
        ),
    ),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(lines=lines_st, discounts=discounts_st, tax_pct=st.decimals(Decimal("0"), Decimal("100"), places=3))
def test_totals_are_the_sums_of_their_lines(lines, discounts, tax_pct):
    priced: dict[int, Priced] = {}
    for i, (pay, n, unit, labour) in enumerate(lines):
        qty = Decimal(n) * Decimal("0.25") if labour else n
        price = line_price(qty, unit)
        assert price == price.quantize(CENT) and price == round_money(Decimal(qty) * unit)
        priced[i] = Priced(i, pay, price)

    given_total = ZERO
    for target, (kind, value) in discounts:
        customer = [p for p in priced.values() if p.pay == "customer"]
        targets = [p for p in customer if p.id == target] if target is not None else customer
        if not targets:
            continue
        gross = sum((p.price for p in targets), ZERO)
        left = sum((p.net for p in targets), ZERO)
        try:
            amount = discount_value(
                gross, left, value if kind == "pct" else None, value if kind == "amount" else None, "x"
            )
        except BillingError as exc:
            assert exc.code == "discount_too_large"
            continue
        shares = spread(amount, [(p.id, p.net) for p in targets])
        assert sum(shares.values(), ZERO) == amount  # the shares add up to the discount, to the cent
        for line_id, share in shares.items():
            assert share == share.quantize(CENT) and 0 < share <= priced[line_id].net
            p = priced[line_id]
            priced[line_id] = Priced(p.id, p.pay, p.price, p.discount + share)
        given_total += amount

    bill = bill_of(priced.values(), tax_pct)
    for pay in PAYS:
        mine = [p for p in priced.values() if p.pay == pay]
        assert bill.totals[pay] == sum((p.net for p in mine), ZERO)
        assert bill.gross[pay] == sum((p.price for p in mine), ZERO)
    assert all(p.net >= 0 and p.net == p.net.quantize(CENT) for p in priced.values())
    assert all(p.discount == 0 for p in priced.values() if p.pay != "customer")  # only the customer's part
    assert bill.discount == given_total == bill.gross["customer"] - bill.totals["customer"]
    assert bill.tax == tax_of(bill.totals["customer"], tax_pct) and bill.tax == bill.tax.quantize(CENT)
    assert bill.due == bill.totals["customer"] + bill.tax


_invoices = st.lists(
    st.tuples(st.sampled_from(PAYS), st.integers(1, 5), st.decimals(Decimal("0.01"), Decimal("999.99"), places=2)),
    min_size=1,
    max_size=12,
)
_acts = st.lists(
    st.one_of(
        st.tuples(
            st.just("discount"),
            st.one_of(st.none(), st.integers(1, 12)),
            st.decimals(Decimal("0.5"), Decimal("30"), places=1),
        ),
        st.tuples(st.just("pay"), st.sampled_from(["cash", "card", "transfer"]), st.integers(1, 60)),
    ),
    max_size=6,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=_invoices, acts=_acts, tax_pct=st.sampled_from([Decimal(0), Decimal(6), Decimal(13)]))
def test_stored_invoices_discounts_payments_and_credit_notes_add_up(till, lines, acts, tax_pct):
    """Through the rules and the database: random invoices, discounts (approved above the limit), part payments,
    then a credit note: totals = sums of lines, balance = due - paid, the note takes back the due and owes back
    what was paid, and the numbers of both series run without gaps."""
    db = till
    adv = person(db, "ADV1")
    with db.writing() as s:
        wo = WorkOrder(number=f"P{s.scalar(select(func.count()).select_from(WorkOrder))}", status="ready")
        s.add(wo)
        s.flush()
        seq, number = numbers.next_number(s, numbers.INVOICE)
        inv = Invoice(
            number=number,
            seq=seq,
            work_order_id=wo.id,
            live_job_id=wo.id,
            tax_pct=tax_pct,
            created_by=person(db, "SUP1").id,
        )
        s.add(inv)
        s.flush()
        for pay_type, qty, unit in lines:
            s.add(
                InvoiceLine(
                    invoice_id=inv.id,
                    kind="part",
                    pay=pay_type,
                    code="X",
                    name="x",
                    name_zh="x",
                    qty=qty,
                    unit_price=unit,
                    price=line_price(qty, unit),
                )
            )
    for act in acts:
        try:
            with db.writing() as s:
                inv = find_invoice(s, number)
                if act[0] == "discount":
                    discount(
                        s,
                        inv,
                        adv,
                        clock.now(),
                        pct=str(act[2]),
                        line=act[1],
                        approver="SUP2",
                        pin="2468",
                        roles=ROLES,
                        billing=BILLING,
                    )
                else:
                    owed = Decimal(invoice_json(s, inv)["balance"])
                    take_payment(
                        s,
                        inv,
                        adv,
                        "U:ADV1",
                        clock.now(),
                        method=act[1],
                        amount=str(max(round_money(owed * act[2] / 100), CENT)),
                        roles=ROLES,
                    )
        except BillingError as exc:
            assert exc.code in {
                "discount_too_large",
                "unknown_invoice_line",
                "discount_not_customer",
                "nothing_to_discount",
                "discount_below_paid",
                "invoice_not_open",
                "overpayment",
            }
    with db.reading() as s:
        shown = invoice_json(s, find_invoice(s, number))
    for pay_type in PAYS:
        assert Decimal(shown["totals"][pay_type]) == sum(
            (Decimal(li["net"]) for li in shown["lines"] if li["pay"] == pay_type), ZERO
        )
    assert all(Decimal(li["net"]) == Decimal(li["price"]) - Decimal(li["discount"]) >= 0 for li in shown["lines"])
    assert Decimal(shown["due"]) == Decimal(shown["totals"]["customer"]) + Decimal(shown["tax"])
    assert Decimal(shown["balance"]) == Decimal(shown["due"]) - Decimal(shown["paid"]) >= 0
    assert Decimal(shown["paid"]) == sum((Decimal(p["amount"]) for p in shown["payments"]), ZERO)
    with db.writing() as s:
        note = credit(s, find_invoice(s, number), "SUP2", "2468", "test", clock.now(), roles=ROLES)
        assert (str(note.amount), str(note.refund)) == (shown["due"], shown["paid"])
    with db.reading() as s:
        after = invoice_json(s, find_invoice(s, number))
        assert (after["status"], after["balance"], after["totals"]) == ("credited", "0.00", shown["totals"])
        for model in (Invoice, CreditNote):
            seqs = sorted(s.scalars(select(model.seq)))
            assert seqs == list(range(1, len(seqs) + 1))
