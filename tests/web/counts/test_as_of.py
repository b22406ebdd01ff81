"""Variance as of the moment counted, with the counter issuing and returning while the count runs (SPEC §4)."""

from __future__ import annotations

import pytest

from tests.web.counts.conftest import adjust_moves, by_line, levels, open_count, scan

# Depends on the date: scripts/test.sh runs it again under a machine clock a year ahead and back.
pytestmark = pytest.mark.clock


def _run_interleaved(store, service, clock):
    count_id = open_count(store, clock, locations=["A-01-01", "A-01-02"])
    hh, counter = "handheld-1", "counter-1"
    steps = [
        (hh, "U:S001", 1),
        (hh, f"CNT:{count_id}", 1),
        (hh, "L:A-01-01", 2),
        (counter, "U:T001", 3),
        (counter, "WO:1001", 3),
        (counter, "Q:2", 3),
        (counter, "P:SP-200", 3),
        (hh, "Q:14", 4),
        (hh, "P:SP-200", 4),  # SP-200 counted after 2 left: book 14 then
        (hh, "Q:10", 5),
        (hh, "P:OF-100", 5),  # OF-100 counted: book 10 then
        (counter, "Q:3", 6),
        (counter, "P:OF-100", 6),  # 3 issued after OF-100 was counted
        (hh, "P:BP-400", 7),
        (hh, "P:BP-400", 7.5),  # 2 brake pads found; book says 3
        (counter, "CMD:RETURN", 8),
        (counter, "P:SP-200", 8),  # 1 spark plug back after SP-200 was counted
        (hh, "L:A-01-02", 9),
        (hh, "Q:2", 9),
        (hh, "P:SP-200", 9),  # found where the book has none
        (hh, "L:A-01-01", 10),  # back to A-01-01: ALT-300 never found (book 2)
    ]
    for station, text, minute in steps:
        res = scan(service, station, (text, clock(minute)))
        assert res[0].ok, (text, res[0].code, res[0].message)
    return count_id


def test_moves_during_the_count_make_no_false_variance(store, service, clock, client):
    """GIVEN a count of A-01-01 and A-01-02 while the counter issues and returns from A-01-01
    WHEN the handheld counts each part after or before those moves
    THEN each line's expected is the book as of that line's first count scan: only real differences show."""
    count_id = _run_interleaved(store, service, clock)
    report = client.get(f"/api/counts/{count_id}/variance").get_json()
    assert by_line(report) == {
        ("A-01-01", "SP-200"): (14, 14, 0),  # 2 issued before it was counted, 1 returned after
        ("A-01-01", "OF-100"): (10, 10, 0),  # 3 issued after it was counted
        ("A-01-01", "BP-400"): (2, 3, -1),  # a real shortage
        ("A-01-01", "ALT-300"): (0, 2, -2),  # expected but never counted: a zero count
        ("A-01-02", "SP-200"): (2, 0, 2),  # found where the book had none
    }
    assert levels(store)[("A-01-01", "SP-200")] == 15 and levels(store)[("A-01-01", "OF-100")] == 7
    totals = report["totals"]
    assert (totals["overage_qty"], totals["shortage_qty"]) == (2, 3)
    assert totals["overage_value"] == "8.50" and totals["shortage_value"] == "455.00"
    assert {ln["part_no"]: ln["value"] for ln in report["lines"] if ln["location"] == "A-01-01"}["BP-400"] == "-35.00"


def test_rule_is_the_lines_first_scan_not_the_bins(store, service, clock):
    """GIVEN bin A-01-01 opened at minute 2 WHEN 2 SP-200 are issued at minute 3 and SP-200 is first scanned at minute 4
    THEN the line's time is minute 4 (its first scan), so the 2 issued count as gone, not as a shortage."""
    from floor.core.counts.settings import CountSettings
    from floor.core.counts.variance import variance_rows

    count_id = _run_interleaved(store, service, clock)
    with store.reading() as s:
        rows = {(r.location, r.part_no): r for r in variance_rows(s, count_id)}
    assert rows[("A-01-01", "SP-200")].at == clock(4)
    assert rows[("A-01-01", "ALT-300")].at == clock(10)  # a zero count is as of the bin's last count scan
    assert CountSettings().over_threshold(-2, rows[("A-01-01", "ALT-300")].value)


def test_approval_posts_variances_and_stock_ends_at_counted_plus_later_moves(store, service, clock, client):
    """GIVEN the interleaved count WHEN a supervisor approves (recount overridden) with reasons
    THEN one adjust move per variance line, ref CNT:<id>, and every bin ends at counted + moves since counting."""
    count_id = _run_interleaved(store, service, clock)
    res = client.post(
        f"/api/counts/{count_id}/approve",
        json={
            "badge": "SUP1",
            "pin": "2468",
            "override_recount": True,
            "reason": "unknown",
            "reasons": [{"location": "A-01-01", "part_no": "BP-400", "reason": "damage"}],
        },
    )
    assert res.status_code == 200, res.get_json()
    body = res.get_json()
    assert body["adjustments"] == 3 and body["status"] == "approved"
    assert sorted(adjust_moves(store)) == sorted(
        [(f"CNT:{count_id}", -1), (f"CNT:{count_id}", -2), (f"CNT:{count_id}", 2)]
    )
    after = levels(store)
    assert after[("A-01-01", "SP-200")] == 14 + 1  # counted 14, 1 returned since
    assert after[("A-01-01", "OF-100")] == 10 - 3  # counted 10, 3 issued since
    assert after[("A-01-01", "BP-400")] == 2
    assert ("A-01-01", "ALT-300") not in after
    assert after[("A-01-02", "SP-200")] == 2
    report = client.get(f"/api/counts/{count_id}/variance").get_json()
    reasons = {(ln["location"], ln["part_no"]): ln["reason"] for ln in report["lines"]}
    assert reasons[("A-01-01", "BP-400")] == "damage" and reasons[("A-01-01", "ALT-300")] == "unknown"
    assert reasons[("A-01-01", "OF-100")] is None


def test_approved_count_reads_the_same_after_later_moves(store, service, clock, client):
    """GIVEN an approved count WHEN the counter issues more from a counted bin THEN the variance report is unchanged."""
    count_id = _run_interleaved(store, service, clock)
    assert (
        client.post(
            f"/api/counts/{count_id}/approve", json={"badge": "SUP1", "pin": "2468", "override_recount": True}
        ).status_code
        == 200
    )
    before = client.get(f"/api/counts/{count_id}/variance").get_json()
    res = scan(service, "counter-1", "U:T001", "WO:1002", "Q:2", "P:SP-200")
    assert res[-1].code == "issued"
    after = client.get(f"/api/counts/{count_id}/variance").get_json()
    assert after["lines"] == before["lines"] and after["status"] == "approved"
    csv_text = client.get(f"/api/counts/{count_id}/variance.csv").get_data(as_text=True)
    assert csv_text.lstrip("\ufeff").splitlines()[0].startswith("location,zone,part_no,name,counted,expected,variance")
    assert "A-01-01,A,BP-400,Brake pads front,2,3,-1,35.00,-35.00" in csv_text
