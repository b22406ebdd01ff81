"""The small JSON-schema helpers the operation lists are written with, and `op`, one operation of the table."""

from __future__ import annotations

from typing import Any

STR: dict[str, Any] = {"type": "string"}
BOOL: dict[str, Any] = {"type": "boolean"}


def s(max_len: int = 200, enum: list[str] | None = None) -> dict[str, Any]:
    """A string schema."""
    out: dict[str, Any] = {"type": "string", "maxLength": max_len}
    if enum:
        out["enum"] = enum
    return out


def i(lo: int = 1, hi: int = 9999) -> dict[str, Any]:
    """An integer schema."""
    return {"type": "integer", "minimum": lo, "maximum": hi}


def obj(required: list[str] | None = None, **props: dict[str, Any]) -> dict[str, Any]:
    """An object schema (extra members allowed: the API ignores what it does not know).

    A required string is also non-empty (minLength 1): the views refuse a blank required field."""
    out: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        out["required"] = required
        for name in required:
            prop = props.get(name)
            if prop is not None and prop.get("type") == "string" and "minLength" not in prop:
                props[name] = {**prop, "minLength": 1}
    return out


def arr(items: dict[str, Any], max_items: int = 1000, min_items: int = 0) -> dict[str, Any]:
    """An array schema."""
    out: dict[str, Any] = {"type": "array", "items": items, "maxItems": max_items}
    if min_items:
        out["minItems"] = min_items
    return out


# Days and times as the shared parsers take them (floor.core.inputs): ASCII digits, years 1970-2999.
_YEAR = "(19[7-9][0-9]|2[0-9][0-9][0-9])"
TIME = {"type": "string", "format": "date-time", "pattern": f"^{_YEAR}-"}
DAY = {
    "type": "string",
    "format": "date",
    "minLength": 10,
    "maxLength": 10,
    "pattern": f"^{_YEAR}-[0-9][0-9]-[0-9][0-9]$",
}
MONTH = {"type": "string", "pattern": "^(20[0-9][0-9]|2[1-9][0-9][0-9])-(0[1-9]|1[0-2])$"}
BADGE = s(64)
# SPEC 10.6: the PIN that says yes beside the badge that says who (privileged acts; an approval: the approver's).
PIN: dict[str, Any] = {
    "type": "string",
    "pattern": "^[0-9]{4,12}$",
    "description": "the badge holder's PIN (4-12 digits); 5 wrong tries lock their privileged acts for 15 minutes",
}


def op(method: str, path: str, summary: str, body: dict[str, Any] | None = None, **query: dict[str, Any]) -> dict:
    """One operation of the table."""
    return {"method": method, "path": path, "summary": summary, "body": body, "query": query}
