"""The cashier's use cases called directly (SPEC 10.4, 10.6): each opens its own write, audits as the person the
door's gate returns; a gate's refusal writes nothing, and an approver's wrong PIN counts past the refusal."""

from __future__ import annotations

from functools import partial

import pytest
from sqlalchemy import func, select

from floor.application import billing
from floor.core.authority import BadgeError, resolve_badge
from floor.core.pins import PinError
from floor.db import Database
from floor.models import AuditEntry, Invoice, User
from tests.billing_factories import load_billing_shop, ready_job
from tests.conftest import make_config

CFG = make_config(billing={"labour_rate": "380.00", "tax_pct": 13, "max_discount_pct": 5})


@pytest.fixture
def till(shop, service):
    load_billing_shop(shop)
    ready_job(shop, service)
    return shop


def gate(badge: str):
    """The door's check of who acts, as the kiosk passes it: the badge's active person."""
    return partial(resolve_badge, badge=badge)


def counts(db: Database) -> tuple[int, int]:
    with db.reading() as s:
        return (
            s.scalar(select(func.count()).select_from(Invoice)) or 0,
            s.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def test_invoice_and_payment_audit_the_gates_person(till):
    """GIVEN a READY job WHEN ADV1 invoices it and takes the whole due in cash through the use cases THEN the
    invoice is paid and both audit entries name U:ADV1."""
    shown = billing.invoice_job(till, CFG, "3001", gate("ADV1"))
    paid = billing.take_payment(till, CFG, shown["number"], gate("ADV1"), "cash", shown["due"])
    assert (shown["status"], paid["status"]) == ("open", "paid")
    with till.reading() as s:
        rows = s.execute(select(AuditEntry.action, AuditEntry.actor).where(AuditEntry.object == shown["number"])).all()
    assert sorted(rows) == [("billing.invoice", "U:ADV1"), ("billing.payment", "U:ADV1")]


def test_a_gate_refusal_writes_nothing(till):
    """GIVEN a READY job WHEN the gate refuses the badge THEN no invoice and no audit entry are written."""
    before = counts(till)
    with pytest.raises(BadgeError):
        billing.invoice_job(till, CFG, "3001", gate("NOBODY"))
    assert counts(till) == before


def test_a_wrong_approver_pin_counts_past_the_refusal(till):
    """GIVEN an invoice WHEN a discount above the limit names SUP1 with a wrong PIN THEN it is refused, nothing
    is given, and SUP1's wrong try is kept although the write rolled back."""
    number = billing.invoice_job(till, CFG, "3001", gate("ADV1"))["number"]
    data = {"amount": "100", "approver": {"badge": "SUP1", "pin": "0000"}}
    with pytest.raises(PinError) as refused:
        billing.give_discount(till, CFG, number, gate("ADV1"), data)
    assert refused.value.code == "bad_pin"
    with till.reading() as s:
        sup = s.scalars(select(User).where(User.badge == "SUP1")).one()
        assert sup.pin_failures == 1
        assert s.scalar(select(func.count()).where(AuditEntry.action == "billing.discount")) == 0
