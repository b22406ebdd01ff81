"""Sales at the counter by scan (SPEC 9.3): `SO:<number>` selects a sale (mode SALE), part scans pick it.

- `SO:<number>` at a counter: the sale must be approved; the person in session must
  be allowed `pick_sale`. In QUARANTINE mode (a customer return) it names the sale
  the returned parts came from instead.
- A part scan in SALE mode picks `Q:` units (default 1) of the sale's line of that part
  from the session's bin: more than ordered is `over_pick`. The units leave the
  line's hold and the shelf (ledger reason `sale`); UNDO puts them back and holds them again.
- `C:<serial>` of a core sold (`S<sale>-<line>-<k>`) refunds its charge; with a
  disposition pending (`CMD:REUSABLE` …) it judges that core. Other tags go to the workshop handler.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from floor.core import rawsql, reservations
from floor.core.catalog import PartInfo
from floor.core.demand.scans import scan_on_hand
from floor.core.reservations import Holder
from floor.core.sales import cores as sale_cores
from floor.core.sales.errors import SaleError
from floor.core.sales.orders import money, sale_by_number
from floor.core.scanning.context import Handler, Outcome, Reject, ScanContext
from floor.core.workorders import cores as core_rules
from floor.core.workorders.texts import zh_params
from floor.models import Customer, Part, Sale, SalePick
from floor.models.base import table_of
from floor.models.scans import ScanMode

SALE_MODE = ScanMode.SALE
SALE_KEY = "sale"  # station extra: {"id", "number"} of the sale in session
RETURN_SALE_KEY = "return_sale"  # station extra: the sale a customer return names ("SO:<number>")


_LINES_SQL = (
    'SELECT s."status", s."number", l."id", l."part_id", l."qty", l."picked", r."id", r."qty"'
    ' FROM "sales" s JOIN "sale_lines" l ON l."sale_id" = s."id"'
    ' LEFT JOIN "reservations" r ON r."holder" = \'sale\' AND r."holder_id" = l."id"'
    ' WHERE s."id" = ? ORDER BY l."line_no"'
)
# On PostgreSQL the sale row is locked: a cancel or ship in another transaction waits for the pick.
_LINES = {False: rawsql.Statement(_LINES_SQL), True: rawsql.Statement(_LINES_SQL + " FOR UPDATE OF s")}
_PICKED = rawsql.Statement('UPDATE "sale_lines" SET "picked" = "picked" + ? WHERE "id" = ?')
_PICK = rawsql.insert_into(
    table_of(SalePick), ["line_id", "location_id", "qty", "event_id", "actor_id", "undone", "at"]
)


@dataclass
class _Line:
    """A sale line as the pick scan needs it: ids, ordered, picked, its hold (reservation id, units)."""

    id: int
    part_id: int
    qty: int
    picked: int
    hold_id: int | None
    held: int


def _sale_lines(ctx: ScanContext) -> tuple[int, str, str, list[_Line]]:
    """(id, status, number, lines) of the sale in session: one raw read, as this runs on every pick scan."""
    info = ctx.state.extra.get(SALE_KEY)
    if not info:
        raise Reject("no_sale")
    pg = ctx.session.get_bind().dialect.name == "postgresql"
    rows = rawsql.run(ctx.session, _LINES[pg], (info["id"],))
    if not rows:
        raise SaleError("unknown_sale", number=info.get("number", "-"))
    lines = [_Line(i, p, q, pk, rid, int(h or 0)) for _s, _n, i, p, q, pk, rid, h in rows]
    return info["id"], rows[0][0], rows[0][1], lines


def scan_sale(ctx: ScanContext) -> Outcome:
    """`SO:<number>`: select the sale to pick at a counter, or name the sale of a customer return."""
    sale = sale_by_number(ctx.session, ctx.code.value)
    if ctx.state.mode == "QUARANTINE":
        ctx.require_role("customer_return")
        ctx.state.extra[RETURN_SALE_KEY] = f"SO:{sale.number}"
        return Outcome("sale_return_set", {"number": sale.number}, {"return_sale": sale.number})
    ctx.check_mode(SALE_MODE)
    ctx.require_role("pick_sale")
    if sale.status != "approved":
        raise SaleError("sale_bad_status", number=sale.number, status=sale.status, action="pick")
    cust = ctx.session.get(Customer, sale.customer_id)
    ctx.state.mode = SALE_MODE
    ctx.state.work_order_id = None
    ctx.state.extra.pop("move_part", None)
    ctx.state.extra[SALE_KEY] = {"id": sale.id, "number": sale.number}
    lines = _sale_lines(ctx)[3]
    picked, qty = sum(ln.picked for ln in lines), sum(ln.qty for ln in lines)
    return Outcome(
        "sale_set",
        {"number": sale.number, "customer": cust.name if cust else "-", "picked": picked, "qty": qty},
        {"sale": sale.number, "mode": SALE_MODE, "picked": picked, "qty": qty},
    )


def pick(ctx: ScanContext, part: PartInfo) -> Outcome:
    """Pick units of the scanned part for the sale in session from the session's bin."""
    actor = ctx.require_role("pick_sale")
    _sale_id, status, number, lines = _sale_lines(ctx)
    if status != "approved":
        raise SaleError("sale_bad_status", number=number, status=status, action="pick")
    loc = ctx.pick_location()
    qty = ctx.take_qty()
    mine = [ln for ln in lines if ln.part_id == part.id]
    if not mine:
        raise SaleError("not_on_sale", part_no=part.part_no, number=number)
    ordered, picked = sum(ln.qty for ln in mine), sum(ln.picked for ln in mine)
    if picked + qty > ordered:
        raise SaleError("over_pick", number=number, ordered=ordered, picked=picked, part_no=part.part_no)
    # Split over the part's lines, in line order: (line, units, units taken out of its hold).
    plan: list[tuple[_Line, int, int]] = []
    left, short = qty, 0
    for ln in mine:
        take = min(left, ln.qty - ln.picked)
        if take <= 0:
            continue
        plan.append((ln, take, min(take, ln.held)))
        short += take - min(take, ln.held)
        left -= take
    if short:
        # Units beyond the line's hold must be free: on-hand − reserved by anyone (other holders included).
        avail = reservations.availability(ctx.session, part.id)
        if short > avail.available:
            raise SaleError(
                "sale_pick_blocked",
                available=avail.available,
                part_no=part.part_no,
                number=number,
                reserved=avail.reserved,
            )
    # The shelf first: it is the only step that can still refuse (NegativeStock); the statements
    # below run at once and a rejected scan could not take them back.
    move = ctx.ledger.move(
        part.id,
        loc.id,
        -qty,
        "sale",
        ctx.at,
        part.unit_cost,
        allow_negative=part.allow_negative,
        event_id=ctx.event_id,
        actor_id=actor.id,
        ref=f"SO:{number}",
    )
    for ln, take, from_hold in plan:
        if from_hold:
            assert ln.hold_id is not None
            reservations.consume(ctx.session, Holder("sale", ln.id), from_hold, (ln.hold_id, ln.part_id, ln.held))
        rawsql.run(ctx.session, _PICKED, (take, ln.id))
        rawsql.run(ctx.session, _PICK, (ln.id, loc.id, take, ctx.event_id, actor.id, False, ctx.at))
        ln.picked += take
    total_picked, total_qty = sum(ln.picked for ln in lines), sum(ln.qty for ln in lines)
    effects: dict[str, Any] = {
        "sale": number,
        "moves": [{"part_no": part.part_no, "bin": loc.code, "qty": move.qty}],
        "picked": total_picked,
        "qty": total_qty,
    }
    if total_picked == total_qty:
        effects["complete"] = True
    return Outcome(
        "sale_picked",
        {
            "qty": qty,
            "part_no": part.part_no,
            "number": number,
            "bin": loc.code,
            "line_picked": picked + qty,
            "line_qty": ordered,
        },
        effects,
        txn=True,
    )


def scan_core(ctx: ScanContext, otherwise: Handler) -> Outcome:
    """`C:<serial>` of a sold core: refund (or judge, with a disposition pending); else `otherwise` (the workshop's)."""
    charge = sale_cores.charge_by_serial(ctx.session, ctx.code.value)
    if charge is None:
        return otherwise(ctx)
    actor = ctx.actor()
    if actor is None:
        raise Reject("no_actor")
    part = ctx.session.get(Part, charge.part_id)
    part_no = part.part_no if part else str(charge.part_id)
    number = ctx.session.scalar(select(Sale.number).where(Sale.id == charge.sale_id))
    if ctx.state.mode == "DISPOSE" and "disposition" in ctx.state.extra and charge.status == "refunded":
        disposition = ctx.state.extra["disposition"]
        core = core_rules.find_core(ctx.session, charge.serial)
        move = core_rules.dispose_core(
            ctx.session, core, disposition, actor.id, ctx.at, ledger=ctx.ledger, event_id=ctx.event_id
        )
        moves = []
        if move is not None:
            moves = [{"part_no": part_no, "bin": ctx.catalog.locations[move.location_id].code, "qty": move.qty}]
        return Outcome(
            "core_disposed",
            zh_params({"serial": core.serial, "part_no": part_no, "disposition": disposition}),
            {"core": core.serial, "sale": number, "disposition": disposition, "moves": moves},
            txn=True,
        )
    sale_cores.refund(ctx.session, charge, actor, ctx.at, event_id=ctx.event_id, roles=ctx.roles())
    amount = str(money(charge.amount))
    return Outcome(
        "core_refunded",
        {"serial": charge.serial, "part_no": part_no, "number": number, "amount": amount},
        {"core": charge.serial, "sale": number, "refund": amount, "status": "returned"},
        txn=True,
    )


_PICKS_OF = rawsql.Statement(
    'SELECT p."id", p."line_id", p."qty", l."part_id", s."status", s."number" FROM "sale_picks" p'
    ' JOIN "sale_lines" l ON l."id" = p."line_id" JOIN "sales" s ON s."id" = l."sale_id"'
    ' WHERE p."event_id" = ? AND p."undone" = ?',
    [table_of(SalePick).c.event_id.type, table_of(SalePick).c.undone.type],
)
_UNDONE = rawsql.update_where(table_of(SalePick), ["undone"], ["id"])


def undo_sale_scan(ctx: ScanContext, event_id: int) -> None:
    """UNDO of a pick un-picks it and holds the units for the line again; UNDO of a refund re-charges.

    Raw statements like the pick itself, so a pick later in the same batch reads the result.
    """
    picks = rawsql.run(ctx.session, _PICKS_OF, (event_id, False))
    for _id, _line, _qty, _part, status, number in picks:
        if status != "approved":
            raise Reject("undo_blocked", reason=f"sale {number} is already {status}")
    sale_cores.undo_refunds(ctx.session, event_id)
    for pick_id, line_id, qty, part_id, _status, _number in picks:
        rawsql.run(ctx.session, _PICKED, (-qty, line_id))
        rawsql.run(ctx.session, _UNDONE, (True, pick_id))
        # On-hand as the scan's ledger sees it: the units this UNDO puts back are not written yet.
        stock = scan_on_hand(ctx, part_id, scanned=False)
        reservations.reserve(ctx.session, part_id, qty, Holder("sale", line_id), on_hand=stock)
