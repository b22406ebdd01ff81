"""Reports over HTTP (SPEC 9.5): KPIs, dead stock and the month-end, as JSON and CSV; proposals and signing."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, jsonify, request

from floor import clock
from floor.application import aftersales
from floor.config.settings import aftersales_settings
from floor.core.inputs import ascii_int
from floor.core.reports.csvout import dead_stock_csv, kpis_csv, month_end_csv
from floor.core.reports.deadstock import DEFAULT_DAYS, dead_stock, summary
from floor.core.reports.kpis import KPI_KEYS, kpis
from floor.core.reports.monthend import month_end, set_proposals, sign
from floor.core.reports.period import parse_period
from floor.http.app import floor_app
from floor.http.principal import authorize, authorize_with_pin
from floor.http.validate import BodyError, field_str, json_body
from floor.web.api import api_write

bp = Blueprint("reports_api", __name__, url_prefix="/api/reports")
MAX_DAYS = 3650


def _csv(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _days() -> int:
    days = ascii_int(request.args.get("days", str(DEFAULT_DAYS)), 1, MAX_DAYS)
    if days is None:  # ASCII digits only: str.isdigit() takes "²", which int() then refuses
        raise BodyError(f"'days' must be a whole number from 1 to {MAX_DAYS}")
    return days


def _zone() -> ZoneInfo:
    """The site's time zone (`[site] timezone`): report days and months run from its midnights."""
    return ZoneInfo(floor_app().cfg.timezone or "UTC")


def _kpis() -> dict[str, Any]:
    now, tz = clock.now(), _zone()
    period = parse_period(request.args.get("from"), request.args.get("to"), now.astimezone(tz).date(), tz)
    settings = aftersales_settings(floor_app().cfg)
    with floor_app().db.reading() as s:
        report = kpis(s, period, now)
        after = aftersales.kpis(s, settings, period.start, period.end)  # SPEC 10.5: csi, comeback_rate, ...
    details = after.pop("aftersales")
    report.update(after)
    report["details"]["aftersales"] = details
    return report


@bp.get("/kpis")
def get_kpis() -> Any:
    """The KPIs of `?from=YYYY-MM-DD&to=YYYY-MM-DD` (the site's days, both included; default the last 30 days)."""
    return jsonify(_kpis())


@bp.get("/kpis.csv")
def get_kpis_csv() -> Any:
    """The KPIs as CSV: kpi, value, from, to."""
    report = _kpis()
    return _csv(kpis_csv(report, KPI_KEYS + aftersales.KPI_KEYS), f"kpis-{report['from']}-{report['to']}.csv")


def _dead() -> tuple[int, list[dict[str, Any]]]:
    days = _days()
    now = clock.now()
    with floor_app().db.reading() as s:
        return days, dead_stock(s, now, days, now)


@bp.get("/dead-stock")
def get_dead_stock() -> Any:
    """Stock with no issue or sale in the last `?days=` (default 180), by bin, valued, with a suggestion."""
    days, lines = _dead()
    return jsonify(days=days, lines=lines, summary=summary(lines))


@bp.get("/dead-stock.csv")
def get_dead_stock_csv() -> Any:
    """The dead-stock lines as CSV."""
    days, lines = _dead()
    return _csv(dead_stock_csv(lines), f"dead-stock-{days}d.csv")


def _month_arg() -> str:
    month = request.args.get("month")
    if month is None:  # given but empty is refused as a bad month, not read as this month
        month = clock.now().astimezone(_zone()).strftime("%Y-%m")
    return month


@bp.get("/month-end")
def get_month_end() -> Any:
    """The month-end report of `?month=YYYY-MM` (default this month); the signed snapshot once signed."""
    month = _month_arg()
    with floor_app().db.reading() as s:
        return jsonify(month_end(s, month, clock.now(), _zone()))


@bp.get("/month-end.csv")
def get_month_end_csv() -> Any:
    """The month-end report as CSV (section, name, metric, value)."""
    month = _month_arg()
    with floor_app().db.reading() as s:
        report = month_end(s, month, clock.now(), _zone())
    return _csv(month_end_csv(report, KPI_KEYS), f"month-end-{report['month']}.csv")


@bp.post("/month-end/<month>/proposals")
@api_write
def post_proposals(month: str) -> Any:
    """Set handling proposals per cause: `{"badge", "proposals": {cause: text}}`; refused once signed."""
    data = json_body()
    with floor_app().db.writing() as s:
        who = authorize(s, "edit_month_end", field_str(data, "badge", max_len=64), badge_required=True)
        proposals = set_proposals(s, month, data.get("proposals"), who.user, clock.now())
        return jsonify(month=month, proposals=proposals)


@bp.post("/month-end/<month>/sign")
@api_write
def post_sign(month: str) -> Any:
    """A supervisor signs a month that has ended: `{"badge", "pin"}` (SPEC 10.6); the report is frozen from then on."""
    data = json_body()
    field_str(data, "badge", max_len=64)  # a person signs, never a token alone
    with floor_app().db.writing() as s:
        who = authorize_with_pin(s, "sign_month_end", data)
        assert who.user is not None  # the badge is required above
        report = sign(s, month, who.user, clock.now(), _zone())
        return jsonify(report), 201
