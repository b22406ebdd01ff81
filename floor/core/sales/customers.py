"""Customers: retail (walk-in) and trade, created by API or CSV import."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core.sales.errors import SaleError
from floor.models import Customer
from floor.models.sales import CustomerKind


def upsert_customer(session: Session, code: Any, name: Any, phone: Any = "", kind: Any = "retail") -> Customer:
    """Create a customer or update the one with this code."""
    code = str(code or "").strip()
    if not code or len(code) > 64:
        raise SaleError("bad_customer_code", code=code[:40] or "-")
    kind = str(kind or "retail").strip().lower()
    if kind not in CustomerKind.values():
        raise SaleError("bad_customer_kind", kind=kind[:20])
    name = str(name or "").strip()[:200] or code
    phone = str(phone or "").strip()[:64]
    cust = session.scalar(select(Customer).where(Customer.code == code))
    if cust is None:
        cust = Customer(code=code, name=name, phone=phone, kind=kind)
        session.add(cust)
    else:
        cust.name, cust.phone, cust.kind = name, phone, kind
    session.flush()
    return cust


def customer_by_code(session: Session, code: Any) -> Customer:
    """A customer by code, or `unknown_customer` (404)."""
    text = str(code or "").strip()
    cust = session.scalar(select(Customer).where(Customer.code == text)) if text else None
    if cust is None:
        raise SaleError("unknown_customer", code=text[:40] or "-")
    return cust


def customer_json(cust: Customer) -> dict[str, Any]:
    """A customer as the API shows it."""
    return {"code": cust.code, "name": cust.name, "phone": cust.phone, "kind": cust.kind}
