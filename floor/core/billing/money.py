"""The bill's arithmetic, pure: totals per pay type from the lines, a discount spread over lines, amounts read.

The rounding is the repair order's, stated once (floor.core.repair.money): each line's price is rounded
half-up to 0.01 when it is made; a discount's share on each line is a whole number of cents; a line's
net is its price less its shares; the totals are sums of nets (nothing rounds there); the tax is
rounded once, on the customer's total. So the totals always equal the sum of their lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from floor.core.billing.errors import BillingError
from floor.core.repair.money import CENT, ZERO, round_money, tax_of
from floor.models.repair import PayType

MAX_AMOUNT = Decimal("99999999.99")
_PLAIN = re.compile(r"[0-9]{1,8}(\.[0-9]{1,2})?")
_PCT = re.compile(r"[0-9]{1,3}(\.[0-9]{1,3})?")


def read_amount(value: object, name: str = "amount") -> Decimal:
    """A money amount from a client: above 0, at most two decimals, ASCII digits only (`bad_amount`, 400).

    JSON numbers and strings are both accepted ("12.5", 12.5); booleans, floats with more decimals,
    exponents, signs, Unicode digits (which Python's Decimal would happily read) are not.
    """
    text = str(value).strip() if isinstance(value, (str, int, float, Decimal)) and not isinstance(value, bool) else ""
    if not _PLAIN.fullmatch(text) or Decimal(text) <= 0 or Decimal(text) > MAX_AMOUNT:
        raise BillingError("bad_amount", field=name, value=str(value)[:20])
    return Decimal(text).quantize(CENT)


def read_pct(value: object) -> Decimal:
    """A discount percentage: above 0, at most 100, at most three decimals, ASCII digits (`bad_pct`, 400)."""
    text = str(value).strip() if isinstance(value, (str, int, float, Decimal)) and not isinstance(value, bool) else ""
    if not _PCT.fullmatch(text) or not Decimal(0) < Decimal(text) <= Decimal(100):
        raise BillingError("bad_pct", value=str(value)[:20])
    return Decimal(text)


@dataclass(frozen=True)
class Priced:
    """A line's money: its id, who pays, its rounded price and the discounts' shares on it."""

    id: int
    pay: str
    price: Decimal
    discount: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        """What the line comes to after its discounts."""
        return self.price - self.discount


@dataclass
class Bill:
    """An invoice's totals: per pay type (after discounts), before discounts, the tax, what the customer owes."""

    lines: list[Priced]
    tax_pct: Decimal
    totals: dict[str, Decimal] = field(default_factory=dict)
    gross: dict[str, Decimal] = field(default_factory=dict)
    discount: Decimal = ZERO
    tax: Decimal = ZERO

    @property
    def due(self) -> Decimal:
        """What the customer pays: their lines after discounts, and the tax on them."""
        return self.totals[PayType.CUSTOMER.value] + self.tax


def bill_of(lines: Iterable[Priced], tax_pct: Decimal) -> Bill:
    """Totals of priced lines at a tax rate (sums of the lines; the tax rounded once on the customer's part)."""
    bill = Bill(list(lines), tax_pct)
    bill.totals = {p.value: ZERO for p in PayType}
    bill.gross = {p.value: ZERO for p in PayType}
    for line in bill.lines:
        bill.totals[line.pay] += line.net
        bill.gross[line.pay] += line.price
        bill.discount += line.discount
    bill.tax = tax_of(bill.totals[PayType.CUSTOMER.value], tax_pct)
    return bill


def discount_value(gross: Decimal, left: Decimal, pct: Decimal | None, amount: Decimal | None, shown: str) -> Decimal:
    """A discount's amount on a target of `gross` price with `left` still undiscounted: `pct` of the gross
    (rounded once) or the `amount`; more than is left is refused (`discount_too_large`)."""
    value = round_money(gross * pct / 100) if pct is not None else (amount or ZERO)
    if value <= 0 or value > left:
        raise BillingError("discount_too_large", amount=str(value), left=str(left), target=shown)
    return value


def spread(amount: Decimal, bases: Sequence[tuple[int, Decimal]]) -> dict[int, Decimal]:
    """`amount` shared over lines in proportion to their `bases`, in whole cents, adding up exactly.

    Each share is at most its base (the caller checks `amount` <= the sum of the bases). The cents
    rounding leaves over go, one each, to the lines with the largest bases that have room.
    """
    total = sum((b for _, b in bases), ZERO)
    if amount > total or amount < 0:
        raise ValueError("a discount larger than what it is spread over")
    if total == 0:
        return {}
    shares = {i: min(round_money(amount * b / total), b) for i, b in bases}
    left = amount - sum(shares.values(), ZERO)
    order = sorted(bases, key=lambda ib: (-ib[1], ib[0]))
    while left != 0:
        step = CENT if left > 0 else -CENT
        for i, base in order:
            if left == 0:
                break
            if ZERO <= shares[i] + step <= base:
                shares[i] += step
                left -= step
    return {i: s for i, s in shares.items() if s}
