"""Counts and ABC over HTTP: plans, sessions, variance (JSON, CSV, page), approval, pictures."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from floor import clock
from floor.application import counts as count_cases
from floor.config import ConfigError
from floor.config.settings import abc_cutoffs, count_settings
from floor.core.authority import NotAllowed
from floor.core.counts.abc import compute_abc, recompute_abc
from floor.core.counts.approval import set_reasons
from floor.core.counts.charts import pareto_svg, progress_svg
from floor.core.counts.plans import create_count, due_bins
from floor.core.counts.settings import CountSettings
from floor.core.counts.variance import progress, variance_csv, variance_report
from floor.core.inputs import RANGE_TEXT, MomentError, parse_day
from floor.core.stockflow import MAX_ID
from floor.http.app import floor_app
from floor.http.principal import audited, authorize, request_token
from floor.http.validate import BodyError, field_str, json_body
from floor.models import CountSession
from floor.web.api import api_write
from floor.web.paging import page_args

bp = Blueprint("counts", __name__, url_prefix="/api", template_folder="templates")
SVG = "image/svg+xml"


class _ServerConfigError(HTTPException):
    code = 503


def _settings() -> CountSettings:
    try:
        return count_settings(floor_app().cfg)
    except ConfigError as exc:
        raise _ServerConfigError(description=f"server config: {exc}") from None


def _flag(data: dict[str, Any], name: str, default: bool) -> bool:
    value = data.get(name, default)
    if not isinstance(value, bool):
        raise BodyError(f"'{name}' must be true or false")
    return value


def _line_reasons(items: Any, name: str) -> dict[tuple[str, str], str]:
    if items is None:
        return {}
    if not isinstance(items, list):
        raise BodyError(f'\'{name}\' must be a list of {{"location", "part_no", "reason"}} objects')
    out: dict[tuple[str, str], str] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise BodyError(f"{name}[{i}] must be an object")
        loc = field_str(item, "location", max_len=64)
        part_no = field_str(item, "part_no", max_len=64)
        reason = field_str(item, "reason", max_len=24)
        out[(loc or "", part_no or "")] = reason or ""
    return out


# -- ABC ---------------------------------------------------------------------------------------------
@bp.post("/abc/recompute")
@api_write
def post_abc_recompute() -> Any:
    """Recompute every part's ABC class from the last 12 months of issue value."""
    data = json_body() if request.content_length else {}
    cutoffs = _settings().abc_cutoffs
    if "cutoffs" in data:
        try:
            cutoffs = abc_cutoffs(data["cutoffs"])
        except ConfigError as exc:
            raise BodyError(str(exc).replace("[counts] abc_", "")) from None
    with floor_app().db.writing() as s:
        authorize(s, "recompute_abc", _badge(data))
        result = recompute_abc(s, cutoffs)
    return jsonify(result.to_json())


@bp.get("/abc")
def get_abc() -> Any:
    """The current classification (computed now, nothing stored)."""
    with floor_app().db.reading() as s:
        return jsonify(compute_abc(s, _settings().abc_cutoffs).to_json())


@bp.get("/abc/pareto.svg")
def get_pareto_svg() -> Any:
    """The Pareto curve of 12-month issue value as an SVG picture."""
    with floor_app().db.reading() as s:
        svg = pareto_svg(compute_abc(s, _settings().abc_cutoffs))
    return Response(svg, mimetype=SVG)


# -- plans and sessions ----------------------------------------------------------------------------
@bp.get("/counts/due")
def get_due() -> Any:
    """Bins due for counting on a day (`?date=YYYY-MM-DD`, default today)."""
    raw = request.args.get("date")
    try:
        day = parse_day(raw) if raw is not None else clock.now().date()
    except MomentError as exc:
        when = f" with a year {RANGE_TEXT}" if exc.reason == "range" else ""
        raise BodyError(f"'date' must be YYYY-MM-DD{when}, not {str(raw)[:20]!r}") from None
    settings = _settings()
    with floor_app().db.reading() as s:
        bins = due_bins(s, day, settings)
    return jsonify(date=day.isoformat(), full_count=settings.is_full_count_day(day), bins=bins)


@bp.post("/counts")
@api_write
def post_count() -> Any:
    """Open a count: `{"kind": "cycle"|"full", "zone" or "locations", "blind": true}` → `{"id": …}`."""
    data = json_body()
    kind = field_str(data, "kind", max_len=8) or ""
    zone = field_str(data, "zone", required=False, max_len=64)
    codes = data.get("locations")
    if codes is not None and (not isinstance(codes, list) or not all(isinstance(c, str) for c in codes)):
        raise BodyError("'locations' must be a list of bin codes")
    blind = _flag(data, "blind", True)
    badge = field_str(data, "badge", required=False, max_len=64)
    note = field_str(data, "note", required=False, max_len=200) or ""
    with floor_app().db.writing() as s:
        authorize(s, "open_count", badge)
        count = create_count(s, kind, zone, codes, blind, badge, note, settings=_settings())
        count_id = count.id
    return jsonify(id=count_id), 201


@bp.get("/counts")
def list_counts() -> Any:
    """Count sessions, newest first (`?status=open` to filter); paged with `?limit=&offset=`."""
    page = page_args()
    status = request.args.get("status")
    with floor_app().db.reading() as s:
        q = s.query(CountSession).order_by(CountSession.id.desc())
        if status:
            q = q.filter(CountSession.status == status)
        counts, meta = page.fetch(lambda n, skip: [progress(s, c.id) for c in q.limit(n).offset(skip)])
    return jsonify(counts=counts, page=meta)


@bp.get("/counts/<int:count_id>")
def get_count(count_id: int) -> Any:
    """A count's progress by zone and the bins to recount — what counters may see (never expected quantities)."""
    with floor_app().db.reading() as s:
        info = progress(s, count_id)
        info["recount_bins"] = variance_report(s, count_id, _settings())["recount_bins"]
    return jsonify(info)


@bp.get("/counts/<int:count_id>/progress.svg")
def get_progress_svg(count_id: int) -> Any:
    """Counting progress by zone as an SVG picture."""
    with floor_app().db.reading() as s:
        svg = progress_svg(progress(s, count_id))
    return Response(svg, mimetype=SVG)


# -- variance and approval ---------------------------------------------------------------------------
def _report(count_id: int) -> dict[str, Any]:
    only = request.args.get("only") in ("variance", "variances")
    with floor_app().db.reading() as s:
        count = s.get(CountSession, count_id) if 0 < count_id <= MAX_ID else None
        if count is not None and count.blind:
            _may_see_blind()
        return variance_report(s, count_id, _settings(), only_variances=only)


def _may_see_blind() -> None:
    """Expected quantities of a blind count: only a token whose role may `view_blind` (403 otherwise)."""
    token = request_token()
    if token is None or not floor_app().cfg.role_table().may(token.role, "view_blind"):
        raise NotAllowed("view_blind", token.role if token else "nobody", "this token")


def _badge(data: dict[str, Any]) -> str | None:
    return field_str(data, "badge", required=False, max_len=64)


@bp.get("/counts/<int:count_id>/variance")
def get_variance(count_id: int) -> Any:
    """The variance report: lines with counted, expected, variance, value; totals (the supervisor's view)."""
    return jsonify(_report(count_id))


@bp.get("/counts/<int:count_id>/variance.csv")
def get_variance_csv(count_id: int) -> Any:
    """The variance report as CSV."""
    body = "\ufeff" + variance_csv(_report(count_id))  # BOM: spreadsheet programs then read the Chinese names right
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=count-{count_id}-variance.csv"},
    )


@bp.get("/counts/<int:count_id>/variance.html")
def get_variance_page(count_id: int) -> Any:
    """The variance report as a printable bilingual page."""
    report = _report(count_id)
    return render_template("counts/variance.html", r=report, t=report["totals"])


@bp.post("/counts/<int:count_id>/reasons")
@api_write
def post_reasons(count_id: int) -> Any:
    """Record reason codes on variance lines before approval: `{"lines": [{"location", "part_no", "reason"}]}`."""
    data = json_body()
    reasons = _line_reasons(data.get("lines"), "lines")
    if not reasons:
        raise BodyError("'lines' is required")
    with floor_app().db.writing() as s:
        authorize(s, "approve_count", _badge(data))
        n = set_reasons(s, count_id, reasons)
    return jsonify(ok=True, updated=n)


@bp.post("/counts/<int:count_id>/approve")
@api_write
def post_approve(count_id: int) -> Any:
    """Approve with a supervisor's badge and PIN (`{"badge", "pin"}`; not one who counted it: `four_eyes`).

    Posts one adjustment per variance line; the count becomes immutable.
    """
    data = json_body()
    badge = field_str(data, "badge", max_len=64) or ""
    reasons = _line_reasons(data.get("reasons"), "reasons")
    default = field_str(data, "reason", required=False, max_len=24) or "unknown"
    override = _flag(data, "override_recount", False)
    partial = _flag(data, "allow_partial", False)
    fa = floor_app()
    result = count_cases.approve(
        fa.db,
        fa.cfg,
        _settings(),
        count_id,
        badge,
        data.get("pin"),
        reasons=reasons,
        default_reason=default,
        override_recount=override,
        allow_partial=partial,
        gate=lambda s: authorize(s, "approve_count", badge, badge_required=True),
    )
    audited()  # the use case wrote its audit entry in its transaction
    return jsonify(result)
