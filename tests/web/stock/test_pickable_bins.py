"""Stock in non-pickable bins (SPEC 10.6): quarantine, receiving, core and scrap stock is on hand, never available,
never issued, never reserved, never picked for a sale."""

from __future__ import annotations

import pytest

from floor.core import queries
from floor.core.master import Importer
from tests.web.stock.helpers import scan


@pytest.fixture
def dock(store):
    """The store fixture plus a receiving-kind bin R-IN."""
    with store.writing() as s:
        imp = Importer(s)
        imp.apply("locations", {"code": "R-IN", "name": "Inbound", "zone": "R", "kind": "receiving"})
        imp.finish()
    return store


def _summary(db, part_no: str) -> dict:
    with db.reading() as s:
        return queries.part_summary(s, part_no)


@pytest.mark.parametrize("bin_code", ["Q-01", "R-IN"])
def test_receive_into_a_non_pickable_bin_is_on_hand_not_available(dock, service, client, bin_code):
    """GIVEN BP-400 3 in store WHEN 5 are received into a quarantine / receiving bin THEN on hand 8, available 3."""
    results = scan(service, "U:S001", "CMD:RECEIVE", f"L:{bin_code}", "Q:5", "P:BP-400", station="dock-1")
    assert results[-1].code == "received", results[-1].message
    summary = _summary(dock, "BP-400")
    assert summary["on_hand"] == 8 and summary["bins"][bin_code] == 5
    assert summary["available"] == 3
    assert client.get("/api/parts/BP-400").get_json()["available"] == 3


def test_issue_from_a_quarantine_bin_is_refused(dock, service):
    """GIVEN 5 BP-400 in quarantine Q-01 WHEN a technician issues from Q-01 THEN bin_not_pickable, nothing moves."""
    scan(service, "U:S001", "CMD:RECEIVE", "L:Q-01", "Q:5", "P:BP-400", station="dock-1")
    results = scan(service, "U:T001", "WO:1001", "L:Q-01", "P:BP-400")
    assert results[-1].code == "bin_not_pickable" and not results[-1].ok, results[-1].message
    assert "Q-01" in results[-1].message and "隔离" in results[-1].message_zh
    assert _summary(dock, "BP-400")["bins"]["Q-01"] == 5
    ok = scan(service, "L:A-01-01", "P:BP-400")
    assert ok[-1].code == "issued", ok[-1].message


def test_quarantined_stock_is_not_reserved_for_a_request(dock, service, client):
    """GIVEN all 4 OF-100 moved to quarantine WHEN a job requests 2 THEN nothing is reserved (backordered)."""
    moved = scan(service, "U:S001", "CMD:MOVE", "L:B-02-01", "Q:4", "P:OF-100", "L:Q-01", station="dock-1")
    assert moved[-1].ok, moved[-1].message
    assert _summary(dock, "OF-100")["available"] == 10  # 14 on hand, 4 in quarantine
    r = client.post(
        "/api/workorders/1001/requests", json={"badge": "T001", "lines": [{"part_no": "OF-100", "qty": 12}]}
    )
    assert r.status_code == 201, r.get_json()
    line = r.get_json()["lines"][0]
    assert line["reserved"] == 10 and line["status"] != "reserved"
