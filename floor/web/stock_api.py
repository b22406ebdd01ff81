"""HTTP JSON API of the store's inflow: the warning line, deliveries and receiving, customer and supplier returns.

Thin views: they check the request and call the same core functions as the
scans (`floor.core.alerts`, `floor.core.receiving`, `floor.core.returns`),
each write in one transaction. A rule that refuses the change answers with its
code and both languages (409, or 400 for bad input, 404 for an unknown thing);
nothing is changed then.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from floor import clock
from floor.config import ConfigError
from floor.core.alerts import evaluate_all
from floor.core.purchasing import alert_log, alerts, reorder_csv
from floor.core.receiving import deliveries as dlv
from floor.core.returns import customer, supplier
from floor.core.rows import CsvFormatError, read_csv
from floor.core.sales.returns import ReturnWindow
from floor.core.stockflow import (
    MAX_ID,
    StockTxn,
    location_by_code,
    part_by_no,
    quarantine_bin,
)
from floor.core.workorders.lookup import job_by_number
from floor.http.app import floor_app
from floor.http.principal import authorize
from floor.http.validate import BodyError, field_int, field_str, json_body
from floor.models import Part
from floor.web.api import api_write
from floor.web.paging import page_args

bp = Blueprint("stock_api", __name__, url_prefix="/api")
MAX_LINES = 10000


def _csv_response(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _opt_str(data: dict[str, Any], name: str, max_len: int = 200) -> str | None:
    value = field_str(data, name, required=False, max_len=max_len)
    return (value.strip() or None) if value is not None else None


def _begin(session: Any, data: dict[str, Any], action: str) -> StockTxn:
    """A stock transaction for the person whose badge the body names (required), allowed `action`."""
    who = authorize(session, action, field_str(data, "badge", max_len=64), badge_required=True)
    return StockTxn.begin(session, clock.now(), who.user_id)


def _opt_int(data: dict[str, Any], name: str) -> int | None:
    return field_int(data[name], name, 1, 9999) if data.get(name) is not None else None


# -- the warning line ------------------------------------------------------------------------------------------
@bp.get("/alerts")
def get_alerts() -> Any:
    """Parts below their reorder point with a suggested order quantity, and the cores still owed."""
    with floor_app().db.reading() as s:
        return jsonify(alerts(s, clock.now()))


@bp.get("/alerts/reorder.csv")
def get_reorder_csv() -> Any:
    """The reorder list for purchasing as CSV."""
    with floor_app().db.reading() as s:
        text = reorder_csv(s)
    return _csv_response(text, "reorder.csv")


@bp.get("/alerts/log")
def get_alert_log() -> Any:
    """When each part crossed its warning line (raised) and recovered (cleared); `?part_no=` narrows it.

    Paged with `?limit=&offset=`: offset 0 is the newest page, each page newest last."""
    page = page_args()
    part_no = request.args.get("part_no") or None
    with floor_app().db.reading() as s:
        events, meta = page.fetch(lambda n, skip: alert_log(s, part_no, n, skip), newest_last=True)
        return jsonify(events=events, page=meta)


@bp.post("/alerts/evaluate")
@api_write
def post_evaluate() -> Any:
    """Re-evaluate every part's warning line (after imports or stock changes made outside floor)."""
    with floor_app().db.writing() as s:
        authorize(s, "evaluate_alerts")
        crossings = evaluate_all(s, clock.now())
    return jsonify(changed=crossings)


# -- deliveries and receiving ----------------------------------------------------------------------------------
def _delivery_rows() -> tuple[list[dlv.DeliveryRow], str | None]:
    """The import's lines and badge, from a CSV body or upload (`?badge=`) or JSON; errors name the line."""
    upload = request.files.get("file")
    if upload is not None or request.mimetype in ("text/csv", "text/plain", "application/csv"):
        raw = upload.read() if upload is not None else request.get_data()
        try:
            _header, csv_lines = read_csv(raw, dlv.CSV_REQUIRED, dlv.CSV_COLUMNS)
        except CsvFormatError as exc:
            raise BodyError(str(exc)) from None
        if len(csv_lines) > MAX_LINES:
            raise BodyError(f"at most {MAX_LINES} lines per import")
        rows: list[dlv.DeliveryRow] = []
        for line_no, row in csv_lines:
            if "__error__" in row:
                raise BodyError(f"line {line_no}: {row['__error__']}")
            rows.append(dlv.check_row(row, line_no))
        return rows, request.args.get("badge") or None
    data = json_body()
    lines = data.get("lines")
    if not isinstance(lines, list) or not lines:
        raise BodyError('\'lines\' must be a non-empty list of {"part_no", "qty"} (with supplier and reference)')
    if len(lines) > MAX_LINES:
        raise BodyError(f"at most {MAX_LINES} lines per import")
    defaults: dict[str, Any] = {k: data[k] for k in ("supplier", "reference", "kind") if k in data}
    out: list[dlv.DeliveryRow] = []
    for i, line in enumerate(lines):
        if not isinstance(line, dict):
            raise BodyError(f"lines[{i}] must be an object")
        out.append(dlv.check_row({**defaults, **line}, f"lines[{i}]"))
    return out, field_str(data, "badge", required=False, max_len=64)


@bp.post("/deliveries")
@api_write
def post_deliveries() -> Any:
    """Import expected deliveries (purchase orders, packing lists): CSV or JSON lines of supplier, reference, part_no, qty."""
    rows, badge = _delivery_rows()
    with floor_app().db.writing() as s:
        who = authorize(s, "deliveries", badge)
        created = dlv.import_deliveries(s, rows, who.user_id, clock.now())
        body = [{"id": d.id, "supplier": d.supplier, "reference": d.reference} for d in created]
    return jsonify(ok=True, deliveries=body), 201


@bp.get("/deliveries")
def get_deliveries() -> Any:
    """Deliveries: `?status=open` (default), `closed` or `all`; paged with `?limit=&offset=`."""
    page = page_args()
    status = request.args.get("status", "open")
    if status not in ("open", "closed", "all"):
        raise BodyError("status must be open, closed or all")
    with floor_app().db.reading() as s:
        rows, meta = page.of(dlv.list_deliveries(s, None if status == "all" else status))
        return jsonify(deliveries=rows, page=meta)


@bp.get("/deliveries/<int:delivery_id>")
def get_delivery_report(delivery_id: int) -> Any:
    """The delivery report: expected against received per part, over, short and unexpected, every receipt."""
    with floor_app().db.reading() as s:
        return jsonify(dlv.report(s, dlv.get_delivery(s, delivery_id)))


@bp.post("/deliveries/<int:delivery_id>/receive")
@api_write
def post_receive(delivery_id: int) -> Any:
    """Receive against a delivery from the kiosk: {"badge", "lines": [{"part_no", "qty", "location", "lot", "serial"}]}."""
    data = json_body()
    lines = data.get("lines")
    if not isinstance(lines, list) or not lines or len(lines) > MAX_LINES:
        raise BodyError(f"'lines' must be a list of 1 to {MAX_LINES} objects with part_no, qty and location")
    with floor_app().db.writing() as s:
        txn = _begin(s, data, "receive")
        delivery = dlv.get_delivery(s, delivery_id)
        results = []
        for i, line in enumerate(lines):
            if not isinstance(line, dict):
                raise BodyError(f"lines[{i}] must be an object")
            part = part_by_no(s, field_str(line, "part_no", max_len=64) or "")
            loc = location_by_code(s, field_str(line, "location", max_len=64) or "")
            qty = field_int(line.get("qty"), f"lines[{i}].qty", 1, 9999)
            results.append(
                {
                    "part_no": part.part_no,
                    "bin": loc.code,
                    "qty": qty,
                    **dlv.receive(
                        txn, delivery, part, loc, qty, _opt_str(line, "lot", 64), _opt_str(line, "serial", 64)
                    ),
                }
            )
        txn.finish()
    return jsonify(ok=True, received=results)


@bp.post("/deliveries/<int:delivery_id>/select")
@api_write
def post_select(delivery_id: int) -> Any:
    """Put a delivery into a station's scan session (as if its `DLV:` label were scanned there)."""
    data = json_body()
    station = field_str(data, "station", max_len=64) or ""
    fa = floor_app()
    with fa.db.reading() as s:
        authorize(s, "receive", field_str(data, "badge", required=False, max_len=64), station=station)
        reference = dlv.get_delivery(s, delivery_id).reference
    try:
        result = fa.service.submit_text(station, "api:deliveries", f"DLV:{reference}")
    except ConfigError as exc:
        raise BodyError(str(exc)) from None
    body = result.to_json()
    return jsonify(body), 200 if result.ok else 409


@bp.post("/deliveries/<int:delivery_id>/close")
@api_write
def post_close(delivery_id: int) -> Any:
    """Close a delivery: its report is final and its shortfall no longer counts as on order."""
    data = request.get_json(silent=True) if request.is_json else None
    data = data if isinstance(data, dict) else {}
    with floor_app().db.writing() as s:
        who = authorize(s, "deliveries", field_str(data, "badge", required=False, max_len=64))
        delivery = dlv.get_delivery(s, delivery_id)
        dlv.close_delivery(delivery, who.user_id, clock.now())
        s.flush()
        return jsonify(dlv.report(s, delivery))


# -- customer returns ------------------------------------------------------------------------------------------
@bp.post("/returns")
@api_write
def post_return() -> Any:
    """Record a customer return into quarantine: part_no, qty, reason, work_order or sale_ref, badge (+ location, note)."""
    data = json_body()
    fa = floor_app()
    with fa.db.writing() as s:
        who = authorize(s, "customer_return", field_str(data, "badge", max_len=64), badge_required=True)
        txn = StockTxn.begin(s, clock.now(), who.user_id)
        # [returns] days after a named sale; a later one needs a supervisor (SPEC 10.5)
        window = ReturnWindow(fa.cfg.returns_days, fa.cfg.role_table().may(who.role, "accept_late_return"), txn.at)
        part = part_by_no(s, field_str(data, "part_no", max_len=64) or "")
        number = _opt_str(data, "work_order", 64)
        wo = None
        if number:
            wo = job_by_number(s, number)
        ret = customer.record_return(
            txn,
            part,
            data.get("qty"),
            data.get("reason"),
            quarantine_bin(s, _opt_str(data, "location", 64)),
            wo,
            _opt_str(data, "sale_ref", 64),
            _opt_str(data, "note", 500),
            window=window,
        )
        txn.finish()
        return jsonify(customer.return_summary(s, ret)), 201


@bp.get("/returns")
def get_returns() -> Any:
    """Customer returns: `?status=quarantined|closed|cancelled` (default all); paged with `?limit=&offset=`."""
    page = page_args()
    status = request.args.get("status") or None
    with floor_app().db.reading() as s:
        rows, meta = page.of(customer.list_returns(s, status))
        return jsonify(returns=rows, page=meta)


@bp.get("/returns/log")
def get_returns_log() -> Any:
    """The returns log: every step of every return with its time and actor.

    Paged with `?limit=&offset=`: offset 0 is the newest page, each page newest last."""
    page = page_args()
    with floor_app().db.reading() as s:
        rows, meta = page.fetch(lambda n, skip: customer.returns_log(s, None, n, skip), newest_last=True)
        return jsonify(log=rows, page=meta)


@bp.get("/returns/<int:return_id>")
def get_return(return_id: int) -> Any:
    """One return with its reason, freight payer, quantities by outcome and its log."""
    with floor_app().db.reading() as s:
        return jsonify(customer.return_summary(s, customer.get_return(s, return_id)))


@bp.post("/returns/<int:return_id>/inspect")
@api_write
def post_inspect(return_id: int) -> Any:
    """The inspection outcome: {"outcome": "restock"|"scrap"|"supplier", "qty", "location", "badge", "note"}."""
    data = json_body()
    with floor_app().db.writing() as s:
        txn = _begin(s, data, "customer_return")
        ret = customer.get_return(s, return_id)
        part = s.get(Part, ret.part_id)
        assert part is not None
        code = _opt_str(data, "location", 64)
        target = location_by_code(s, code) if code else None
        customer.inspect(
            txn, ret, part, str(data.get("outcome") or ""), data.get("qty"), target, _opt_str(data, "note", 500)
        )
        txn.finish()
        return jsonify(customer.return_summary(s, ret))


# -- return shipments to suppliers -----------------------------------------------------------------------------
@bp.get("/supplier-returns/candidates")
def get_candidates() -> Any:
    """What can go back to a supplier now: returns judged for the supplier, warranty parts and supplier cores."""
    with floor_app().db.reading() as s:
        return jsonify(supplier.candidates(s))


@bp.post("/supplier-returns")
@api_write
def post_shipment() -> Any:
    """Pick a return shipment: {"supplier", "badge", "returns": [{"id", "qty"?}], "cores": ["<serial>"], "note"}."""
    data = json_body()
    name = field_str(data, "supplier", max_len=200) or ""
    returns = data.get("returns") or []
    cores = data.get("cores") or []
    if not isinstance(returns, list) or not all(isinstance(r, dict) for r in returns):
        raise BodyError('\'returns\' must be a list of {"id", "qty"} objects')
    if not isinstance(cores, list) or not all(isinstance(c, str) for c in cores):
        raise BodyError("'cores' must be a list of core serials")
    picks = [(field_int(r.get("id"), f"returns[{i}].id", 1, MAX_ID), _opt_int(r, "qty")) for i, r in enumerate(returns)]
    with floor_app().db.writing() as s:
        txn = _begin(s, data, "supplier_returns")
        shipment = supplier.create_shipment(
            txn, name.strip(), picks, [c.strip() for c in cores], _opt_str(data, "note", 500)
        )
        txn.finish()
        return jsonify(supplier.packing_list(s, shipment)), 201


@bp.get("/supplier-returns/<int:shipment_id>")
def get_shipment(shipment_id: int) -> Any:
    """A return shipment's packing list (JSON)."""
    with floor_app().db.reading() as s:
        return jsonify(supplier.packing_list(s, supplier.get_shipment(s, shipment_id)))


@bp.get("/supplier-returns/<int:shipment_id>/packing-list.csv")
def get_packing_csv(shipment_id: int) -> Any:
    """A return shipment's packing list as CSV."""
    with floor_app().db.reading() as s:
        text = supplier.packing_csv(supplier.packing_list(s, supplier.get_shipment(s, shipment_id)))
    return _csv_response(text, f"supplier-return-{shipment_id}.csv")


@bp.post("/supplier-returns/<int:shipment_id>/ship")
@api_write
def post_ship(shipment_id: int) -> Any:
    """Hand a shipment to the carrier: {"badge", "reference"}."""
    data = json_body()
    with floor_app().db.writing() as s:
        who = authorize(s, "supplier_returns", field_str(data, "badge", max_len=64), badge_required=True)
        shipment = supplier.get_shipment(s, shipment_id)
        supplier.ship(shipment, who.user_id, clock.now(), _opt_str(data, "reference", 64))
        s.flush()
        return jsonify(supplier.packing_list(s, shipment))
