"""Fuzz every operation of /api/openapi.json (hypothesis, bounded): no 5xx, and a refused request changes nothing.

The bodies are drawn from each operation's schema (well-typed values, the workshop's real
codes, edge times and huge numbers), then some are mangled into arbitrary JSON, raw bytes,
deep nesting or text with NUL and surrogates. Each operation gets FLOOR_FUZZ_EXAMPLES
examples (default 20) on each database, derandomized so CI runs are repeatable; set it
higher for a longer local hunt.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floor.db import Database
from floor.web.openapi import OPERATIONS
from tests.trust.books import books

EXAMPLES = int(os.environ.get("FLOOR_FUZZ_EXAMPLES", "20"))
KNOWN = ["OF-100", "BP-400", "ALT-300", "A-01-01", "B-02-01", "1001", "1002", "1003", "T001", "SUP1", "counter-1"]
NASTY_TEXT = [
    "",
    " ",
    "²²²²²²²²",
    "٣",
    "１２",
    "\x00",
    "\ud800",
    "x" * 5000,
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:00:00-05:00",
    "'; DROP TABLE parts; --",
    "=1+1",
    "../../etc/passwd",
    "NaN",
    "-1",
    str(2**64),
]
NASTY_INT = [0, -1, 2**31, 2**63, 2**64, -(2**63) - 1, 10**30]

json_leaf = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
any_json = st.recursive(
    json_leaf, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3), max_leaves=8
)


def text_for(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A string: one of the schema's values, a real code of the workshop, an edge case or any text."""
    good = st.sampled_from(schema["enum"]) if "enum" in schema else st.sampled_from(KNOWN)
    if schema.get("format") == "date-time":
        good = st.sampled_from(["2026-11-30T10:00:00Z", "2026-11-23T08:00:00+01:00", "2026-12-01 09:00"])
    elif schema.get("format") == "date":
        good = st.sampled_from(["2026-11-01", "2026-11-30"])
    return st.one_of(good, good, st.sampled_from(NASTY_TEXT), st.text(max_size=30))


def value_for(schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """A value shaped by the schema, sometimes wrong in type or range (the fuzz wants both)."""
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        fields = {k: value_for(v, depth + 1) for k, v in props.items() if k in required}
        optional = {k: value_for(v, depth + 1) for k, v in props.items() if k not in required}
        shaped = st.fixed_dictionaries(fields, optional=optional)
        return shaped if depth else st.one_of(shaped, shaped, shaped, any_json)
    if kind == "array":
        return st.lists(value_for(schema["items"], depth + 1), max_size=3) | any_json
    if kind == "integer":
        lo, hi = schema.get("minimum", -(2**63)), schema.get("maximum", 2**63)
        return st.one_of(st.integers(lo, min(hi, lo + 20)), st.integers(lo, hi), st.sampled_from(NASTY_INT), any_json)
    if kind == "number":
        return st.floats(allow_nan=True, allow_infinity=True) | st.integers()
    if kind == "boolean":
        return st.booleans() | any_json
    if kind == "string":
        return text_for(schema) | st.integers() if depth else text_for(schema)
    return any_json


def body_for(schema: dict[str, Any] | None) -> st.SearchStrategy[tuple[str, bytes]]:
    """(content type, body bytes): mostly schema-shaped JSON, sometimes broken on purpose."""
    shaped = value_for(schema or {"type": "object", "properties": {}})
    as_json = shaped.map(lambda v: ("application/json", json.dumps(v).encode()))
    broken = st.sampled_from(
        [
            ("application/json", b"[" * 5000 + b"]" * 5000),
            ("application/json", b'{"a": ' * 3000 + b"1" + b"}" * 3000),
            ("application/json", b"{not json"),
            ("application/json", b'{"badge": "\\u0000", "part_no": "\\ud800"}'),
            ("application/json", b"\xff\xfe\x00"),
            ("text/plain", b"hello"),
            ("text/csv", b"supplier,reference,part_no,qty\nACME,D-1,OF-100,\xd9\xa3\n"),
            ("application/x-www-form-urlencoded", b"a=%00"),
        ]
    )
    return st.one_of(as_json, as_json, as_json, broken)


def path_value(name: str) -> st.SearchStrategy[str]:
    """A path parameter: a real id or code, or an edge (huge, negative, non-ASCII, NUL)."""
    if name.endswith("_id"):
        real = st.integers(1, 5).map(str)
    else:
        real = st.sampled_from(KNOWN)
    edge = st.sampled_from([str(2**64), str(2**63), "-1", "0", "١٢", "１２", "²", "%00", "a%2Fb", "x" * 300])
    return st.one_of(real, real, edge, st.text(min_size=1, max_size=12).map(lambda t: quote(t, safe="")))


def url_for(entry: dict[str, Any]) -> st.SearchStrategy[str]:
    """The operation's URL with drawn path parameters and query string."""
    names = [seg[1:-1] for seg in entry["path"].split("/") if seg.startswith("{")]
    params = st.fixed_dictionaries({n: path_value(n) for n in names})
    query = st.fixed_dictionaries({}, optional={k: text_for(v) for k, v in entry["query"].items()})

    def build(pair: tuple[dict[str, str], dict[str, str]]) -> str:
        path_params, query_params = pair
        url = entry["path"]
        for n, v in path_params.items():
            url = url.replace("{" + n + "}", v if "%" in v else quote(v, safe=""))
        if query_params:
            url += "?" + "&".join(
                f"{quote(k)}={quote(v, safe='', errors='surrogatepass')}" for k, v in query_params.items()
            )
        return url

    return st.tuples(params, query).map(build)


def fuzz_operation(client: Any, shop: Database, entry: dict[str, Any]) -> list[int]:
    """Send EXAMPLES drawn requests to one operation; return their status codes."""
    seen: list[int] = []
    # The books as the last request left them: read once per request, not before and after each.
    last = [books(shop)]

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(url=url_for(entry), body=body_for(entry["body"]))
    def run(url: str, body: tuple[str, bytes]) -> None:
        before = last[0]
        if entry["method"] == "get":
            resp = client.get(url)
        else:
            resp = client.open(url, method=entry["method"].upper(), data=body[1], content_type=body[0])
        seen.append(resp.status_code)
        assert resp.status_code < 500, (url, body[1][:200], resp.get_data(as_text=True)[:300])
        # A successful read changes nothing; anything else is read back.
        after = books(shop) if entry["method"] != "get" or resp.status_code >= 400 else before
        if 400 <= resp.status_code < 500:
            assert after == before, (url, body[1][:200], resp.status_code, resp.get_data(as_text=True)[:300])
            # One error shape for every API answer (floor.http.errors.error_answer).
            answer = resp.get_json(silent=True)
            assert isinstance(answer, dict) and {"code", "error", "error_zh"} <= answer.keys(), (
                url,
                resp.status_code,
                resp.get_data(as_text=True)[:300],
            )
            assert all(isinstance(answer[k], str) and answer[k] for k in ("code", "error", "error_zh")), answer
        last[0] = after

    run()
    return seen


@pytest.mark.slow
def test_fuzz_every_operation(client: Any, shop: Database) -> None:
    """GIVEN every operation of the API description WHEN hostile and half-right requests are sent
    THEN never a 5xx, and every refused (4xx) request leaves the books exactly as they were and is answered in
    the one error shape `{"code", "error", "error_zh"}`.

    One workshop for all operations (a fixture per operation cost more than the fuzz itself):
    what an accepted request changed is simply the state the next ones start from."""
    statuses: dict[str, list[int]] = {}
    for entry in OPERATIONS:
        name = f"{entry['method'].upper()} {entry['path']}"
        try:
            statuses[name] = fuzz_operation(client, shop, entry)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from None
    assert set(statuses) == {f"{e['method'].upper()} {e['path']}" for e in OPERATIONS}
    assert all(statuses.values()), "an operation was sent no request"
    # The fuzz reaches past the validators: some requests of the write operations are accepted.
    accepted = [n for n, codes in statuses.items() if n.startswith("POST") and any(c < 300 for c in codes)]
    assert len(accepted) >= 5, statuses
