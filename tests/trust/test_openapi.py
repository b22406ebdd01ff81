"""The OpenAPI description at /api/openapi.json lists every /api route the app registers, and only those."""

from __future__ import annotations

from typing import Any

from floor.web.openapi import flask_rule_to_path

METHODS = {"get", "post", "put", "patch", "delete"}


def registered_api_operations(app: Any) -> set[tuple[str, str]]:
    """(method, OpenAPI path) of every /api/ rule in the app's URL map."""
    out = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            for method in rule.methods or ():
                if method.lower() in METHODS:
                    out.add((method.lower(), flask_rule_to_path(rule.rule)))
    return out


def test_openapi_lists_every_api_route(app: Any, client: Any) -> None:
    """GIVEN the app WHEN /api/openapi.json is read THEN its paths and methods are exactly the app's /api routes."""
    resp = client.get("/api/openapi.json")
    assert resp.status_code == 200
    doc = resp.get_json()
    assert doc["openapi"].startswith("3.1")
    described = {(m, p) for p, ops in doc["paths"].items() for m in ops if m in METHODS}
    registered = registered_api_operations(app)
    missing = sorted(registered - described)
    assert not missing, (
        "routes the app registers but /api/openapi.json does not describe: "
        + ", ".join(f"{m.upper()} {p}" for m, p in missing)
        + " (add an op(...) line to its area's OPERATIONS in floor/web/openapi/)"
    )
    stale = sorted(described - registered)
    assert not stale, "described in floor/web/openapi/ but not registered: " + ", ".join(
        f"{m.upper()} {p}" for m, p in stale
    )


def test_every_operation_has_summary_and_parameters_for_its_path(client: Any) -> None:
    """GIVEN the description WHEN each operation is read THEN it has a summary and one path parameter per {name}."""
    doc = client.get("/api/openapi.json").get_json()
    for path, ops in doc["paths"].items():
        names = {seg[1:-1] for seg in path.split("/") if seg.startswith("{")}
        for method, operation in ops.items():
            assert operation["summary"], (method, path)
            given = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert given == names, (method, path, given)
