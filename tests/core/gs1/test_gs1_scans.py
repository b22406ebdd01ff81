"""GS1 refusals through the scan service: a message GS1 rejects books nothing and says why (both databases)."""

from __future__ import annotations

from sqlalchemy import select

from floor.core import queries
from floor.core.results import ScanInput, ScanResult
from floor.db import Database
from floor.models import StockMove


def _scan(service, station: str, *texts: str) -> list[ScanResult]:
    return service.submit(station, "gs1-dev", [ScanInput(t.encode()) for t in texts])


def _moves(db: Database) -> list[tuple[int, str | None]]:
    with db.reading() as s:
        return list(s.execute(select(StockMove.qty, StockMove.ref).order_by(StockMove.id)).tuples())


def _bins(db: Database, part_no: str) -> dict[str, int]:
    with db.reading() as s:
        return queries.part_summary(s, part_no)["bins"]


def test_receiving_a_gs1_message_with_a_bad_7007_books_nothing_and_records_no_serial(shop: Database, service) -> None:
    """GIVEN a storekeeper receiving at the dock WHEN ALT-300's GTIN comes with 9 digits in AI 7007
    THEN gs1_invalid naming AI 7007: no stock, no serial '1'; the same label with a real date range is received."""
    before = _moves(shop)
    results = _scan(service, "dock-1", "U:S001", "CMD:RECEIVE", "L:A-01-02", "]C101070320698049887007211225211")
    assert results[-1].ok is False and results[-1].code == "gs1_invalid", results[-1].message
    assert "AI (7007)" in results[-1].message and "AI (7007)" in results[-1].message_zh
    assert _moves(shop) == before and _bins(shop, "ALT-300") == {"A-01-01": 2}
    good = _scan(service, "dock-1", "]C101070320698049887007211225211231\x1d21SN9")
    assert good[-1].code == "received", good[-1].message
    assert _moves(shop)[-1] == (1, "serial=SN9")


def test_a_gtin_with_a_wrong_check_digit_says_so_at_the_counter(shop: Database, service) -> None:
    """GIVEN a technician at the counter with a job WHEN a GS1 GTIN with a wrong check digit is scanned
    THEN it is refused as a wrong check digit (not "Unknown part"), and nothing is issued."""
    before = _moves(shop)
    results = _scan(service, "counter-1", "U:T001", "WO:1001", "]C10112345678901234")
    last = results[-1]
    assert (last.ok, last.code) == (False, "gs1_invalid")
    assert "wrong check digit" in last.message and "Unknown part" not in last.message
    assert "校验位" in last.message_zh
    assert _moves(shop) == before
    with shop.reading() as s:
        assert queries.workorder_summary(s, "1001")["issued"] == {}


def test_an_ean13_with_a_wrong_check_digit_is_refused_and_the_right_one_issues(shop: Database, service) -> None:
    """GIVEN OF-100 with EAN alias 4006381333931 WHEN scanned with AIM ]E0 and a wrong last digit
    THEN gs1_invalid naming EAN-13; with the right digit it issues."""
    results = _scan(service, "counter-1", "U:T001", "WO:1001", "]E04006381333932", "]E04006381333931")
    assert [(r.ok, r.code) for r in results[2:]] == [(False, "gs1_invalid"), (True, "issued")]
    assert "EAN-13 4006381333932 has a wrong check digit 2" in results[2].message
    assert _bins(shop, "OF-100") == {"A-01-01": 9, "B-02-01": 4}
