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
    # not allowed: who acts is unknown, inactive, missing, or may not do this (SPEC 9.1)
    "unknown_badge": 403,
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
}


def http_status(code: str) -> int:
    """The HTTP status of a domain error code."""
    return HTTP_STATUS.get(code, DEFAULT_STATUS)


def refusal(code: str, params: dict[str, Any], **extra: Any) -> tuple[Response, int]:
    """The JSON answer for a refused change: its message in both languages, its code, its status."""
    en, zh = messages.render(code, params)
    return jsonify(error=en, error_zh=zh, code=code, **extra), http_status(code)
