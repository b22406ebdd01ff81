"""Reservations hold stock for demand lines and never exceed on-hand, also when stations race."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from floor import clock
from floor.core import reservations as rsv
from floor.core.reservations import Holder
from floor.db import Database
from floor.models import Part, PartRequest, Reservation, ReservedTotal, WorkOrder


def _ids(db: Database) -> tuple[int, dict[str, int]]:
    with db.reading() as s:
        part = s.scalar(select(Part.id).where(Part.part_no == "OF-100"))
        jobs = dict(s.execute(select(WorkOrder.number, WorkOrder.id)).all())
    assert part is not None
    return part, jobs


def test_reserve_holds_what_is_free_and_the_rest_is_not_taken(shop):
    """GIVEN OF-100 with 14 on hand WHEN job 1001 asks for 10 and job 1002 for 10 THEN 10 and 4 are held, 0 free."""
    part, jobs = _ids(shop)
    with shop.writing() as s:
        assert rsv.reserve(s, part, 10, Holder("request", 1, jobs["1001"])) == 10
        assert rsv.reserve(s, part, 10, Holder("request", 2, jobs["1002"])) == 4
        assert rsv.reserve(s, part, 1, Holder("sale", 7)) == 0
    with shop.reading() as s:
        a = rsv.availability(s, part)
        assert (a.on_hand, a.reserved, a.available) == (14, 14, 0)
        assert rsv.held_by_others(s, part, jobs["1001"]) == [("1002", 4)]
        assert rsv.held_by_others(s, part, None) == [("1001", 10), ("1002", 4)]
        assert rsv.availability_of(s, [part])[part].available == 0


def test_release_gives_back_part_or_all(shop):
    """GIVEN 10 held for a line WHEN 3 are released, then the rest THEN the total follows and the row goes."""
    part, jobs = _ids(shop)
    line = Holder("request", 1, jobs["1001"])
    with shop.writing() as s:
        rsv.reserve(s, part, 10, line)
        assert rsv.release(s, line, 3) == 3
        assert rsv.held(s, line) == 7
        assert rsv.release(s, line) == 7
        assert rsv.release(s, line) == 0
    with shop.reading() as s:
        assert s.scalar(select(func.count()).select_from(Reservation)) == 0
        assert s.scalar(select(ReservedTotal.qty).where(ReservedTotal.part_id == part)) == 0


def test_demand_read_ahead_is_dropped_by_every_change_in_the_transaction(shop):
    """GIVEN a scan transaction's demand read ahead WHEN a hold is made, consumed or released, or a request line
    made, in that transaction THEN the next read sees it (the cache never answers stale)."""
    part, jobs = _ids(shop)
    cache: dict[object, object] = {}
    with shop.writing() as s:
        rsv.prefetch_demand(s, cache, [part])
        assert rsv.scan_demand(s, cache, part) == (0, False)
        rsv.reserve(s, part, 5, Holder("request", 1, jobs["1001"]))
        assert rsv.scan_demand(s, cache, part) == (5, False)
        rsv.consume_locked(s, Holder("request", 1, jobs["1001"]), part, 2)
        assert rsv.scan_demand(s, cache, part) == (3, False)
        rsv.release(s, Holder("request", 1, jobs["1001"]))
        assert rsv.scan_demand(s, cache, part) == (0, False)
        s.add(_line(part, jobs["1001"]))
        s.flush()
        assert rsv.scan_demand(s, cache, part) == (0, True)


def _line(part_id: int, wo_id: int) -> PartRequest:
    return PartRequest(
        work_order_id=wo_id,
        part_id=part_id,
        qty=1,
        issued=0,
        status="backordered",
        unit_cost=0,
        requested_via="test",
        created_at=clock.now(),
        filled_from_stock=False,
        needs_approval=False,
    )


def test_bad_quantities_and_holders_are_refused(shop):
    """GIVEN a holder WHEN it reserves 0 or an unknown kind THEN ValueError and nothing held."""
    part, _ = _ids(shop)
    with shop.writing() as s:
        with pytest.raises(ValueError):
            rsv.reserve(s, part, 0, Holder("request", 1))
        with pytest.raises(ValueError):
            Holder("wish", 1)
    with shop.reading() as s:
        assert rsv.availability(s, part).reserved == 0


def test_racing_stations_never_reserve_more_than_on_hand(shop):
    """GIVEN 14 on hand WHEN 8 threads each reserve 1 unit 4 times for their own lines THEN exactly 14 are held."""
    part, _ = _ids(shop)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for k in range(4):
                for _attempt in range(50):
                    try:
                        with shop.writing() as s:
                            rsv.reserve(s, part, 1, Holder("request", n * 10 + k))
                        break
                    except Exception as exc:  # SQLite busy / PG serialization: retry like the service does
                        if "locked" not in str(exc).lower() and "deadlock" not in str(exc).lower():
                            raise
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with shop.reading() as s:
        held = s.scalar(select(func.sum(Reservation.qty)).where(Reservation.part_id == part))
        total = s.scalar(select(ReservedTotal.qty).where(ReservedTotal.part_id == part))
    assert held == total == 14


def test_part_prices_and_supplier_import_and_keep(db):
    """GIVEN a part imported with sell_price, core_charge and supplier WHEN re-imported without them THEN kept;
    WHEN a price is negative THEN the row error names the column."""
    from decimal import Decimal

    from floor.core.master import Importer, RowError

    row = {"part_no": "ALT-1", "name": "Alternator", "unit_cost": "100", "core": "yes"}
    with db.writing() as s:
        Importer(s).apply("parts", {**row, "sell_price": "150.00", "core_charge": "40", "supplier": "Bosch"})
    with db.writing() as s:
        Importer(s).apply("parts", row)
        with pytest.raises(RowError) as err:
            Importer(s).apply("parts", {**row, "sell_price": "-1"})
        assert err.value.field == "sell_price"
    with db.reading() as s:
        part = s.scalar(select(Part).where(Part.part_no == "ALT-1"))
        assert part is not None
        assert (part.sell_price, part.core_charge, part.supplier) == (Decimal("150"), Decimal("40"), "Bosch")
