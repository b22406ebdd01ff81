"""The bill in the reports (SPEC 10.4), on both databases: the workshop KPIs from standing invoices, and unpaid
invoices among the alerts."""

from __future__ import annotations

from datetime import timedelta

from floor import clock
from floor.core.billing.invoicing import find_invoice, invoice_job
from floor.core.billing.settle import credit, pay
from floor.core.purchasing import alerts
from floor.core.reports.kpis import kpis
from floor.core.reports.period import Period
from tests.billing_factories import BILLING, ready_job
from tests.repair_factories import ROLES, job_of, person


def test_workshop_kpis_and_unpaid_alerts(till, service):
    db = till
    ready_job(db, service)
    with db.writing() as s:
        number = invoice_job(
            s, job_of(s, "3001"), person(db, "ADV1"), "U:ADV1", clock.now(), roles=ROLES, billing=BILLING
        ).number
    today = clock.now().date()
    period = Period(today - timedelta(days=1), today + timedelta(days=1))
    with db.reading() as s:
        r = kpis(s, period, clock.now())
        assert [u["number"] for u in alerts(s, clock.now())["unpaid_invoices"]] == [number]
    # labour 456.00 + 304.00; parts 116.66 + 12.90, which cost 2 x 35.00 + 8.50 (the issues' unit costs)
    assert (r["labour_sales"], r["parts_sales_workshop"], r["revenue_per_job"]) == (760.0, 129.56, 889.56)
    assert r["parts_margin"] == 51.06 and r["details"]["workshop"]["per_job"]["3001"]["parts_margin"] == 51.06

    with db.writing() as s:
        pay(
            s,
            find_invoice(s, number),
            person(db, "ADV1"),
            "U:ADV1",
            clock.now(),
            method="cash",
            amount="1005.20",
            roles=ROLES,
        )
    with db.reading() as s:
        assert alerts(s, clock.now())["unpaid_invoices"] == []
    # A credited invoice is no sale.
    with db.writing() as s:
        credit(s, find_invoice(s, number), "SUP1", "2468", "test", clock.now(), roles=ROLES)
    with db.reading() as s:
        r = kpis(s, period, clock.now())
    assert (r["labour_sales"], r["parts_sales_workshop"], r["revenue_per_job"], r["parts_margin"]) == (0, 0, None, 0)
