"""What the API description states, the API holds, both ways (tests/trust/test_openapi_conformance.py fuzzes it).

A whole number may come as 3.0 (JSON and its schema's "integer" make no difference) but never 3.5; a query
parameter given blank is refused, not read as absent.
"""

from __future__ import annotations

from typing import Any

import pytest


def _alert(**over: Any) -> dict[str, Any]:
    body = {"station": "counter-1", "device": "gw-1", "first_seq": 3, "last_seq": 9, "scans": 7, "error": "timeout"}
    return {**body, **over}


def test_a_whole_number_may_be_written_3_0_but_not_3_5(client: Any, shop: Any) -> None:
    """GIVEN a gateway alert WHEN first_seq is 3.0 THEN it is taken as 3; 3.5, true and "3" are refused."""
    taken = client.post("/api/gateway/alerts", json=_alert(first_seq=3.0))
    assert taken.status_code == 201 and taken.get_json()["first_seq"] == 3
    for bad in (3.5, True, "3"):
        assert client.post("/api/gateway/alerts", json=_alert(first_seq=bad)).status_code == 400, bad


@pytest.mark.parametrize(
    "url", ["/api/takings?day=", "/api/takings.csv?day=", "/api/followups?status=", "/api/followups?today=2"]
)
def test_a_blank_or_unknown_query_value_is_refused(client: Any, shop: Any, url: str) -> None:
    """GIVEN a query parameter the description limits WHEN given blank or outside it THEN 400, not the default."""
    resp = client.get(url)
    assert resp.status_code == 400 and resp.get_json()["code"] == "bad_request", resp.get_data(as_text=True)[:200]
