"""Counting by scans: blind results, bad input, parallel handhelds, recount, UNDO, offline batches."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from floor.models import CountLine, CountLocation, ScanEvent
from tests.web.counts.conftest import by_line, open_count, scan


def _lines(db) -> dict[tuple[int, int], int]:
    with db.reading() as s:
        return {
            (loc, part): n
            for loc, part, n in s.execute(select(CountLine.location_id, CountLine.part_id, CountLine.counted))
        }


def test_blind_count_results_never_show_expected(store, service, clock, client):
    """GIVEN a blind count WHEN a counter counts THEN no scan result or counter view carries an expected quantity;
    GIVEN a non-blind count THEN the handheld's result does."""
    blind = open_count(store, clock, locations=["A-01-01"])
    res = scan(
        service,
        "handheld-1",
        ("U:S001", clock(1)),
        (f"CNT:{blind}", clock(1)),
        ("L:A-01-01", clock(1)),
        ("Q:7", clock(2)),
        ("P:SP-200", clock(2)),
    )
    assert [r.code for r in res] == ["actor_set", "count_set", "count_bin_set", "qty_set", "counted"]
    assert res[-1].effects == {"count": blind, "bin": "A-01-01", "part_no": "SP-200", "added": 7, "counted": 7}
    for r in res:  # the book says 16
        assert "expected" not in r.effects and "16" not in r.message and "16" not in r.message_zh
    view = client.get(f"/api/counts/{blind}").get_json()
    assert "expected" not in str(view) and view["bins_counted"] == 1 and view["lines_counted"] == 1
    seen = open_count(store, clock, blind=False, locations=["B-02-01"])
    res = scan(
        service,
        "handheld-2",
        ("U:S001", clock(3)),
        (f"CNT:{seen}", clock(3)),
        ("L:B-02-01", clock(3)),
        ("P:OF-100", clock(4)),
    )
    assert res[-1].effects["expected"] == 4


def test_part_before_bin_and_bin_outside_session_are_rejected(store, service, clock):
    """GIVEN a count of A-01-01 WHEN a part is scanned before any bin, or B-02-01 is scanned
    THEN both are rejected with a clear reason and nothing is counted."""
    count_id = open_count(store, clock, locations=["A-01-01"])
    res = scan(
        service,
        "handheld-1",
        ("U:S001", clock(1)),
        (f"CNT:{count_id}", clock(1)),
        ("P:OF-100", clock(2)),
        ("L:B-02-01", clock(3)),
        ("P:OF-100", clock(3)),
    )
    assert [r.code for r in res[2:]] == ["no_location", "bin_not_in_count", "no_location"]
    assert res[3].message == f"Bin B-02-01 is outside count {count_id}"
    assert "不在盘点单" in res[3].message_zh
    assert _lines(store) == {}
    with store.reading() as s:
        assert s.scalar(select(func.count()).select_from(CountLocation).where(CountLocation.pass_no > 0)) == 0


def test_count_scans_at_a_non_count_station_are_rejected(store, service, clock):
    """GIVEN a count WHEN its sheet, then Q:5 and a part, are scanned at the counter (a non-count station)
    THEN the sheet is rejected as not allowed there and no quantity is counted or issued."""
    count_id = open_count(store, clock, locations=["A-01-01"])
    res = scan(
        service,
        "counter-1",
        ("U:T001", clock(1)),
        (f"CNT:{count_id}", clock(1)),
        ("Q:5", clock(1)),
        ("P:OF-100", clock(1)),
    )
    assert res[1].code == "mode_not_allowed" and "COUNT" in res[1].message
    assert res[3].ok is False
    kiosk = scan(service, "kiosk-1", (f"CNT:{count_id}", clock(2)))
    assert kiosk[0].code == "mode_not_allowed"
    assert _lines(store) == {}


def test_unknown_and_malformed_count_sheets(store, service, clock):
    """GIVEN no count 999 WHEN CNT:999 or CNT:abc is scanned THEN both are rejected as unknown count sheets."""
    res = scan(service, "handheld-1", ("CNT:999", clock(1)), ("CNT:abc", clock(1)))
    assert [r.code for r in res] == ["unknown_count", "unknown_count"]


def test_parallel_counters_on_different_bins(store, service, clock, client):
    """GIVEN a zone-A count WHEN two handhelds count A-01-01 and A-01-02 with interleaved scans
    THEN each line has its own counter's quantity; the second handheld cannot barge into the bin the first is counting."""
    count_id = open_count(store, clock, zone="A")
    h1, h2 = "handheld-1", "handheld-2"
    for station, text, minute in [
        (h1, "U:S001", 1),
        (h2, "U:T002", 1),
        (h1, f"CNT:{count_id}", 1),
        (h2, f"CNT:{count_id}", 1),
        (h1, "L:A-01-01", 2),
        (h2, "L:A-01-02", 2),
        (h1, "P:SP-200", 3),
        (h2, "P:SP-200", 3),
        (h1, "Q:15", 4),
        (h1, "P:SP-200", 4),
        (h2, "Q:3", 5),
        (h2, "P:OF-100", 5),
    ]:
        assert scan(service, station, (text, clock(minute)))[0].ok, text
    barge = scan(service, h2, ("L:A-01-01", clock(6)))
    assert barge[0].code == "bin_busy" and "handheld-1" in barge[0].message
    lines = by_line(client.get(f"/api/counts/{count_id}/variance").get_json())
    assert lines[("A-01-01", "SP-200")] == (16, 16, 0)
    assert lines[("A-01-02", "SP-200")] == (1, 0, 1)
    assert lines[("A-01-02", "OF-100")] == (3, 0, 3)


def test_recount_replaces_the_first_count(store, service, clock, client):
    """GIVEN B-02-01 counted as 1 OF-100 (book 4: over the 2-unit threshold)
    WHEN the counter recounts the bin (CMD:COUNT) and finds 4 THEN the line is 4, not 5, and shows one recount;
    a part found only in the first pass counts as zero after the recount."""
    count_id = open_count(store, clock, locations=["B-02-01"])
    first = scan(
        service,
        "handheld-1",
        ("U:S001", clock(1)),
        (f"CNT:{count_id}", clock(1)),
        ("L:B-02-01", clock(1)),
        ("P:OF-100", clock(2)),
        ("P:SP-200", clock(2)),
    )
    assert first[-1].code == "counted"
    report = client.get(f"/api/counts/{count_id}/variance").get_json()
    assert report["recount_bins"] == ["B-02-01"] and report["totals"]["recount_required"] == 1
    counter_view = client.get(f"/api/counts/{count_id}").get_json()
    assert counter_view["recount_bins"] == ["B-02-01"] and "expected" not in str(counter_view)
    again = scan(service, "handheld-1", ("CMD:COUNT", clock(3)), ("Q:4", clock(4)), ("P:OF-100", clock(4)))
    assert [r.code for r in again] == ["recount_started", "qty_set", "counted"]
    assert again[-1].effects["counted"] == 4
    report = client.get(f"/api/counts/{count_id}/variance").get_json()
    assert by_line(report) == {("B-02-01", "OF-100"): (4, 4, 0)}
    assert report["lines"][0]["recounts"] == 1 and report["recount_bins"] == []


def test_recount_as_of_its_own_time(store, service, clock, client):
    """GIVEN B-02-01 first counted at minute 2 WHEN 2 OF-100 are moved out at minute 3 and the bin is recounted at minute 5
    THEN the recount's expected is the book as of minute 5 (2), so the recount of 2 shows no variance."""
    count_id = open_count(store, clock, locations=["B-02-01"])
    scan(
        service,
        "handheld-1",
        ("U:S001", clock(1)),
        (f"CNT:{count_id}", clock(1)),
        ("L:B-02-01", clock(2)),
        ("P:OF-100", clock(2)),
    )
    moved = scan(
        service,
        "dock-1",
        ("U:S001", clock(3)),
        ("CMD:MOVE", clock(3)),
        ("L:B-02-01", clock(3)),
        ("Q:2", clock(3)),
        ("P:OF-100", clock(3)),
        ("L:A-01-02", clock(3)),
    )
    assert moved[-1].code == "moved"
    scan(service, "handheld-1", ("CMD:COUNT", clock(5)), ("Q:2", clock(5)), ("P:OF-100", clock(5)))
    assert by_line(client.get(f"/api/counts/{count_id}/variance").get_json()) == {("B-02-01", "OF-100"): (2, 2, 0)}


def test_undo_takes_back_the_last_count_scan(store, service, clock):
    """GIVEN 3 then 1 OF-100 counted WHEN UNDO THEN the line is back to 3; a second UNDO finds nothing to undo."""
    count_id = open_count(store, clock, locations=["B-02-01"])
    res = scan(
        service,
        "handheld-1",
        ("U:S001", clock(1)),
        (f"CNT:{count_id}", clock(1)),
        ("L:B-02-01", clock(1)),
        ("Q:3", clock(1)),
        ("P:OF-100", clock(1)),
        ("P:OF-100", clock(2)),
        ("CMD:UNDO", clock(2)),
        ("CMD:UNDO", clock(2)),
    )
    assert [r.code for r in res[-2:]] == ["undone", "nothing_to_undo"]
    assert list(_lines(store).values()) == [3]


def test_offline_batch_is_applied_with_its_own_times(store, service, clock, client):
    """GIVEN a count opened at minute 0 and an issue from A-01-01 at minute 5
    WHEN a handheld uploads scans stored offline at minutes 2-3 (before that issue), then the same batch again
    THEN the count is as of the stored times (no false variance) and the re-upload changes nothing."""
    count_id = open_count(store, clock, locations=["A-01-01"])
    issued = scan(
        service, "counter-1", ("U:T001", clock(5)), ("WO:1001", clock(5)), ("Q:4", clock(5)), ("P:OF-100", clock(5))
    )
    assert issued[-1].code == "issued"

    def iso(m: float) -> str:
        return clock(m).isoformat().replace("+00:00", "Z")

    batch = {
        "station": "handheld-1",
        "device": "handheld-7",
        "scans": [
            {"data": "U:S001", "seq": 1, "at": iso(2)},
            {"data": f"CNT:{count_id}", "seq": 2, "at": iso(2)},
            {"data": "L:A-01-01", "seq": 3, "at": iso(2)},
            {"data": "Q:10", "seq": 4, "at": iso(3)},
            {"data": "P:OF-100", "seq": 5, "at": iso(3)},
        ],
    }
    first = client.post("/api/scans", json=batch).get_json()["results"]
    assert all(r["ok"] for r in first) and first[-1]["code"] == "counted"
    again = client.post("/api/scans", json=batch).get_json()["results"]
    assert all(r["duplicate"] for r in again)
    lines = by_line(client.get(f"/api/counts/{count_id}/variance").get_json())
    assert lines[("A-01-01", "OF-100")] == (10, 10, 0)


def test_offline_batch_that_predates_the_count_is_rejected(store, service, clock, client):
    """GIVEN a count opened at minute 0 WHEN a handheld uploads count scans stamped before it was opened
    THEN each count scan is rejected (kept in the event log with the reason) and nothing is counted."""
    count_id = open_count(store, clock, locations=["A-01-01"])

    def iso(m: float) -> str:
        return clock(m).isoformat().replace("+00:00", "Z")

    batch = {
        "station": "handheld-1",
        "device": "handheld-8",
        "scans": [
            {"data": "U:S001", "seq": 1, "at": iso(-30)},
            {"data": f"CNT:{count_id}", "seq": 2, "at": iso(-30)},
            {"data": "L:A-01-01", "seq": 3, "at": iso(-29)},
            {"data": "P:OF-100", "seq": 4, "at": iso(-29)},
        ],
    }
    res = client.post("/api/scans", json=batch)
    assert res.status_code == 200
    results = res.get_json()["results"]
    assert [r["code"] for r in results[1:]] == ["count_not_started", "location_set", "no_mode"]
    assert "before count" in results[1]["message"]
    assert _lines(store) == {}
    with store.reading() as s:
        kept = s.scalar(select(func.count()).select_from(ScanEvent).where(ScanEvent.code == "count_not_started"))
    assert kept == 1


def test_session_already_counting_rejects_scans_before_its_opening(store, service, clock):
    """GIVEN a handheld already counting WHEN a later scan arrives stamped before the count was opened
    THEN it is rejected and the line keeps its quantity."""
    count_id = open_count(store, clock, locations=["B-02-01"])
    scan(
        service,
        "handheld-1",
        ("U:S001", clock(1)),
        (f"CNT:{count_id}", clock(1)),
        ("L:B-02-01", clock(1)),
        ("P:OF-100", clock(1)),
    )
    res = scan(service, "handheld-1", ("P:OF-100", clock(0) - timedelta(seconds=1)))
    assert res[0].code == "count_not_started"
    assert list(_lines(store).values()) == [1]


def test_concurrent_handhelds_lose_no_count(store, service, clock):
    """GIVEN a zone-A count WHEN two handhelds send 30 single-scan batches each at the same time, on their own bins
    THEN every scan is counted once: 30 SP-200 in A-01-01 and 30 BP-400 in A-01-02."""
    import threading

    count_id = open_count(store, clock, zone="A")
    for station, bin_code in (("handheld-1", "A-01-01"), ("handheld-2", "A-01-02")):
        assert scan(service, station, ("U:S001", clock(1)), (f"CNT:{count_id}", clock(1)), (f"L:{bin_code}", clock(1)))[
            -1
        ].ok
    errors: list[str] = []

    def count(station: str, part: str) -> None:
        for i in range(30):
            res = scan(service, station, (part, clock(2 + i / 60)))
            if not res[0].ok:
                errors.append(res[0].code)

    threads = [
        threading.Thread(target=count, args=("handheld-1", "P:SP-200")),
        threading.Thread(target=count, args=("handheld-2", "P:BP-400")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(_lines(store).values()) == [30, 30]


def test_one_batch_counts_undoes_recounts_and_counts_again(store, service, clock, client):
    """GIVEN one batch that counts two bins, UNDOes a first scan (its line goes), counts that part again,
    recounts a bin and counts after the recount (the count's rows are kept across the batch's scans)
    THEN every line is what the scans say, as if each scan had read the books afresh."""
    count_id = open_count(store, clock, locations=["A-01-01", "B-02-01"])
    res = scan(
        service,
        "handheld-1",
        ("U:S001", clock(1)),
        (f"CNT:{count_id}", clock(1)),
        ("L:B-02-01", clock(1)),
        ("P:OF-100", clock(1)),
        ("CMD:UNDO", clock(1)),  # the line of 1 is deleted
        ("Q:2", clock(1)),
        ("P:OF-100", clock(2)),  # and made again: 2
        ("P:OF-100", clock(2)),  # 3
        ("L:A-01-01", clock(2)),
        ("Q:9", clock(2)),
        ("P:OF-100", clock(2)),
        ("P:SP-200", clock(2)),
        ("CMD:COUNT", clock(3)),  # recount of A-01-01: the next pass replaces its lines
        ("Q:10", clock(3)),
        ("P:OF-100", clock(3)),
        ("P:OF-100", clock(3)),
    )
    assert all(r.ok for r in res), [(r.code, r.message) for r in res if not r.ok]
    assert [r.effects.get("counted") for r in res if r.code == "counted"] == [1, 2, 3, 9, 1, 10, 11]
    report = client.get(f"/api/counts/{count_id}/variance").get_json()
    assert {k: v[0] for k, v in by_line(report).items()} == {
        ("B-02-01", "OF-100"): 3,
        ("A-01-01", "OF-100"): 11,
        ("A-01-01", "SP-200"): 0,  # found only in the first pass of the recounted bin
        ("A-01-01", "ALT-300"): 0,  # in the books, never found
        ("A-01-01", "BP-400"): 0,
    }
    with store.reading() as s:
        passes = dict(s.execute(select(CountLocation.location_id, CountLocation.pass_no)).all())
    assert sorted(passes.values()) == [1, 2]
