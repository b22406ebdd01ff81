"""The OpenAPI 3.1 document built from the operation table, and Flask's route syntax in OpenAPI's."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from floor.core.inputs import MAX_ID
from floor.web.openapi.schema import STR, i

_PARAM = re.compile(r"\{([a-z_]+)\}")
# THE error shape of every API answer (floor.web.errors.error_answer); a refusal may add its details.
ERROR = {
    "type": "object",
    "properties": {"code": STR, "error": STR, "error_zh": STR, "hint": STR, "field": STR},
    "required": ["code", "error", "error_zh"],
}


# How every answer names a person (SPEC 10.6): never by badge.
PERSON = {
    "type": "object",
    "properties": {"name": STR, "role": STR},
    "required": ["name", "role"],
    "description": "A person as answers name them: name and role, never the badge",
}


def _path_param(name: str) -> dict[str, Any]:
    schema = i(1, MAX_ID) if name.endswith("_id") else {"type": "string", "minLength": 1}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _operation(entry: dict[str, Any]) -> dict[str, Any]:
    params = [_path_param(n) for n in _PARAM.findall(entry["path"])]
    params += [{"name": n, "in": "query", "required": False, "schema": sch} for n, sch in entry["query"].items()]
    out: dict[str, Any] = {
        "summary": entry["summary"],
        "operationId": f"{entry['method']}{re.sub(r'[^A-Za-z0-9]+', '_', entry['path'])}",
        "responses": {
            "200": {"description": "done"},
            "4XX": {"description": "refused: nothing changed", "content": {"application/json": {"schema": ERROR}}},
        },
    }
    if params:
        out["parameters"] = params
    if entry["body"] is not None:
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": entry["body"]}}}
    if entry["method"] == "post":
        out["security"] = [{"bearer": []}, {}]
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
