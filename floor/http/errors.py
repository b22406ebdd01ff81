"""The one table from refusal codes to HTTP statuses, the one JSON error shape, and its one handler.

The core raises `floor.core.refusal.Refusal` (scan and stock `Reject`s, `CountError`, `ReportError`,
the who-acts refusals `BadgeError` and `NotAllowed`, ...): a code, its parameters, English and
Chinese text, and no HTTP status. `init_errors` registers one handler on the app for all of them,
so a code means the same status wherever it is raised. Every JSON error answer of the API has
one shape: `{"code", "error", "error_zh"}`, plus `"hint"` (what to do next) or `"field"` (the
input at fault) where there is one, and any details the refusal carries (e.g. the bins of a count).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from floor.core import messages
from floor.core.refusal import Refusal

log = logging.getLogger(__name__)

# A rule that refused the change is a conflict with the current state (409) unless listed here.
DEFAULT_STATUS = 409
HTTP_STATUS: dict[str, int] = {
    "not_your_page": 403,
    "bad_action": 400,
    # bad input: the request itself is wrong
    "bad_delivery_line": 400,
    "bad_inspection_outcome": 400,
    "bad_qty": 400,
    "bad_return_reason": 400,
    "empty_shipment": 400,
    "no_delivery_lines": 400,
    "no_location": 400,
    "no_return_origin": 400,
    "no_return_reason": 400,
    "not_quarantine_bin": 400,
    "release_target_kind": 400,
    "scrap_target_kind": 400,
    "unknown_location": 400,
    "count_no_locations": 400,
    "count_too_many_bins": 400,
    "count_unknown_bins": 400,
    "count_zone_empty": 400,
    "count_store_empty": 400,
    "count_nothing_due": 400,
    "count_bad_kind": 400,
    "count_zone_and_locations": 400,
    "count_bad_reason": 400,
    "count_bad_line_reason": 400,
    "count_no_variance_line": 400,
    # reception and final inspection (SPEC 9.4): bad input
    "mileage_negative": 400,
    "mileage_bad": 400,
    "fuel_out_of_range": 400,
    "bad_vin": 400,
    "bad_old_parts": 400,
    "bad_wash": 400,
    "bad_reception_field": 400,
    "bad_signature": 400,
    "signature_blank": 400,
    "qc_reason_needed": 400,
    # sales, core charges and warranty claims (SPEC 9.3): bad input
    "bad_claim_filter": 400,
    "bad_claim_no": 400,
    "bad_customer_code": 400,
    "bad_customer_kind": 400,
    "bad_price": 400,
    "claim_bad_amount": 400,
    "claim_no_cores": 400,
    "no_sell_price": 400,
    "sale_no_lines": 400,
    "ship_needs_carrier": 400,
    # part requests (SPEC 9.2): bad input
    "bad_request_qty": 400,
    "no_lines": 400,
    "too_many_lines": 400,
    # appointments (SPEC 9.4): bad input
    "bad_appointment_day": 400,
    "appointment_too_far": 400,
    "bad_appointment_field": 400,
    "bad_appointment_time": 400,
    "bad_device": 400,
    "bad_lookup": 400,
    "bad_frame": 400,
    # after the car has left (SPEC 10.5): bad input
    "bad_score": 400,
    "bad_complaint_field": 400,
    "unknown_assignee": 400,
    # after the car has left: a step the state does not allow now
    "followup_closed": 409,
    "not_a_comeback": 409,
    "complaint_step_order": 409,
    "return_window_passed": 409,
    # the vehicle file, the repair order and clocking (SPEC 10.1-10.3): bad input
    "bad_vin_check": 400,
    "bad_vehicle_field": 400,
    "bad_concern_text": 400,
    "bad_line_kind": 400,
    "bad_pay_type": 400,
    "bad_line_field": 400,
    "bad_hours": 400,
    "bad_unit_price": 400,
    "bad_consent_how": 400,
    "no_lines_answered": 400,
    "line_twice": 400,
    "signature_missing": 400,
    "not_labour_line": 400,
    # the bill (SPEC 10.4): bad input
    "bad_amount": 400,
    "bad_next_service": 400,
    "bad_pct": 400,
    "bad_pay_method": 400,
    "bad_deposit_method": 400,
    "discount_pct_or_amount": 400,
    "reason_required": 400,
    # the bill: a discount above the limit names no approver
    "approver_required": 403,
    # not allowed: who acts is unknown, inactive, missing, or may not do this (SPEC 9.1)
    "unknown_badge": 403,
    "tag_conflict": 409,
    "code_is_tag": 409,
    "inactive_badge": 403,
    "no_actor": 403,
    "role_denied": 403,
    "station_denied": 403,
    # a badge says who, a PIN says yes (SPEC 10.6)
    "pin_required": 403,
    "pin_not_set": 403,
    "bad_pin": 403,
    "pin_locked": 423,
    "four_eyes": 403,
    "bad_pin_format": 400,
    "bad_badge_code": 400,
    # not found: the thing named does not exist
    "no_such_count": 404,
    "shipment_unknown_core": 404,
    "unknown_delivery": 404,
    "unknown_part": 404,
    "unknown_return": 404,
    "unknown_shipment": 404,
    "unknown_wo": 404,
    "unknown_claim": 404,
    "unknown_core": 404,
    "unknown_customer": 404,
    "unknown_request": 404,
    "unknown_sale": 404,
    "unknown_appointment": 404,
    "unknown_vehicle": 404,
    "unknown_concern": 404,
    "unknown_operation": 404,
    "unknown_line": 404,
    "unknown_op_line": 404,
    "unknown_invoice": 404,
    "unknown_invoice_line": 404,
    "unknown_import": 404,
    # conflicts with the state of the site (409 is the default; named here so they are found)
    "last_supervisor": 409,
    "import_running": 409,
    "import_in_use": 409,
    "unknown_followup": 404,
    "unknown_complaint": 404,
    # reports (SPEC 8, 9.8): bad input
    "bad_period": 400,
    "bad_month": 400,
    "bad_proposal": 400,
}

# The Chinese of an HTTP error the web ring answers itself (its English is the error's description).
HTTP_ZH: dict[int, str] = {
    400: "请求无效",
    401: "需要登录或令牌",
    403: "不允许",
    404: "没有找到",
    405: "此地址不接受这种请求方法",
    409: "与当前状态冲突",
    413: "请求太大",
    415: "内容类型不受支持",
    422: "内容无法处理",
    429: "请求太多，请稍后再试",
}


def http_status(code: str) -> int:
    """The HTTP status of a domain error code."""
    return HTTP_STATUS.get(code, DEFAULT_STATUS)


def error_answer(code: str, en: str, zh: str, status: int, **extra: Any) -> tuple[Response, int]:
    """THE JSON error shape: `{"code", "error", "error_zh"}` plus optional `hint`, `field` and details."""
    return jsonify(code=code, error=en, error_zh=zh, **extra), status


def refusal(code: str, params: dict[str, Any], **extra: Any) -> tuple[Response, int]:
    """The JSON answer for a refused change: its message in both languages, its code, its status."""
    en, zh = messages.render(code, params)
    return error_answer(code, en, zh, http_status(code), **extra)


def http_error_answer(exc: HTTPException) -> tuple[Response, int]:
    """An HTTP error (bad body, unknown route, wrong method, too large) in the one JSON shape."""
    status = exc.code or 500
    code = getattr(exc, "error_code", None) or (exc.name or "error").lower().replace(" ", "_")
    en = exc.description or exc.name or "error"
    zh = HTTP_ZH.get(status, "请求失败")
    field = getattr(exc, "field", None)
    extra = {"field": field} if isinstance(field, str) else {}
    resp, status = error_answer(code, en, f"{zh}：{en}" if en != exc.name else zh, status, **extra)
    # A 405 keeps the methods the route takes (RFC 9110: `Allow` is required on a 405).
    for name, value in exc.get_headers():
        if name.lower() == "allow":
            resp.headers[name] = value
    return resp, status


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def init_errors(app: Flask) -> None:
    """Register the one error handler of the app: refusals, HTTP errors and the unexpected, once."""

    @app.errorhandler(Refusal)
    def _refused(exc: Refusal) -> Any:
        return refusal(exc.code, exc.params, **exc.details)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        get_response = getattr(exc, "refusal_response", None)
        if get_response is not None:  # a coded refusal raised as an HTTP error by the web ring
            return get_response()
        return http_error_answer(exc) if _wants_json() else exc

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Any:
        # Never show a stack trace or SQL to a client; the log has the details.
        log.exception("unhandled error on %s %s", request.method, request.path)
        if _wants_json():
            return error_answer(
                "internal_error",
                "internal error; the server log has the details",
                "服务器内部错误；详情见服务器日志",
                500,
            )
        return "Internal error; the server log has the details.", 500
