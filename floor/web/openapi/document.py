"""The OpenAPI 3.1 document built from the operation table, and Flask's route syntax in OpenAPI's."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from floor.core.inputs import MAX_ROW_ID
from floor.web.openapi.schema import MONTH, STR, i

_PARAM = re.compile(r"\{([a-z_]+)\}")
# THE error shape of every API answer (floor.http.errors.error_answer); a refusal may add its details.
ERROR = {
    "type": "object",
    "properties": {"code": STR, "error": STR, "error_zh": STR, "hint": STR, "field": STR},
    "required": ["code", "error", "error_zh"],
}


# Operations that create something answer 201 Created; every other success is 200.
CREATED = frozenset(
    {
        ("post", "/api/parts"),
        ("post", "/api/locations"),
        ("post", "/api/users"),
        ("post", "/api/workorders"),
        ("post", "/api/stock"),
        ("post", "/api/customers"),
        ("post", "/api/sales"),
        ("post", "/api/claims"),
        ("post", "/api/workorders/{number}/requests"),
        ("post", "/api/special-orders/delivery"),
        ("post", "/api/appointments"),
        ("post", "/api/appointments/{appointment_id}/arrive"),
        ("post", "/api/reception"),
        ("post", "/api/workorders/{number}/signature"),
        ("post", "/api/counts"),
        ("post", "/api/gateway/alerts"),
        ("post", "/api/deliveries"),
        ("post", "/api/returns"),
        ("post", "/api/supplier-returns"),
        ("post", "/api/reports/month-end/{month}/sign"),
        ("post", "/api/workorders/{number}/tags"),
    }
)
# What a success is, by the path's ending: JSON unless the path names a file type.
MEDIA = {".csv": "text/csv", ".svg": "image/svg+xml", ".html": "text/html", ".png": "image/png"}


def success_status(method: str, path: str) -> str:
    """The status code an accepted request of this operation answers."""
    return "201" if (method, path) in CREATED else "200"


def _media(path: str) -> str:
    if path == "/api/docs":  # the reference as a page to read
        return "text/html"
    return next((m for end, m in MEDIA.items() if path.endswith(end)), "application/json")


# How every answer names a person (SPEC 10.6): never by badge.
PERSON = {
    "type": "object",
    "properties": {"name": STR, "role": STR},
    "required": ["name", "role"],
    "description": "A person as answers name them: name and role, never the badge",
}


def _path_param(name: str) -> dict[str, Any]:
    if name.endswith("_id"):
        schema = i(1, MAX_ROW_ID)
    elif name == "month":
        schema = MONTH
    elif name == "action":  # the claim steps (the only {action} path)
        schema = {"type": "string", "enum": ["submit", "approve", "reject", "credit"]}
    else:
        schema = {"type": "string", "minLength": 1}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _operation(entry: dict[str, Any]) -> dict[str, Any]:
    params = [_path_param(n) for n in _PARAM.findall(entry["path"])]
    params += [{"name": n, "in": "query", "required": False, "schema": sch} for n, sch in entry["query"].items()]
    out: dict[str, Any] = {
        "summary": entry["summary"],
        "operationId": f"{entry['method']}{re.sub(r'[^A-Za-z0-9]+', '_', entry['path'])}",
        "responses": {
            success_status(entry["method"], entry["path"]): {
                "description": "done",
                "content": {_media(entry["path"]): {}},
            },
            "4XX": {"description": "refused: nothing changed", "content": {"application/json": {"schema": ERROR}}},
        },
    }
    if params:
        out["parameters"] = params
    if entry["body"] is not None:
        body = _no_nul(entry["body"])
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if entry["method"] == "post":
        out["security"] = [{"bearer": []}, {}]
    return out


NO_NUL = "^[^\\x00]*$"  # no field or member name may hold NUL (floor.http.guards refuses the whole body)


def _no_nul(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with NUL ruled out of every free string and every member name, as the views enforce."""
    out = dict(schema)
    kind = out.get("type")
    if kind == "string" and "pattern" not in out and "enum" not in out:
        out["pattern"] = NO_NUL
    elif kind == "object":
        out["properties"] = {k: _no_nul(v) for k, v in out.get("properties", {}).items()}
        out.setdefault("propertyNames", {"pattern": NO_NUL})  # names already limited (an enum) stay so
    elif kind == "array" and isinstance(out.get("items"), dict):
        out["items"] = _no_nul(out["items"])
    return out


def document(operations: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The OpenAPI 3.1 document describing `operations`."""
    paths: dict[str, dict[str, Any]] = {}
    for entry in operations:
        paths.setdefault(entry["path"], {})[entry["method"]] = _operation(entry)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "floor",
            "version": "1",
            "description": (
                "Parts store and workshop floor. Refusals are 4xx JSON {code, error, error_zh} (plus hint or field "
                "where there is one) and change nothing. "
                'A badge says who, a PIN says yes (SPEC 10.6): privileged acts take the person\'s "pin" beside '
                'their "badge" (an approval: the approver\'s), refused with pin_required, bad_pin, pin_not_set or '
                "pin_locked (5 wrong tries lock them for 15 minutes, 423). Nobody approves what they made or counted "
                "themselves (four_eyes). A badge identifies a person but is used as a credential: no answer carries "
                "one. People are named as a Person {name, role} (`by`, `technician`, `holder`, `actor`, `passed_by`, "
                "`approved_by`, `created_by`), a badge scan's text is masked (`U:••••`)."
            ),
        },
        "paths": paths,
        "components": {
            "schemas": {"Person": PERSON},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "[api] tokens"}},
        },
    }


def flask_rule_to_path(rule: str) -> str:
    """`/api/counts/<int:count_id>` → `/api/counts/{count_id}` (OpenAPI's path template)."""
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)
