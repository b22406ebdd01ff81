"""The bill's refusal (`BillingError`), its role rows, and the messages of its codes (en, zh)."""

from __future__ import annotations

from typing import Any

from floor.core.authority import NotAllowed, RoleTable
from floor.core.scanning.context import Reject
from floor.models.billing import InvoiceStatus

# The rows of the role table (floor.core.authority) the bill checks.
INVOICE = "invoice"  # invoice a READY job
DISCOUNT = "discount"  # give a discount (above [billing] max_discount_pct it needs an approver)
APPROVE_DISCOUNT = "approve_discount"  # the approver of a discount above the limit
TAKE_PAYMENT = "take_payment"  # record a payment
CREDIT = "credit_invoice"  # issue a credit note
RELEASE = "release_unpaid"  # let a car leave unpaid

_FIELD_ZH = {"amount": "金额", "pct": "百分比", "line": "行号"}
_PAY_ZH = {"customer": "客户", "warranty": "三包索赔", "internal": "内部"}


class BillingError(Reject):
    """A rule of the bill refused a change (an API 4xx by code); it changes nothing."""

    def __init__(self, code: str, /, **params: Any) -> None:
        if "field" in params:
            params.setdefault("field_zh", _FIELD_ZH.get(str(params["field"]), str(params["field"])))
        if "pay" in params:
            params.setdefault("pay_zh", _PAY_ZH.get(str(params["pay"]), str(params["pay"])))
        status = InvoiceStatus.parse(params.get("status"))
        if status is not None:
            params.setdefault("status_zh", status.zh)
            params.setdefault("status_name", status.en)
        if "target" in params:
            params.setdefault("target_zh", "该行" if str(params["target"]).startswith("line") else "发票")
        super().__init__(code, **params)


def require(table: RoleTable, who: Any, action: str) -> None:
    """The site's role table's verdict as a refusal of the bill: `role_denied` (403) naming who and what."""
    try:
        table.require(who, action)
    except NotAllowed as exc:
        raise BillingError("role_denied", **exc.params) from None
