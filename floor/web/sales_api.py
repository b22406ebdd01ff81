"""HTTP JSON API of counter and trade sales, core charges and warranty claims (SPEC 9.3).

Thin views over `floor.core.sales`: each write names the person by `badge`, is checked
against the role table, runs in one transaction and is audited. A refusal answers its
code in both languages (409 a rule, 400 bad input, 403 a role, 404 an unknown thing) and
changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, jsonify, request
from sqlalchemy.orm import Session

from floor import clock
from floor.config import ConfigError
from floor.config.settings import sales_settings
from floor.core.audit import record
from floor.core.authority import RoleTable
from floor.core.csvsafe import SafeWriter
from floor.core.inputs import MomentError, parse_day, parse_moment
from floor.core.sales import claims as claim_rules
from floor.core.sales import cores as sale_cores
from floor.core.sales import customers, orders
from floor.core.sales.errors import SaleError
from floor.core.sales.settings import SalesSettings
from floor.core.sales.stats import sales_stats, stats_csv
from floor.core.stockflow import part_by_no
from floor.http.app import floor_app
from floor.http.principal import audited, authorize
from floor.http.validate import BodyError, field_str, json_body
from floor.models import User, WorkOrder
from floor.web.api import api_write

bp = Blueprint("sales_api", __name__, url_prefix="/api")
MAX_RANGE_DAYS = 3660
LIST_COLUMNS = (
    "number",
    "status",
    "customer",
    "customer_name",
    "qty",
    "picked",
    "goods",
    "core_total",
    "total",
    "created_at",
    "shipped_at",
    "carrier",
    "tracking",
    "collected",
)


def _settings() -> SalesSettings:
    try:
        return sales_settings(floor_app().cfg)
    except ConfigError as exc:  # a site's bad [sales] table: say so, never a 500
        raise BodyError(str(exc)) from None


def _roles() -> RoleTable:
    """The site's role table (defaults with its `[roles]` overrides): the core checks each step against it too."""
    return floor_app().cfg.role_table()


def _actor(session: Session, data: dict[str, Any], action: str) -> User:
    """The person whose badge the body names, allowed `action` (authority's one principal helper).

    The routes audit themselves in their transaction, as `U:<badge>`.
    """
    who = authorize(session, action, field_str(data, "badge", max_len=64), badge_required=True)
    audited()
    assert who.user is not None  # field_str required the badge
    return who.user


def _csv(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _when(value: str | None, name: str, tz: ZoneInfo, end: bool) -> datetime | None:
    if value is None:  # given but empty is refused below, not read as the default
        return None
    try:  # the shared parsers keep years within 1970-2999, so the arithmetic below cannot overflow
        if len(value) == 10:  # a day in the site's time zone; `to` includes that whole day
            day = parse_day(value) + (timedelta(days=1) if end else timedelta())
            return datetime.combine(day, time(), tz).astimezone(UTC)
        return parse_moment(value, tz)
    except MomentError:
        raise BodyError(f"'{name}' must be a day like 2026-11-01 or an ISO time, not {value[:40]!r}") from None


def _period() -> tuple[datetime, datetime, ZoneInfo]:
    """`?from=&to=` (days in the site's time zone, `to` included); default: the last 30 days."""
    tz = ZoneInfo(floor_app().cfg.timezone or "UTC")
    now = clock.now()
    start = _when(request.args.get("from"), "from", tz, end=False) or now - timedelta(days=30)
    end = _when(request.args.get("to"), "to", tz, end=True) or now + timedelta(seconds=1)
    if end <= start or end - start > timedelta(days=MAX_RANGE_DAYS):
        raise BodyError("'to' must be after 'from', and the period at most ten years")
    return start, end, tz


# -- customers -------------------------------------------------------------------------------------------------
@bp.post("/customers")
@api_write
def post_customer() -> Any:
    """Create or update a customer: `{"badge"?, "code", "name", "phone", "kind": retail|trade}`."""
    data = json_body()
    code = field_str(data, "code", max_len=64)
    name = field_str(data, "name", required=False, max_len=200)
    phone = field_str(data, "phone", required=False, max_len=64)
    kind = field_str(data, "kind", required=False, max_len=16)
    with floor_app().db.writing() as s:
        principal = authorize(s, "edit_customers", field_str(data, "badge", required=False, max_len=64))
        audited()
        who = principal.actor
        cust = customers.upsert_customer(s, code, name, phone or "", kind or "retail")
        record(s, who, "sales.customer", cust.code, kind=cust.kind)
        return jsonify(customers.customer_json(cust)), 201


@bp.get("/customers")
def list_customers() -> Any:
    """Every customer."""
    from sqlalchemy import select

    from floor.models import Customer

    with floor_app().db.reading() as s:
        rows = s.scalars(select(Customer).order_by(Customer.code))
        return jsonify(customers=[customers.customer_json(c) for c in rows])


# -- sales -----------------------------------------------------------------------------------------------------
@bp.post("/sales")
@api_write
def post_sale() -> Any:
    """A quote: `{"badge", "customer", "lines": [{"part_no", "qty", "price"?}], "note"?}`."""
    data = json_body()
    settings = _settings()
    note = field_str(data, "note", required=False, max_len=2000)
    with floor_app().db.writing() as s:
        actor = _actor(s, data, "quote_sale")
        sale = orders.create_sale(
            s, settings, actor, data.get("customer"), data.get("lines"), clock.now(), note, roles=_roles()
        )
        summary = orders.sale_summary(s, sale)
        record(s, f"U:{actor.badge}", "sales.quote", f"SO:{sale.number}", total=summary["total"])
    return jsonify(number=summary["number"], status=summary["status"], total=summary["total"], sale=summary), 201


def _sale_step(number: str, fn: Any, action: str, **extra: Any) -> Any:
    data = json_body()
    settings = _settings()
    with floor_app().db.writing() as s:
        actor = _actor(s, data, f"{action}_sale")
        sale = orders.sale_by_number(s, number, lock=True)
        fn(s, settings, sale, actor, data)
        summary = orders.sale_summary(s, sale)
        record(s, f"U:{actor.badge}", f"sales.{action}", f"SO:{sale.number}", status=sale.status, **extra)
    return jsonify(summary)


@bp.post("/sales/<number>/confirm")
@api_write
def confirm(number: str) -> Any:
    """Reserve the sale's stock: `approved`, or `awaiting_approval` below the discount limit."""
    return _sale_step(
        number, lambda s, st, sale, a, d: orders.confirm_sale(s, st, sale, a, clock.now(), roles=_roles()), "confirm"
    )


@bp.post("/sales/<number>/approve")
@api_write
def approve(number: str) -> Any:
    """A supervisor approves the discounted prices: `{"badge", "pin"}` (not the one who quoted: `four_eyes`)."""
    return _sale_step(
        number,
        lambda s, st, sale, a, d: orders.approve_sale(s, sale, a, clock.now(), roles=_roles(), pin=d.get("pin")),
        "approve",
    )


def _ship(s: Session, st: SalesSettings, sale: Any, actor: User, data: dict[str, Any]) -> None:
    collected = data.get("collected", False)
    if not isinstance(collected, bool):
        raise BodyError("'collected' must be true or false")
    carrier = field_str(data, "carrier", required=False, max_len=64)
    tracking = field_str(data, "tracking", required=False, max_len=64)
    orders.ship_sale(s, sale, actor, clock.now(), carrier, tracking, collected, roles=_roles())


@bp.post("/sales/<number>/ship")
@api_write
def ship(number: str) -> Any:
    """Ship a fully picked sale: `{"badge", "carrier", "tracking"}` or `{"badge", "collected": true}`."""
    return _sale_step(number, _ship, "ship")


@bp.post("/sales/<number>/cancel")
@api_write
def cancel(number: str) -> Any:
    """Cancel: holds released, picked units back into their bins."""
    return _sale_step(
        number, lambda s, st, sale, a, d: orders.cancel_sale(s, sale, a, clock.now(), roles=_roles()), "cancel"
    )


@bp.post("/sales/<number>/cores/refund")
@api_write
def refund_core(number: str) -> Any:
    """The old unit of a sold core part is back: `{"badge", "serial"}` or `{"badge", "part_no"}` (oldest charge)."""
    data = json_body()
    serial = field_str(data, "serial", required=False, max_len=64)
    part_no = field_str(data, "part_no", required=False, max_len=64)
    if not serial and not part_no:
        raise BodyError("give the core tag as 'serial' or the part as 'part_no'")
    with floor_app().db.writing() as s:
        actor = _actor(s, data, "refund_core")
        sale = orders.sale_by_number(s, number, lock=True)
        if serial:
            charge = sale_cores.charge_by_serial(s, serial)
            if charge is None or charge.sale_id != sale.id:
                raise SaleError("core_not_charged", what=f"{serial[:40]} on sale {sale.number}")
        else:
            charge = sale_cores.oldest_charge(s, sale, part_by_no(s, part_no or ""))
        sale_cores.refund(s, charge, actor, clock.now(), roles=_roles())
        record(s, f"U:{actor.badge}", "sales.core_refund", charge.serial, sale=sale.number, amount=str(charge.amount))
        return jsonify(
            serial=charge.serial, refunded=str(orders.money(charge.amount)), sale=orders.sale_summary(s, sale)
        )


@bp.get("/sales/cores")
def outstanding_cores() -> Any:
    """Core charges not yet refunded, with customer and age; totals per customer."""
    with floor_app().db.reading() as s:
        return jsonify(sale_cores.outstanding(s, clock.now()))


@bp.get("/sales/<number>")
def get_sale(number: str) -> Any:
    """One sale with its lines (ordered, picked, price), totals and core charges."""
    with floor_app().db.reading() as s:
        return jsonify(orders.sale_summary(s, orders.sale_by_number(s, number)))


def _list() -> list[dict[str, Any]]:
    start, end, _tz = _period()
    status = request.args.get("status") or None
    with floor_app().db.reading() as s:
        return orders.list_sales(s, start, end, status)


@bp.get("/sales")
def get_sales() -> Any:
    """Sales created in `?from=&to=` (optionally `&status=`)."""
    return jsonify(sales=_list())


@bp.get("/sales.csv")
def get_sales_csv() -> Any:
    """The sales list as CSV (cells made safe against spreadsheet formulas)."""
    import io

    buf = io.StringIO()
    writer = SafeWriter(buf, lineterminator="\r\n")
    writer.writerow(LIST_COLUMNS)
    for row in _list():
        writer.writerow(["" if row[c] is None else row[c] for c in LIST_COLUMNS])
    return _csv(buf.getvalue(), "sales.csv")


def _stats() -> dict[str, Any]:
    start, end, tz = _period()
    with floor_app().db.reading() as s:
        return sales_stats(s, start, end, tz)


@bp.get("/sales/stats")
def get_stats() -> Any:
    """Shipped sales in `?from=&to=` by customer, by part and by day."""
    return jsonify(_stats())


@bp.get("/sales/stats.csv")
def get_stats_csv() -> Any:
    """The statistics as CSV (a row per customer, part and day)."""
    return _csv(stats_csv(_stats()), "sales-stats.csv")


# -- warranty claims -------------------------------------------------------------------------------------------
@bp.post("/claims")
@api_write
def post_claim() -> Any:
    """A draft claim: `{"badge", "workorder", "cores": ["<serial>"], "claim_no", "amount", "note"?}`."""
    data = json_body()
    settings = _settings()
    note = field_str(data, "note", required=False, max_len=2000)
    with floor_app().db.writing() as s:
        actor = _actor(s, data, "claim")
        claim = claim_rules.create_claim(
            s,
            settings,
            actor,
            data.get("workorder"),
            data.get("cores"),
            data.get("claim_no"),
            data.get("amount"),
            clock.now(),
            note,
            roles=_roles(),
        )
        record(s, f"U:{actor.badge}", "claims.create", claim.claim_no, amount=str(claim.amount))
        return jsonify(id=claim.id, claim_no=claim.claim_no, status=claim.status, due_by=claim.due_by.isoformat()), 201


@bp.post("/claims/<int:claim_id>/<action>")
@api_write
def claim_step(claim_id: int, action: str) -> Any:
    """`submit`, `approve`, `reject`, `credit`: `{"badge", "pin"?, "amount"?, "note"?}`.

    Approve and credit need the approver's PIN and are refused to whoever made the claim (`four_eyes`).
    """
    if action not in claim_rules.STEPS:
        raise BodyError(f"unknown claim action {action[:20]!r}; valid: " + ", ".join(claim_rules.STEPS))
    data = json_body()
    note = field_str(data, "note", required=False, max_len=2000)
    with floor_app().db.writing() as s:
        actor = _actor(s, data, claim_rules.STEPS[action][0])
        claim = claim_rules.claim_by_id(s, claim_id)
        claim_rules.step(
            s, claim, action, actor, clock.now(), data.get("amount"), note, roles=_roles(), pin=data.get("pin")
        )
        record(s, f"U:{actor.badge}", f"claims.{action}", claim.claim_no, status=claim.status)
        wo = s.get(WorkOrder, claim.work_order_id)
        cores = claim_rules._cores_of(s, [claim.id]).get(claim.id, [])
        return jsonify(claim_rules.claim_json(claim, cores, wo.number if wo else "-", clock.now()))


@bp.get("/claims")
def get_claims() -> Any:
    """Claims, optionally `?status=draft|submitted|approved|rejected|credited`."""
    with floor_app().db.reading() as s:
        return jsonify(claims=claim_rules.list_claims(s, clock.now(), request.args.get("status") or None))


@bp.get("/claims/credits")
def get_credits() -> Any:
    """Credits still owed by suppliers: approved claims not yet credited, per supplier."""
    with floor_app().db.reading() as s:
        return jsonify(claim_rules.credits_owed(s, clock.now()))
