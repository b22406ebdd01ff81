"""Schemathesis against /api/openapi.json: the answers conform to the description, not only "no 5xx" (issue 24).

Every operation is driven from the description by schemathesis, with schema-valid requests (positive)
and schema-violating ones (negative), and each answer passes schemathesis's own checks:

- not_a_server_error: never a 5xx;
- status_code_conformance: the status is one the description lists for the operation;
- content_type_conformance and response_schema_conformance: the body is the documented media type and shape
  (refusals are `{"error", "code", "error_zh"}`);
- negative_data_rejection: a request the description rules out (a missing required field, a too short or
  too long string, an empty date, a wrong type) is refused with a 4xx;
- allow_header_conformance: every 405 names the methods allowed (`Allow`).

positive_data_acceptance (a schema-valid request is never a 400) runs too, on the operations whose refusals
of valid-looking data are only about the world (404 unknown, 409 conflict, 403 not allowed): business rules
that a schema cannot state (a count in a bin that is already being counted...) are listed in
`RULES_NOT_IN_THE_SCHEMA`, and only those are exempt from it.

FLOOR_CONFORMANCE_EXAMPLES (default 6) examples per operation and mode, derandomized, so CI runs are
repeatable and take about a minute on each database.
"""

from __future__ import annotations

import os
from collections import defaultdict
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    allow_header_conformance,
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from floor.db import Database

EXAMPLES = int(os.environ.get("FLOOR_CONFORMANCE_EXAMPLES", "6"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    allow_header_conformance,
]

# Operations whose schema-valid requests may still be refused with a 400 by a rule of the workshop that
# no JSON schema can state; positive_data_acceptance is not asked of them (every other check is). Each says why.
# Every other rule a schema can state (enums, patterns, required and non-blank members, "one of these members",
# lengths, bounds) is in the description, and positive_data_acceptance holds it to it.
_PERIOD = "`from` not after `to`, and a bounded span: a rule between two parameters"
RULES_NOT_IN_THE_SCHEMA_WHY: dict[str, str] = {
    "GET /api/complaints/stats": _PERIOD,
    "GET /api/complaints/stats.csv": _PERIOD,
    "GET /api/reports/kpis": _PERIOD,
    "GET /api/reports/kpis.csv": _PERIOD,
    "GET /api/reports/technicians": _PERIOD,
    "GET /api/reports/technicians.csv": _PERIOD,
    "GET /api/sales": _PERIOD,
    "GET /api/sales.csv": _PERIOD,
    "GET /api/sales/stats": _PERIOD,
    "GET /api/sales/stats.csv": _PERIOD,
    "GET /api/workorders/costs.csv": _PERIOD,
    "POST /api/abc/recompute": "the three cutoffs must add up to 100",
    "POST /api/counts": "the bins must exist and be due or in the zone (count_nothing_due, count_zone_empty, ...)",
    "POST /api/deliveries": "supplier, reference and kind may come on the body or on each line; the body may be CSV",
    "POST /api/labels": "a printer or a format is needed only when the site has not exactly one printer; "
    "a preview is of one id",
    "POST /api/scans": "the station must be one of the site's configured stations",
    "POST /api/stock": "the part and the bin must exist (import them first)",
    "POST /api/workorders": "a VIN's check digit, and a customer_code must name a customer",
}
RULES_NOT_IN_THE_SCHEMA: frozenset[str] = frozenset(RULES_NOT_IN_THE_SCHEMA_WHY)


def _failures(exc: BaseException) -> list[str]:
    if isinstance(exc, BaseExceptionGroup):
        return [m for e in exc.exceptions for m in _failures(e)]
    title = getattr(exc, "title", type(exc).__name__)
    return [f"{title}: {str(exc)[:300]}"]


def _drive(operation: Any, mode: GenerationMode, found: dict[str, list[str]], static_paths: set[str]) -> None:
    label = f"{operation.method.upper()} {operation.path} [{mode.value}]"
    checks = list(CHECKS)
    if (
        mode is GenerationMode.POSITIVE
        and f"{operation.method.upper()} {operation.path}" not in RULES_NOT_IN_THE_SCHEMA
    ):
        checks.append(positive_data_acceptance)

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        if mode is GenerationMode.NEGATIVE and case.formatted_path in static_paths:
            # A "wrong" path value that spells another operation's own path (e.g. return_id "log" makes
            # /api/returns/log, the returns' log): that request is the other operation, held to its own checks.
            return
        response = case.call()
        if response.status_code == 413:  # over the 4 MB cap: refused before any view, whatever the schema says
            return
        try:
            case.validate_response(response, checks=checks)
        except (AssertionError, BaseExceptionGroup) as exc:
            said = f" -> {response.status_code} {response.text[:160]}"
            found.setdefault(label, []).extend(f.split("\n")[0] + said for f in _failures(exc))

    try:
        run()
    except Unsatisfiable:  # nothing to violate: an operation without parameters or body has no negative case
        assert mode is GenerationMode.NEGATIVE, label


@pytest.mark.slow
def test_every_answer_conforms_to_the_description(app: Any, shop: Database) -> None:
    """GIVEN the API description WHEN schemathesis sends schema-valid and schema-violating requests to every
    operation THEN every answer conforms: documented status and media type and shape, violations refused,
    valid requests not refused as malformed, 405s with Allow, and never a 5xx."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    # NUL is ruled out of every string and member name by the description (and refused by the guards);
    # this keeps the generator from drawing it where a schema cannot say so (keys of nested extra members).
    schema.config.generation.update(allow_x00=False)
    found: dict[str, list[str]] = {}
    operations = 0
    # The documented paths without a parameter, per method: a negative case may spell one of them.
    static_paths: dict[str, set[str]] = defaultdict(set)
    for path, item in schema.raw_schema["paths"].items():
        if "{" not in path:
            for method in item:
                static_paths[method.lower()].add(path)
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _drive(operation, mode, found, static_paths[operation.method.lower()])
    assert operations > 100
    report = "\n".join(f"{name}: {sorted(set(msgs))[:3]}" for name, msgs in sorted(found.items()))
    assert not found, f"{len(found)} operations do not conform:\n{report}"


METHODS = ("get", "post", "put", "patch", "delete")


def test_every_405_names_the_methods_allowed(app: Any, client: Any) -> None:
    """GIVEN every path of the description WHEN called with a method it does not take THEN 405 JSON with an
    `Allow` header naming exactly the methods it takes (issue 24: 84 answers 405 had no Allow)."""
    doc = client.get("/api/openapi.json").get_json()
    checked = 0
    for path, ops in doc["paths"].items():
        url = path
        for operation in ops.values():  # an id parameter gets an id, a month a month, any other a word
            for param in operation.get("parameters", []):
                if param["in"] == "path":
                    kind = param["schema"].get("type")
                    value = "1" if kind == "integer" else "2026-10" if param["name"] == "month" else "x"
                    value = param["schema"].get("enum", [value])[0]
                    url = url.replace("{" + param["name"] + "}", value)
        described = {m.upper() for m in ops if m in METHODS}
        for method in sorted({m.upper() for m in METHODS} - described):
            resp = client.open(url, method=method)
            if resp.status_code == 404:  # another rule takes the URL with a converter that refuses the value
                continue
            assert resp.status_code == 405, (method, url, resp.status_code)
            allowed = {m.strip() for m in resp.headers.get("Allow", "").split(",") if m.strip()}
            # the methods described are allowed (another rule may share the URL, e.g. /api/imports/<kind>)
            assert described <= allowed and method not in allowed, (method, url, allowed)
            assert resp.get_json()["code"] == "method_not_allowed"
            checked += 1
    assert checked > 100
