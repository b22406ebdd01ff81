"""Checking JSON request bodies: every problem becomes a 400 naming the field."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import request
from werkzeug.exceptions import BadRequest

from floor.core.inputs import RANGE_TEXT, MomentError, parse_moment
from floor.core.workorders import handover
from floor.http.guards import bad_text, check_json_text


class BodyError(BadRequest):
    """A request body that is not what the API expects."""

    def __init__(self, message: str) -> None:
        super().__init__(description=message)


def json_body(check_text: bool = True) -> dict[str, Any]:
    """The request's JSON object, or a 400 saying why not.

    `check_text=False` leaves NUL and surrogates to the caller (scan data keeps its raw bytes).
    """
    if not request.is_json:
        raise BodyError("send JSON with Content-Type: application/json")
    raw = request.get_data(cache=True)
    check_json_text(raw)
    try:  # parsed here, not by request.get_json: its provider would measure the nesting a second time
        data = json.loads(raw)
    except ValueError:  # also bytes that are not UTF-8, -16 or -32
        data = None
    if data is None:
        raise BodyError("the body is not valid JSON")
    if not isinstance(data, dict):
        raise BodyError("the body must be a JSON object")
    where = bad_text(data) if check_text else None
    if where is not None:
        raise BodyError(f"the body contains {where}, which is not allowed in any field")
    return data


def field_str(data: dict[str, Any], name: str, required: bool = True, max_len: int = 200) -> str | None:
    """A string field, checked for type and length."""
    value = data.get(name)
    if value is None:
        if required:
            raise BodyError(f"'{name}' is required")
        return None
    if not isinstance(value, str):
        raise BodyError(f"'{name}' must be a string, not {type(value).__name__}")
    if required and not value.strip():
        raise BodyError(f"'{name}' must not be empty")
    if len(value) > max_len:
        raise BodyError(f"'{name}' is longer than {max_len} characters")
    where = bad_text(value)
    if where is not None:
        raise BodyError(f"'{name}' contains {where}")
    return value


def field_int(value: Any, name: str, lo: int, hi: int) -> int:
    """An integer (not a boolean) within bounds; 3.0 is 3 (JSON, and its schema's "integer", make no difference)."""
    if isinstance(value, float) and value.is_integer() and lo <= value <= hi:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BodyError(f"'{name}' must be a whole number, not {type(value).__name__}")
    if not lo <= value <= hi:
        raise BodyError(f"'{name}' must be between {lo} and {hi}")
    return value


def field_time(value: Any, name: str) -> datetime:
    """An ISO 8601 time with a zone (a trailing Z is fine)."""
    if not isinstance(value, str):
        raise BodyError(f"'{name}' must be an ISO 8601 time string like 2026-11-23T08:00:00Z")
    try:
        return parse_moment(value)
    except MomentError as exc:
        raise BodyError(moment_message(name, exc)) from None


def moment_message(name: str, exc: MomentError) -> str:
    """The client's message for a time the shared parser refused."""
    if exc.reason == "zone":
        return f"'{name}' needs a time zone, e.g. {exc.text[:19]}Z"
    if exc.reason == "range":
        return f"'{name}' must be a time with a year {RANGE_TEXT}, not {exc.text!r}"
    return f"'{name}' is not an ISO 8601 time: {exc.text!r}"


def field_signature(value: Any) -> bytes:
    """A signature (`png`) as the pad sends it, a data:image/png;base64 URL or base64 text, decoded (WorkOrderError
    when it is not a usable PNG)."""
    if not isinstance(value, str) or not value:
        raise BodyError("'png' must be the signature as a data:image/png;base64 URL or base64 text")
    return handover.decode_signature(value)
