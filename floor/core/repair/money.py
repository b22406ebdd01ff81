"""Money on the repair order: Decimal throughout, and the one rounding, stated once.

Each line's price is rounded half-up to 0.01 (`line_price`), and the totals add the rounded lines;
the tax is rounded the same way once, on the customer's total (`tax_of`). Nothing else rounds.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_money(amount: Decimal) -> Decimal:
    """An amount rounded half-up to the cent (the only rounding of the repair order)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def line_price(quantity: Decimal | int, unit_price: Decimal) -> Decimal:
    """A line's price: quantity (units, or labour hours) times the unit price, rounded once."""
    return round_money(Decimal(quantity) * unit_price)


def tax_of(amount: Decimal, pct: Decimal) -> Decimal:
    """The tax on an amount at `pct` percent, rounded once."""
    return round_money(amount * pct / Decimal(100))


def unit_text(amount: Decimal) -> str:
    """A unit price as text: two decimals, more only where it has them (380.00, 12.3456)."""
    cents = amount.quantize(CENT)
    return format(cents if cents == amount else amount.normalize(), "f")
