"""An ISSUE worth more than `[requisition] approval_value` needs an approved request line covering it (issue 24)."""

from __future__ import annotations

import pytest

from floor.application.scan_service import ScanService
from floor.service.factory import create_app
from tests.conftest import make_config
from tests.web.demand.helpers import ask, scan

pytestmark = pytest.mark.clock


def _site(db, limit):
    cfg = make_config(requisition={"approval_value": limit})
    return create_app(cfg, db, {"TESTING": True}).test_client(), ScanService(cfg, db)


def _on_hand(client) -> int:
    return client.get("/api/parts/ALT-300").get_json()["on_hand"]


def test_a_plain_issue_over_the_limit_is_refused(shop, db):
    """GIVEN approval_value 100 and no request WHEN 2 alternators (420) are issued THEN needs_approval, nothing moves."""
    client, service = _site(db, 100)
    res = scan(service, "U:T001", "WO:1001", "CMD:ISSUE", "Q:2", "P:ALT-300")
    assert res[-1].code == "needs_approval" and not res[-1].ok, res[-1].message
    assert "420.00" in res[-1].message and "100" in res[-1].message and res[-1].message_zh
    assert _on_hand(client) == 2


def test_an_issue_under_the_limit_needs_no_request(shop, db):
    """GIVEN approval_value 500 WHEN 2 alternators (420) are issued THEN issued."""
    client, service = _site(db, 500)
    assert scan(service, "U:T001", "WO:1001", "CMD:ISSUE", "Q:2", "P:ALT-300")[-1].code == "issued"
    assert _on_hand(client) == 0


def test_an_approved_line_covers_the_issue_and_only_what_it_asked(shop, db):
    """GIVEN approval_value 200 and the job's line for 1 alternator (210) awaiting approval WHEN issued THEN refused;
    once approved 1 issues; 2 more than the line covers are refused."""
    client, service = _site(db, 200)
    line = ask(client, "1001", [("ALT-300", 1)]).get_json()["lines"][0]
    assert line["status"] == "awaiting_approval"
    res = scan(service, "U:T001", "WO:1001", "CMD:ISSUE", "P:ALT-300")
    assert res[-1].code == "request_awaiting_approval" and not res[-1].ok
    assert _on_hand(client) == 2
    r = client.post(f"/api/requests/{line['id']}/approve", json={"badge": "SUP1", "pin": "2468"})
    assert r.status_code == 200, r.get_json()
    assert scan(service, "Q:2", "P:ALT-300")[-1].code == "needs_approval"
    assert scan(service, "Q:1", "P:ALT-300")[-1].code == "issued"
    assert _on_hand(client) == 1
