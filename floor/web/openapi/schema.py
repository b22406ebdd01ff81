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
    """An object schema (extra members allowed: the API ignores what it does not know)."""
    out: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        out["required"] = required
    return out


def arr(items: dict[str, Any], max_items: int = 1000) -> dict[str, Any]:
    """An array schema."""
    return {"type": "array", "items": items, "maxItems": max_items}


TIME = {"type": "string", "format": "date-time"}
DAY = {"type": "string", "format": "date"}
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
