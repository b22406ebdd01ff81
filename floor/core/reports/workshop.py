"""The workshop's sales KPIs (SPEC 10.4), from the invoices of the period that stand (not credited).

- `labour_sales`: labour lines after their discounts, every pay type (the customer's, the maker's under
  warranty, the workshop's own), before tax;
- `parts_sales_workshop`: part lines the same way (counter sales are `sales_total`);
- `revenue_per_job`: (labour + parts sales) / invoices;
- `parts_margin`: parts sales less what those parts cost (the issues' unit costs), in total and per job.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.core.reports.period import Period
from floor.models import Invoice, InvoiceDiscount, InvoiceLine, WorkOrder
from floor.models.billing import InvoiceStatus

CENT = Decimal("0.01")
ZERO = Decimal(0)


def _dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def workshop_sales(session: Session, period: Period) -> dict[str, Any]:
    """Labour and parts sales, revenue per job and parts margin of the invoices made in the period."""
    standing = (
        Invoice.created_at >= period.start,
        Invoice.created_at < period.end,
        Invoice.status != InvoiceStatus.CREDITED.value,
    )
    discounts: dict[int, Decimal] = {
        int(line_id): _dec(amount)
        for line_id, amount in session.execute(
            select(InvoiceDiscount.line_id, func.sum(InvoiceDiscount.amount))
            .join(Invoice, Invoice.id == InvoiceDiscount.invoice_id)
            .where(*standing)
            .group_by(InvoiceDiscount.line_id)
        )
    }
    labour, parts, cost = ZERO, ZERO, ZERO
    jobs: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"sales": ZERO, "parts": ZERO, "cost": ZERO})
    invoices: set[int] = set()
    for line_id, invoice_id, job, kind, price, line_cost in session.execute(
        select(InvoiceLine.id, Invoice.id, WorkOrder.number, InvoiceLine.kind, InvoiceLine.price, InvoiceLine.cost)
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .join(WorkOrder, WorkOrder.id == Invoice.work_order_id)
        .where(*standing)
    ):
        invoices.add(int(invoice_id))
        net = _dec(price) - _dec(discounts.get(line_id))
        jobs[job]["sales"] += net
        if kind == "labour":
            labour += net
        else:
            parts += net
            cost += _dec(line_cost)
            jobs[job]["parts"] += net
            jobs[job]["cost"] += _dec(line_cost)
    revenue = labour + parts
    return {
        "labour_sales": float(labour.quantize(CENT)),
        "parts_sales_workshop": float(parts.quantize(CENT)),
        "revenue_per_job": float((revenue / len(invoices)).quantize(CENT)) if invoices else None,
        "parts_margin": float((parts - cost).quantize(CENT)),
        "details": {
            "invoices": len(invoices),
            "parts_cost": float(cost.quantize(CENT)),
            "per_job": {
                job: {
                    "sales": float(v["sales"].quantize(CENT)),
                    "parts_sales": float(v["parts"].quantize(CENT)),
                    "parts_margin": float((v["parts"] - v["cost"]).quantize(CENT)),
                }
                for job, v in sorted(jobs.items())
            },
        },
    }
