"""The counter: badge, job card, part scans issue stock; rules of SPEC section 3."""

from __future__ import annotations

from floor import clock
from floor.core import queries
from floor.core.results import ScanInput
from floor.db import Database


def scan(service, *texts: str, station: str = "counter-1", device: str = "dev-1", start: int | None = None):
    """Send texts as one batch; with `start`, number them from it."""
    inputs = [ScanInput(t.encode(), (start + i) if start is not None else None) for i, t in enumerate(texts)]
    return service.submit(station, device, inputs)


def on_hand(db: Database, part_no: str) -> dict[str, int]:
    with db.reading() as s:
        return queries.part_summary(s, part_no)["bins"]


def test_issue_moves_stock_to_job(shop, service):
    """GIVEN stock of OF-100 WHEN a technician scans badge, job, two oil filters THEN 2 leave A-01-01 for job 1001."""
    results = scan(service, "U:T001", "WO:1001", "P:OF-100", "4006381333931")
    assert [r.code for r in results] == ["actor_set", "wo_set", "issued", "issued"]
    assert all(r.ok for r in results)
    assert on_hand(shop, "OF-100") == {"A-01-01": 8, "B-02-01": 4}
    with shop.reading() as s:
        wo = queries.workorder_summary(s, "1001")
    assert wo["issued"] == {"OF-100": 2}
    assert wo["parts_cost"] == "17.00"


def test_issue_more_than_on_hand_is_rejected_and_changes_nothing(shop, service):
    """GIVEN 3 brake pads WHEN Q:5 then the pads are scanned THEN rejected, stock stays 3, pending qty stays."""
    results = scan(service, "U:T001", "WO:1001", "Q:5", "P:BP-400")
    assert results[-1].ok is False and results[-1].code == "insufficient_stock"
    assert "Only 3" in results[-1].message and "仅有 3" in results[-1].message_zh
    assert on_hand(shop, "BP-400") == {"A-01-01": 3}
    ok = scan(service, "Q:3", "P:BP-400")
    assert [r.ok for r in ok] == [True, True]
    assert on_hand(shop, "BP-400") == {}


def test_gs1_and_ean_aliases_resolve_the_same_part(shop, service):
    """GIVEN ALT-300 with an EAN-13 alias WHEN GS1-128 with AI 01 in 14-digit form is scanned THEN it issues ALT-300."""
    results = scan(service, "U:T001", "WO:1001", "]C1010703206980498810LOT7")
    assert results[-1].code == "issued", results[-1].message
    assert on_hand(shop, "ALT-300") == {"A-01-01": 1}


def test_part_without_job_is_rejected(shop, service):
    """GIVEN a fresh counter session WHEN a part is scanned with no job THEN it is rejected naming what to do."""
    results = scan(service, "U:T001", "P:OF-100")
    assert results[-1].ok is False
    assert results[-1].code == "no_mode"
    assert on_hand(shop, "OF-100") == {"A-01-01": 10, "B-02-01": 4}


def test_closed_job_is_rejected(shop, service):
    """GIVEN job 1003 delivered WHEN its card is scanned THEN rejected as closed."""
    results = scan(service, "U:T001", "WO:1003")
    assert results[-1].code == "wo_closed"


def test_job_cancelled_earlier_in_the_same_batch_takes_no_more_parts(shop, service):
    """GIVEN one batch: supervisor badge, job 1001, CANCEL, ISSUE mode, then a part
    WHEN it is applied in one transaction (the cancel not yet flushed when the part is scanned)
    THEN the part is refused as for a closed job and no stock moves."""
    results = scan(service, "U:SUP1", "WO:1001", "CMD:CANCEL", "CMD:ISSUE", "P:OF-100")
    assert results[2].ok, results[2].message
    assert results[-1].code == "wo_closed", results[-1].message
    assert on_hand(shop, "OF-100") == {"A-01-01": 10, "B-02-01": 4}


def test_badge_required(shop, service):
    """GIVEN a counter that requires a badge WHEN job and part are scanned without one THEN the part is rejected."""
    results = scan(service, "WO:1001", "P:OF-100")
    assert results[-1].code == "no_actor"


def test_return_reverses_issue_and_cannot_exceed_it(shop, service):
    """GIVEN 2 issued WHEN 3 are returned THEN rejected; WHEN 2 are returned THEN the job nets 0 and stock is back."""
    scan(service, "U:T001", "WO:1001", "Q:2", "P:SP-200")
    bad = scan(service, "CMD:RETURN", "Q:3", "P:SP-200")
    assert bad[-1].code == "return_exceeds_issue"
    good = scan(service, "Q:2", "P:SP-200")
    assert good[-1].code == "returned"
    assert on_hand(shop, "SP-200") == {"A-01-01": 16}
    with shop.reading() as s:
        wo = queries.workorder_summary(s, "1001")
    assert wo["issued"] == {} and wo["parts_cost"] == "0.00"


def test_undo_reverses_last_transaction(shop, service):
    """GIVEN an issue of 2 WHEN UNDO THEN stock is back, the ledger has compensating moves, a second UNDO finds nothing."""
    scan(service, "U:T001", "WO:1001", "Q:2", "P:OF-100")
    res = scan(service, "CMD:UNDO", "CMD:UNDO")
    assert [r.code for r in res] == ["undone", "nothing_to_undo"]
    assert on_hand(shop, "OF-100") == {"A-01-01": 10, "B-02-01": 4}
    from sqlalchemy import func, select

    from floor.models import ScanEvent, StockMove

    with shop.reading() as s:
        reasons = sorted(r for (r,) in s.execute(select(StockMove.reason).where(StockMove.part_id.is_not(None))))
        assert reasons.count("issue") == 1 and reasons.count("undo") == 1
        undone = s.scalar(select(func.count()).select_from(ScanEvent).where(ScanEvent.undone_by.is_not(None)))
        assert undone == 1


def test_duplicate_seq_applied_once(shop, service):
    """GIVEN a batch applied WHEN the same device+seq batch is re-sent THEN the first results come back flagged duplicate."""
    first = scan(service, "U:T001", "WO:1001", "P:OF-100", start=1)
    again = scan(service, "U:T001", "WO:1001", "P:OF-100", start=1)
    assert [r.duplicate for r in first] == [False] * 3
    assert [r.duplicate for r in again] == [True] * 3
    assert [r.code for r in again] == [r.code for r in first]
    assert on_hand(shop, "OF-100")["A-01-01"] == 9
    assert service.last_seq("dev-1") == 3


def test_move_between_bins(shop, service):
    """GIVEN 4 OF-100 in B-02-01 WHEN MOVE, L:B-02-01, Q:3, part, L:A-01-02 THEN 3 moved."""
    res = scan(service, "U:S001", "CMD:MOVE", "L:B-02-01", "Q:3", "P:OF-100", "L:A-01-02")
    assert [r.code for r in res] == ["actor_set", "mode_set", "location_set", "qty_set", "move_part_set", "moved"]
    assert on_hand(shop, "OF-100") == {"A-01-01": 10, "A-01-02": 3, "B-02-01": 1}


def test_receive_into_bin(shop, service):
    """GIVEN the dock WHEN RECEIVE of 5 spark plugs THEN they land in the dock's default bin."""
    res = scan(service, "U:S001", "CMD:RECEIVE", "Q:5", "P:SP-200", station="dock-1")
    assert res[-1].code == "received"
    assert on_hand(shop, "SP-200") == {"A-01-01": 16, "R-00-01": 5}


def test_idle_timeout_clears_the_session(shop, service):
    """GIVEN a session at T WHEN the next scan comes 121 s later THEN the session was cleared and the part is rejected."""
    from datetime import timedelta

    t0 = clock.now() - timedelta(minutes=10)
    texts = [("U:T001", 0), ("WO:1001", 5), ("P:OF-100", 60), ("P:OF-100", 60 + 121)]
    results = service.submit(
        "counter-1", "h", [ScanInput(t.encode(), i + 1, t0 + timedelta(seconds=s)) for i, (t, s) in enumerate(texts)]
    )
    assert [r.code for r in results] == ["actor_set", "wo_set", "issued", "no_mode"]


def test_session_survives_a_restart_of_the_service(shop, cfg):
    """GIVEN badge and job scanned WHEN the service is recreated over the same database THEN the next part still issues."""
    from floor.application.scan_service import ScanService

    scan(ScanService(cfg, shop), "U:T001", "WO:1001")
    result = scan(ScanService(cfg, shop), "P:SP-200")[0]
    assert result.code == "issued"


def test_rfid_sgtin96_resolves_part_by_gtin(shop, service):
    """GIVEN ALT-300 with GTIN 07032069804988 WHEN its SGTIN-96 EPC is read THEN the alternator is issued."""
    from floor.core.epc import encode_sgtin96

    epc = encode_sgtin96("07032069804988", 123, company_prefix_digits=6)
    results = scan(service, "U:T001", "WO:1001", epc)
    assert results[-1].code == "issued", results[-1].message
    assert on_hand(shop, "ALT-300") == {"A-01-01": 1}


def test_garbage_between_good_scans_changes_nothing(shop, service):
    """GIVEN a session WHEN garbage bytes arrive between scans THEN they are rejected and the session is intact."""
    inputs = [ScanInput(b"U:T001"), ScanInput(b"WO:1001"), ScanInput(b"\xff\x00\x13garbage"), ScanInput(b"P:OF-100")]
    results = service.submit("counter-1", "d", inputs)
    assert [r.ok for r in results] == [True, True, False, True]
    assert results[2].code in ("bad_encoding", "control_chars")
