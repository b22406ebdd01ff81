"""Sales orders: quote → confirm (reserves stock; `awaiting_approval` below the discount limit) → approve
→ pick (floor.core.sales.scans) → ship or collected; cancel releases holds and puts picked stock back.

A sale's holds are per line (`Holder("sale", line.id)` of floor.core.reservations), so a
job's request cannot take the units a confirmed sale is promised, and the reverse. A hold
ends with its units picked (the pick takes them out of it), with the sale (ship and cancel
release what is left), or when stock leaves the shelf under it (floor.core.demand.followers.trim_to_stock).
A confirmed sale nobody ships or cancels keeps its holds: SPEC 9.3 sets no expiry.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.core import changes, messages, reservations
from floor.core.alerts import evaluate_parts
from floor.core.authority import RoleTable
from floor.core.demand.followers import follow_release
from floor.core.inputs import ascii_decimal
from floor.core.ledger import Ledger
from floor.core.pins import refuse_own_work, verify_pin
from floor.core.reservations import Holder
from floor.core.sales.customers import customer_by_code
from floor.core.sales.errors import SaleError, require
from floor.core.sales.settings import SalesSettings
from floor.models import Customer, Location, Part, Sale, SaleCoreCharge, SaleLine, SalePick, User
from floor.models.sales import SaleStatus

CENT = Decimal("0.01")
MAX_LINES = 200
OPEN_STATUSES = (SaleStatus.QUOTE, SaleStatus.AWAITING_APPROVAL, SaleStatus.APPROVED)


def money(value: Decimal | int) -> Decimal:
    """Round to cents, half up (how a receipt shows an amount)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _decimal(value: Any, part_no: str) -> Decimal:
    price = ascii_decimal(value)  # only ASCII digits are digits: "٣" is not 3
    if price is None:
        raise SaleError("bad_price", part_no=part_no, price=str(value)[:20])
    if price < 0 or price > Decimal("99999999"):
        raise SaleError("bad_price", part_no=part_no, price=str(value)[:20])
    return price


def list_price(part: Part, customer: Customer, settings: SalesSettings) -> Decimal | None:
    """The customer's default unit price: the sell price, less the trade discount for trade customers."""
    if part.sell_price is None:
        return None
    if customer.kind == "trade" and settings.trade_discount_pct:
        return money(part.sell_price * (1 - settings.trade_discount_pct / 100))
    return Decimal(part.sell_price)


def price_floor(line: SaleLine, settings: SalesSettings, sell_price: Decimal | None = None) -> Decimal | None:
    """The lowest price a line may have without a supervisor: the part's sell price less `max_discount_pct`.

    SPEC 9.3's floor is `sell_price × 0.9` for every customer kind: a trade customer's default price is no
    exception (a trade discount deeper than the limit waits for a supervisor too). Without a sell price, the
    line's own default price is the base.
    """
    base = sell_price if sell_price is not None else line.list_price
    if base is None:
        return None
    return Decimal(base) * (1 - settings.max_discount_pct / 100)


def _qty(value: Any, part_no: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 9999:
        raise SaleError("bad_qty", value=str(value)[:20])
    return value


def create_sale(
    session: Session,
    settings: SalesSettings,
    actor: User,
    customer_code: Any,
    lines: Any,
    at: datetime,
    note: str | None = None,
    *,
    roles: RoleTable,
) -> Sale:
    """A quote for a customer: parts, quantities and prices (default: the customer's list price)."""
    changes.publish(session, changes.MASTER)  # sent only if the transaction commits
    require(roles, actor, "quote_sale")
    customer = customer_by_code(session, customer_code)
    if not isinstance(lines, list) or not lines:
        raise SaleError("sale_no_lines")
    if len(lines) > MAX_LINES:
        raise SaleError("bad_qty", value=f"{len(lines)} lines (at most {MAX_LINES})")
    sale = Sale(customer_id=customer.id, status="quote", created_at=at, created_by=actor.id, note=note)
    rows: list[SaleLine] = []
    for i, item in enumerate(lines, 1):
        if not isinstance(item, dict):
            raise SaleError("sale_no_lines")
        part_no = str(item.get("part_no") or "").strip()
        part = session.scalar(select(Part).where(Part.part_no == part_no, Part.active.is_(True))) if part_no else None
        if part is None:
            raise SaleError("unknown_part", text=part_no[:60] or "-")
        qty = _qty(item.get("qty"), part.part_no)
        default = list_price(part, customer, settings)
        if item.get("price") is not None:
            price = _decimal(item["price"], part.part_no)
        elif default is None:
            raise SaleError("no_sell_price", part_no=part.part_no)
        else:
            price = default
        rows.append(
            SaleLine(
                line_no=i,
                part_id=part.id,
                qty=qty,
                picked=0,
                price=price,
                list_price=default,
                unit_cost=part.unit_cost,
                core_charge=(part.core_charge or Decimal(0)) if part.is_core else Decimal(0),
            )
        )
    session.add(sale)
    session.flush()
    sale.number = f"{sale.id:06d}"
    for row in rows:
        row.sale_id = sale.id
    session.add_all(rows)
    session.flush()
    return sale


def sale_by_number(session: Session, number: Any, lock: bool = False) -> Sale:
    """A sale by number (a leading `SO:` is ignored), or `unknown_sale` (404)."""
    text = str(number or "").strip()
    if text.upper().startswith("SO:"):
        text = text[3:].strip()
    stmt = select(Sale).where(Sale.number == text)
    sale = session.scalar(stmt.with_for_update() if lock else stmt) if text else None
    if sale is None:
        raise SaleError("unknown_sale", number=text[:40] or "-")
    return sale


def lines_of(session: Session, sale: Sale) -> list[SaleLine]:
    """The sale's lines in order."""
    return list(session.scalars(select(SaleLine).where(SaleLine.sale_id == sale.id).order_by(SaleLine.line_no)))


def _check_status(sale: Sale, action: str, *allowed: str) -> None:
    if sale.status not in allowed:
        raise SaleError("sale_bad_status", number=sale.number, status=sale.status, action=action)


def confirm_sale(
    session: Session, settings: SalesSettings, sale: Sale, actor: User, at: datetime, *, roles: RoleTable
) -> Sale:
    """Reserve every line's stock; `approved`, or `awaiting_approval` when a price is below the limit."""
    changes.publish(session, changes.MASTER)  # sent only if the transaction commits
    require(roles, actor, "confirm_sale")
    _check_status(sale, "confirm", "quote")
    lines = lines_of(session, sale)
    # Lock parts in id order: two sales confirming the same parts cannot deadlock.
    for line in sorted(lines, key=lambda ln: (ln.part_id, ln.id)):
        held = reservations.reserve(session, line.part_id, line.qty, Holder("sale", line.id))
        if held < line.qty:
            avail = reservations.availability(session, line.part_id)
            part_no = session.scalar(select(Part.part_no).where(Part.id == line.part_id))
            raise SaleError(
                "sale_over_available",
                number=sale.number,
                part_no=part_no,
                qty=line.qty,
                on_hand=avail.on_hand,
                reserved=avail.reserved - held,
                available=held,
            )
    _warning_line(session, lines, at)
    ids = {ln.part_id for ln in lines}
    sell = {pid: price for pid, price in session.execute(select(Part.id, Part.sell_price).where(Part.id.in_(ids)))}
    below = any(
        (floor := price_floor(ln, settings, sell.get(ln.part_id))) is not None and ln.price < floor for ln in lines
    )
    sale.status = "awaiting_approval" if below else "approved"
    sale.confirmed_at = at
    if not below:
        sale.approved_at, sale.approved_by = at, actor.id
    return sale


def approve_sale(
    session: Session, sale: Sale, actor: User, at: datetime, *, roles: RoleTable, pin: object = None
) -> Sale:
    """A supervisor accepts the discounted prices of a sale awaiting approval, with their PIN.

    Four eyes (SPEC 10.6): whoever quoted the sale may not approve its prices (`four_eyes`).
    """
    changes.publish(session, changes.MASTER)  # sent only if the transaction commits
    require(roles, actor, "approve_sale")
    _check_status(sale, "approve", "awaiting_approval")
    refuse_own_work(actor, sale.created_by, "approve_sale")
    verify_pin(session, actor, pin, now=at, action="approve_sale")
    sale.status, sale.approved_at, sale.approved_by = "approved", at, actor.id
    return sale


def ship_sale(
    session: Session,
    sale: Sale,
    actor: User,
    at: datetime,
    carrier: str | None = None,
    tracking: str | None = None,
    collected: bool = False,
    *,
    roles: RoleTable,
) -> Sale:
    """Hand a fully picked sale over (collected at the counter) or to a carrier; core parts get their charges."""
    changes.publish(session, changes.MASTER)  # sent only if the transaction commits
    require(roles, actor, "ship_sale")
    _check_status(sale, "ship", "approved")
    if not collected and not ((carrier or "").strip() and (tracking or "").strip()):
        raise SaleError("ship_needs_carrier")
    lines = lines_of(session, sale)
    qty, picked = sum(ln.qty for ln in lines), sum(ln.picked for ln in lines)
    if picked < qty:
        raise SaleError("sale_not_picked", number=sale.number, picked=picked, qty=qty)
    for line in lines:
        for k in range(1, line.qty + 1 if line.core_charge else 1):
            session.add(
                SaleCoreCharge(
                    serial=f"S{sale.number}-{line.line_no}-{k}",
                    sale_id=sale.id,
                    line_id=line.id,
                    part_id=line.part_id,
                    amount=line.core_charge,
                    status="charged",
                    charged_at=at,
                )
            )
    # Every unit left the shelf by a pick, which takes it out of the hold: nothing should be held now.
    # Released anyway, so that no hold can outlive its sale (and what it freed goes to waiting jobs).
    if release_holds(session, lines):
        _freed(session, sale, lines, at, "freed_by_sale_ship")
    sale.status, sale.shipped_at, sale.shipped_by = "shipped", at, actor.id
    sale.qty_total = qty
    sale.goods_total = sum((Decimal(ln.qty) * Decimal(ln.price) for ln in lines), Decimal(0))
    sale.cost_total = sum((Decimal(ln.qty) * Decimal(ln.unit_cost) for ln in lines), Decimal(0))
    sale.collected = bool(collected)
    sale.carrier = None if collected else (carrier or "").strip()[:64]
    sale.tracking = None if collected else (tracking or "").strip()[:64]
    session.flush()
    return sale


def cancel_sale(session: Session, sale: Sale, actor: User, at: datetime, *, roles: RoleTable) -> Sale:
    """Cancel an open sale: release its holds and put picked units back into the bins they came from."""
    changes.publish(session, changes.MASTER)  # sent only if the transaction commits
    require(roles, actor, "cancel_sale")
    _check_status(sale, "cancel", *OPEN_STATUSES)
    ledger = Ledger(session)
    lines = lines_of(session, sale)
    release_holds(session, lines)
    for line in lines:
        picks = session.scalars(select(SalePick).where(SalePick.line_id == line.id, SalePick.undone.is_(False)))
        part = session.get(Part, line.part_id)
        assert part is not None
        for pick in picks:
            ledger.move(
                line.part_id,
                pick.location_id,
                pick.qty,
                "sale_cancel",
                at,
                line.unit_cost,
                actor_id=actor.id,
                ref=f"SO:{sale.number}",
            )
            pick.undone = True
        line.picked = 0
    ledger.flush()
    _freed(session, sale, lines, at, "freed_by_sale_cancel")  # freed holds and picks put back
    sale.status, sale.cancelled_at, sale.cancelled_by = "cancelled", at, actor.id
    return sale


def release_holds(session: Session, lines: list[SaleLine]) -> int:
    """A sale ended (shipped or cancelled): release whatever its lines still hold; return the units freed.

    In part-id order, the order every writer locks a part's rows in.
    """
    return sum(
        reservations.release(session, Holder("sale", ln.id)) for ln in sorted(lines, key=lambda x: (x.part_id, x.id))
    )


def _freed(session: Session, sale: Sale, lines: list[SaleLine], at: datetime, why: str) -> None:
    """A sale ended: the units it held or picked are free again, for the jobs waiting for them and the warning line."""
    follow_release(session, [ln.part_id for ln in lines], at, messages.render(why, {"number": sale.number}))


def _warning_line(session: Session, lines: list[SaleLine], at: datetime) -> None:
    """A sale's holds are not free stock: holding or freeing them moves parts across their warning line."""
    ids = {ln.part_id for ln in lines}
    if ids:
        evaluate_parts(session, ids, at)


def sale_total(lines: list[SaleLine]) -> tuple[Decimal, Decimal]:
    """(goods total, core charges) of the lines, in cents."""
    goods = sum((Decimal(ln.qty) * Decimal(ln.price) for ln in lines), Decimal(0))
    cores = sum((Decimal(ln.qty) * Decimal(ln.core_charge) for ln in lines), Decimal(0))
    return money(goods), money(cores)


def sale_summary(session: Session, sale: Sale) -> dict[str, Any]:
    """`GET /api/sales/<n>`: status, customer, lines (ordered/picked/price), totals, core charges."""
    lines = lines_of(session, sale)
    parts = {p.id: p for p in session.scalars(select(Part).where(Part.id.in_([ln.part_id for ln in lines] or [-1])))}
    cust = session.get(Customer, sale.customer_id)
    goods, cores = sale_total(lines)
    charges = session.execute(
        select(SaleCoreCharge.status, func.count(), func.coalesce(func.sum(SaleCoreCharge.amount), 0))
        .where(SaleCoreCharge.sale_id == sale.id)
        .group_by(SaleCoreCharge.status)
    ).all()
    by_status = {s: (int(n), Decimal(a)) for s, n, a in charges}
    charged = sum((a for s, (_n, a) in by_status.items() if s != "void"), Decimal(0))
    refunded = by_status.get("refunded", (0, Decimal(0)))[1]
    serials = list(
        session.execute(
            select(SaleCoreCharge.serial, SaleCoreCharge.status, Part.part_no)
            .join(Part, Part.id == SaleCoreCharge.part_id)
            .where(SaleCoreCharge.sale_id == sale.id)
            .order_by(SaleCoreCharge.id)
        )
    )
    return {
        "number": sale.number,
        "status": sale.status,
        "customer": cust.code if cust else None,
        "customer_name": cust.name if cust else None,
        "customer_kind": cust.kind if cust else None,
        "lines": [
            {
                "line": ln.line_no,
                "part_no": parts[ln.part_id].part_no,
                "name": parts[ln.part_id].name,
                "qty": ln.qty,
                "picked": ln.picked,
                "price": str(money(ln.price)),
                "list_price": str(money(ln.list_price)) if ln.list_price is not None else None,
                "core_charge": str(money(ln.core_charge)) if ln.core_charge else None,
                "amount": str(money(ln.qty * ln.price)),
            }
            for ln in lines
        ],
        "picked": sum(ln.picked for ln in lines),
        "qty": sum(ln.qty for ln in lines),
        "goods": str(goods),
        "core_total": str(cores),
        "total": str(goods + cores),
        "core_charges": {
            "charged": str(money(charged)),
            "refunded": str(money(refunded)),
            "tags": [{"serial": s, "status": st, "part_no": p} for s, st, p in serials],
        },
        "created_at": sale.created_at.isoformat(),
        "shipped_at": sale.shipped_at.isoformat() if sale.shipped_at else None,
        "carrier": sale.carrier,
        "tracking": sale.tracking,
        "collected": sale.collected,
    }


def list_sales(session: Session, start: datetime, end: datetime, status: str | None = None) -> list[dict[str, Any]]:
    """Sales created in [start, end) with customer, status and totals (for the list and its CSV)."""
    goods = func.sum(SaleLine.qty * SaleLine.price)
    cores = func.sum(SaleLine.qty * SaleLine.core_charge)
    stmt = (
        select(Sale, Customer.code, Customer.name, goods, cores, func.sum(SaleLine.qty), func.sum(SaleLine.picked))
        .join(Customer, Customer.id == Sale.customer_id)
        .join(SaleLine, SaleLine.sale_id == Sale.id)
        .where(Sale.created_at >= start, Sale.created_at < end)
        .group_by(Sale.id, Customer.code, Customer.name)
        .order_by(Sale.id)
    )
    if status:
        stmt = stmt.where(Sale.status == status)
    out = []
    for sale, code, name, g, c, qty, picked in session.execute(stmt):
        g, c = money(Decimal(g or 0)), money(Decimal(c or 0))
        out.append(
            {
                "number": sale.number,
                "status": sale.status,
                "customer": code,
                "customer_name": name,
                "qty": int(qty or 0),
                "picked": int(picked or 0),
                "goods": str(g),
                "core_total": str(c),
                "total": str(g + c),
                "created_at": sale.created_at.isoformat(),
                "shipped_at": sale.shipped_at.isoformat() if sale.shipped_at else None,
                "carrier": sale.carrier,
                "tracking": sale.tracking,
                "collected": sale.collected,
            }
        )
    return out


def location_code(session: Session, location_id: int) -> str:
    """A bin's code (for messages)."""
    return session.scalar(select(Location.code).where(Location.id == location_id)) or str(location_id)
