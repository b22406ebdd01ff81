"""The small JSON-schema helpers the operation lists are written with, and `op`, one operation of the table."""

from __future__ import annotations

import re
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


# A required string holds something besides spaces (the views strip it), and no NUL (floor.http.guards).
NONBLANK = "^[^\\x00]*[^\\x00\\s][^\\x00]*$"


def obj(required: list[str] | None = None, **props: dict[str, Any]) -> dict[str, Any]:
    """An object schema (extra members allowed: the API ignores what it does not know).

    A required string is also non-blank (minLength 1, and not only spaces): the views refuse a blank required
    field."""
    out: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        out["required"] = required
        for name in required:
            prop = props.get(name)
            if prop is not None and prop.get("type") == "string" and "minLength" not in prop:
                props[name] = {**prop, "minLength": 1}
                if "pattern" not in prop and "enum" not in prop:
                    props[name]["pattern"] = NONBLANK
    return out


def one_of_members(schema: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """`schema` that must carry at least one of the members `names` (e.g. a core tag or a part number)."""
    return {**schema, "anyOf": [{"required": [n]} for n in names]}


def words(values: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """A comma-separated list of `values` (blanks and spaces around them ignored, as the views read it)."""
    one = "(" + "|".join(re.escape(v) for v in values) + ")"
    return {"type": "string", "maxLength": 200, "pattern": f"^\\s*{one}?\\s*(,\\s*{one}?\\s*)*$"}


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


# Master-data rows (floor.core.rows, the CSV import's rules): text is stripped before it is checked.
_SP = "\\s*"
_CTRL = "\\x00-\\x1f"
CODE = {
    "type": "string",
    "minLength": 1,
    "maxLength": 64,
    "pattern": f"^{_SP}[A-Za-z0-9_./+#-]+{_SP}$",
    "description": "a code: letters, digits and - _ . / + # only",
}


def text(max_len: int = 200, required: bool = False) -> dict[str, Any]:
    """Free text of a master-data row: no control characters once stripped (required: not blank)."""
    inner = f"[^{_CTRL}\\s]([^{_CTRL}]*[^{_CTRL}\\s])?"
    body = inner if required else f"({inner})?"
    return {"type": "string", "maxLength": max_len, "pattern": f"^{_SP}{body}{_SP}$"}


def one_word(values: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """One of `values`, or blank for the default (spaces around ignored)."""
    return {"type": "string", "maxLength": 32, "pattern": f"^{_SP}({'|'.join(values)})?{_SP}$"}


# An amount, 0 to 99,999,999: a JSON number or ASCII decimal text (blank: 0).
MONEY = {
    "type": ["string", "number"],
    "minimum": 0,
    "maximum": 99999999,
    "maxLength": 40,
    "pattern": "^(\\s*|[ \\t]*[+]?([0-9]{1,7}([.][0-9]{0,20})?|[0-9]{8}|[.][0-9]{1,20})[ \\t]*)$",
}
# A whole number 0 to 10^9 as a JSON integer or ASCII digits (blank: the default).
COUNT = {"type": ["string", "integer"], "minimum": 0, "maximum": 10**9, "pattern": f"^{_SP}([+]?[0-9]{{1,9}})?{_SP}$"}
YES_NO = {
    "type": ["string", "boolean"],
    "pattern": f"^{_SP}([Yy]|[Yy][Ee][Ss]|[Nn]|[Nn][Oo]|[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|1|0|是|否)?{_SP}$",
}


def op(method: str, path: str, summary: str, body: dict[str, Any] | None = None, **query: dict[str, Any]) -> dict:
    """One operation of the table."""
    return {"method": method, "path": path, "summary": summary, "body": body, "query": query}
