"""The one table from domain error codes to HTTP statuses, and the JSON answer for a refused change.

The core raises coded errors (`Reject` and its kinds, `CountError`, and who-acts refusals
`BadgeError` and `NotAllowed` from `floor.core.authority`): a code, its
parameters, English and Chinese text, and no HTTP status. Every blueprint answers
them through `refusal`, so a code means the same status wherever it is raised.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from floor.core import messages

# A rule that refused the change is a conflict with the current state (409) unless listed here.
DEFAULT_STATUS = 409
HTTP_STATUS: dict[str, int] = {
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
    "appointment_too_far": 400,
    "bad_appointment_field": 400,
    "bad_appointment_time": 400,
    "bad_device": 400,
    "bad_lookup": 400,
    "bad_frame": 400,
    # not allowed: who acts is unknown, inactive, missing, or may not do this (SPEC 9.1)
    "unknown_badge": 403,
    "tag_conflict": 409,
    "inactive_badge": 403,
    "no_actor": 403,
    "role_denied": 403,
    "station_denied": 403,
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
}


def http_status(code: str) -> int:
    """The HTTP status of a domain error code."""
    return HTTP_STATUS.get(code, DEFAULT_STATUS)


def refusal(code: str, params: dict[str, Any], **extra: Any) -> tuple[Response, int]:
    """The JSON answer for a refused change: its message in both languages, its code, its status."""
    en, zh = messages.render(code, params)
    return jsonify(error=en, error_zh=zh, code=code, **extra), http_status(code)
