"""The report summaries the Ledger keeps agree with the ledger, whatever writes it, on both databases.

After issues, returns, an UNDO, a run at zero and the receipt that ends it, a sale, a count's
adjustment, an offline scan older than the part's latest move and a bin changing kind, the
summaries written move by move equal the ones rebuilt from the ledger from scratch. A random
ledger written in batches (some out of time order) gives the same stock value and stock-out
KPIs as a walk of its moves done here by hand.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, text, update

from floor import clock
from floor.core import ledger_summary
from floor.core.ledger import Ledger
from floor.core.master import Importer
from floor.core.reports.kpis import stock_flow, stockouts
from floor.core.reports.period import Period
from floor.core.results import ScanInput
from floor.db import Database
from floor.models import Location, Part, StockMove, UTCDateTime

pytestmark = pytest.mark.clock


def _snapshot(db: Database) -> dict[str, Any]:
    """The three summaries in a form to compare: hours summed over writers, runs merged where they touch."""
    conv = UTCDateTime()
    with db.reading() as s:
        hours: dict[Any, list[float]] = defaultdict(lambda: [0.0] * 4)
        for hour, *sums in s.execute(
            text("SELECT hour, value, value_secs, consumed_cost, consumed_qty FROM stock_value_hours")
        ):
            row = hours[conv.process_result_value(hour, None)]  # type: ignore[arg-type]
            for i, v in enumerate(sums):
                row[i] += float(v)
        state = {
            int(p): (int(q), conv.process_result_value(f, None), last, conv.process_result_value(z, None))  # type: ignore[arg-type]
            for p, q, f, last, z in s.execute(
                text("SELECT part_id, qty, first_at, last_us, zero_since FROM store_stock")
            )
        }
        runs: dict[int, list[list[Any]]] = defaultdict(list)
        for p, since, until in s.execute(
            text("SELECT part_id, since, until FROM stockout_spans ORDER BY part_id, until, since")
        ):
            since_at = conv.process_result_value(since, None)  # type: ignore[arg-type]
            until_at = conv.process_result_value(until, None)  # type: ignore[arg-type]
            mine = runs[int(p)]
            # two runs that touch (one ends where the next starts) hold the same instants as one
            if mine and mine[-1][1] == since_at:
                mine[-1][1] = until_at
            else:
                mine.append([since_at, until_at])
    rounded = {h: (round(v, 2), round(vs / 1000, 1), round(c, 2), round(u)) for h, (v, vs, c, u) in hours.items()}
    return {"hours": {h: r for h, r in rounded.items() if any(r)}, "state": state, "runs": dict(runs)}


def _agrees(db: Database) -> dict[str, Any]:
    """Assert the summaries kept so far equal those rebuilt from the ledger; return them."""
    kept = _snapshot(db)
    with db.writing() as s:
        ledger_summary.rebuild(s)
    rebuilt = _snapshot(db)
    assert kept["state"] == rebuilt["state"]
    assert kept["runs"] == rebuilt["runs"]
    assert kept["hours"] == rebuilt["hours"]
    return rebuilt


def _scan(service: Any, station: str, *texts: str, at: datetime | None = None) -> list[Any]:
    return service.submit(station, f"dev-{station}", [ScanInput(t.encode(), None, at) for t in texts])


def _part_id(db: Database, part_no: str) -> int:
    with db.reading() as s:
        return int(s.scalar(select(Part.id).where(Part.part_no == part_no)))


def test_the_summaries_kept_with_every_kind_of_write_equal_the_ledger(shop, service, client, cfg):
    """GIVEN issues, a return, an UNDO, a stock-out and its receipt, a sale, a count, a late offline scan,
    a bin turned scrap and back WHEN the summaries are rebuilt from the ledger THEN they are what was kept."""
    db = shop
    first = _agrees(db)  # the opening stock of the import
    assert first["state"] and first["hours"]

    # issues, a return and an UNDO at the counter
    res = _scan(service, "counter-1", "U:T001", "WO:1001", "Q:2", "P:OF-100", "P:SP-200", "CMD:UNDO")
    assert [r.code for r in res][-1] == "undone"
    assert _scan(service, "counter-1", "CMD:RETURN", "P:OF-100")[-1].ok
    # BP-400 (warning line 2) issued to zero, then received at the dock
    assert _scan(service, "counter-1", "CMD:ISSUE", "Q:3", "P:BP-400")[-1].code == "issued"
    zero = _agrees(db)
    bp = _part_id(db, "BP-400")
    assert zero["state"][bp][0] == 0 and zero["state"][bp][3] is not None  # at zero since the issue
    assert _scan(service, "dock-1", "U:S001", "CMD:RECEIVE", "Q:5", "P:BP-400")[-1].ok
    back = _agrees(db)
    assert back["state"][bp][0] == 5 and back["runs"][bp][-1][1] is not None

    # a sale: quoted, confirmed, picked and shipped
    with db.writing() as s:
        s.execute(update(Part).where(Part.part_no == "SP-200").values(sell_price=Decimal("6.50")))
        from floor.core.sales.customers import upsert_customer

        upsert_customer(s, "R1", "Walk-in Ma", "13800000000", "retail")
    sale = client.post(
        "/api/sales", json={"badge": "S001", "customer": "R1", "lines": [{"part_no": "SP-200", "qty": 2}]}
    )
    assert sale.status_code == 201, sale.get_data(as_text=True)
    number = sale.get_json()["number"]
    assert client.post(f"/api/sales/{number}/confirm", json={"badge": "S001"}).status_code == 200
    assert _scan(service, "counter-2", "U:S001", f"SO:{number}", "Q:2", "P:SP-200")[-1].code == "sale_picked"
    shipped = client.post(f"/api/sales/{number}/ship", json={"badge": "S001", "collected": True})
    assert shipped.status_code == 200, shipped.get_data(as_text=True)

    # a count of B-02-01 (book 4 OF-100) finding 3, approved
    with db.writing() as s:
        from floor.core.counts.plans import create_count

        count_id = create_count(s, "cycle", None, ["B-02-01"], True).id
    now = clock.now()
    counted = _scan(service, "handheld-1", "U:S001", f"CNT:{count_id}", "L:B-02-01", "Q:3", "P:OF-100", at=now)
    assert counted[-1].code == "counted", counted[-1].message
    approved = client.post(f"/api/counts/{count_id}/approve", json={"badge": "SUP1", "pin": "2468", "reason": "theft"})
    assert approved.status_code == 200, approved.get_json()
    _agrees(db)

    # an offline scan three days old: older than OF-100's latest move, so its runs are walked again
    late = _scan(service, "counter-2", "U:T002", "WO:1002", "P:OF-100", at=now - timedelta(days=3))
    assert late[-1].code == "issued", late[-1].message
    with db.reading() as s:
        stamps = s.scalars(select(StockMove.at).where(StockMove.reason == "issue")).all()
    assert min(stamps) < max(stamps) - timedelta(days=2)
    _agrees(db)

    # B-02-01 turns scrap (its stock is no value, nor in store), then quarantine, then store again
    for kind in ("scrap", "quarantine", "store"):
        with db.writing() as s:
            Importer(s).apply("locations", {"code": "B-02-01", "zone": "B", "kind": kind})
        _agrees(db)


def _walk_by_hand(
    moves: list[tuple[int, int, int, datetime, Decimal, str]], kinds: dict[int, str], period: Period, warned: set[int]
) -> tuple[Decimal, Decimal, Decimal, int]:
    """Opening and average value, and stock-out part-days and parts, walked from the moves (the oracle)."""
    start, end = period.start, period.end
    span = Decimal((end - start).total_seconds())
    opening = sum((q * c for _p, loc, q, at, c, _r in moves if at < start and kinds[loc] != "scrap"), Decimal(0))
    weighted = sum(
        (
            q * c * Decimal((end - max(at, start)).total_seconds())
            for _p, loc, q, at, c, _r in moves
            if at < end and kinds[loc] != "scrap"
        ),
        Decimal(0),
    )
    average = weighted / span
    days, parts = 0, 0
    for part in {m[0] for m in moves} | warned:
        store = sorted((at, q) for p, loc, q, at, _c, _r in moves if p == part and kinds[loc] == "store")
        first = store[0][0] if store else None
        # demanded: issued, returned or sold from a store bin in the period (these moves carry no job)
        used = any(
            p == part and kinds[loc] == "store" and start <= at < end and r in ("issue", "return", "sale")
            for p, loc, _q, at, _c, r in moves
        )
        if part not in warned and not used:
            continue
        mine = 0
        day: date = period.first
        while day <= period.last:
            closing = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=period.tz).astimezone(UTC)
            counted = part in warned or (first is not None and first < closing)
            if counted and sum(q for at, q in store if at < closing) <= 0:
                mine += 1
            day += timedelta(days=1)
        days += mine
        parts += 1 if mine else 0
    return opening, average, Decimal(days), parts


def test_a_random_ledger_written_out_of_order_gives_the_kpis_of_its_moves(shop):
    """GIVEN 400 random moves of twelve parts in store, quarantine and scrap bins, flushed in batches, one in
    five batches older than what came before, and a flush of a move for every part WHEN the stock value and
    stock-outs of periods are read THEN they equal a walk of the moves by hand, and the kept summaries equal
    the rebuilt ones (a flush of many parts or hours takes another statement on PostgreSQL than a few)."""
    db = shop
    rnd = random.Random(19)
    with db.writing() as s:
        imp = Importer(s)
        imp.apply("locations", {"code": "Q-9", "zone": "Q", "kind": "quarantine"})
        imp.apply("locations", {"code": "X-9", "zone": "X", "kind": "scrap"})
        for i in range(12):
            imp.apply(
                "parts",
                {
                    "part_no": f"RND-{i}",
                    "name": f"Random {i}",
                    "unit_cost": "2.50",
                    "reorder_point": "1" if i % 2 else "0",
                },
            )
        imp.finish()
    with db.reading() as s:
        parts = [int(p) for p in s.scalars(select(Part.id).where(Part.part_no.like("RND-%")).order_by(Part.id))]
        warned = {int(p) for p in s.scalars(select(Part.id).where(Part.part_no.like("RND-%"), Part.reorder_point > 0))}
        kinds = {int(i): k for i, k in s.execute(select(Location.id, Location.kind))}
        bins = [i for i, k in kinds.items() if k in ("store", "quarantine", "scrap")]
        shelf = next(i for i, k in kinds.items() if k == "store")
    t0 = clock.now() - timedelta(days=60)
    cursor = t0
    for batch in range(40):
        late = batch % 5 == 4
        with db.writing() as s:
            book = Ledger(s)
            for _ in range(10):
                cursor += timedelta(minutes=rnd.randrange(30, 300))
                at = cursor - timedelta(days=rnd.randrange(2, 20)) if late else cursor
                reason = rnd.choice(("issue", "return", "receive", "adjust", "sale"))
                q = (
                    rnd.choice((-3, -2, -1, 1, 2, 4))
                    if reason == "adjust"
                    else (-rnd.randint(1, 3) if reason in ("issue", "sale") else rnd.randint(1, 4))
                )
                book.move(
                    rnd.choice(parts),
                    rnd.choice(bins),
                    q,
                    reason,
                    at,
                    Decimal(rnd.choice(("1.5", "2", "7.25"))),
                    allow_negative=True,
                )
            book.flush()
    with db.writing() as s:  # every part at once, after all the rest: stepped together
        book = Ledger(s)
        for i, part in enumerate(parts):
            book.move(part, shelf, (-1) ** i, "adjust", cursor + timedelta(minutes=i), Decimal(2), allow_negative=True)
        book.flush()
    _agrees(db)
    with db.reading() as s:
        moves = [
            (int(p), int(loc), int(q), at, Decimal(str(c)), r)
            for p, loc, q, at, c, r in s.execute(
                select(
                    StockMove.part_id,
                    StockMove.location_id,
                    StockMove.qty,
                    StockMove.at,
                    StockMove.unit_cost,
                    StockMove.reason,
                )
            )
        ]
        import zoneinfo

        for tz in (UTC, zoneinfo.ZoneInfo("Asia/Shanghai"), zoneinfo.ZoneInfo("Asia/Kolkata")):
            for first, days in ((t0.date() + timedelta(days=5), 20), (t0.date() + timedelta(days=30), 40)):
                period = Period(first, first + timedelta(days=days - 1), tz)
                opening, average, part_days, n = _walk_by_hand(moves, kinds, period, warned | _others_warned(s))
                flow = stock_flow(s, period)
                assert float(flow.opening_value) == pytest.approx(float(opening), abs=0.01)
                assert float(flow.average_value) == pytest.approx(float(average), abs=0.01)
                assert stockouts(s, period) == {"part_days": int(part_days), "parts": n}


def _others_warned(session: Any) -> set[int]:
    """The small shop's own parts with a warning line (they count too)."""
    return {int(p) for p in session.scalars(select(Part.id).where(Part.active.is_(True), Part.reorder_point > 0))}


def test_the_migration_fills_the_summaries_from_the_ledger(shop, service):
    """GIVEN a ledger with a stock-out and its receipt WHEN the summaries' migration runs on it (down, then up)
    THEN it fills them as the Ledger kept them."""
    from floor.db.migrate import downgrade, upgrade

    assert _scan(service, "counter-1", "U:T001", "WO:1001", "Q:3", "P:BP-400")[-1].code == "issued"
    assert _scan(service, "dock-1", "U:S001", "CMD:RECEIVE", "Q:5", "P:BP-400")[-1].ok
    kept = _snapshot(shop)
    assert any(len(r) > 1 or r[0][0] is not None for r in kept["runs"].values())  # a run at zero that ended
    downgrade(shop.engine, "0009")  # through the later migrations' downgrades (SQLite rebuilds tables)
    assert upgrade(shop.engine) is True
    assert _snapshot(shop) == kept


def test_writers_at_once_keep_the_summaries_equal_to_the_ledger(shop):
    """GIVEN four writers moving the same two parts at once, each in its own store bin (so they meet only at the
    parts' summary rows), to zero and back WHEN they are done THEN the summaries equal those rebuilt from the ledger."""
    import threading

    db = shop
    with db.reading() as s:
        parts = sorted(int(p) for p in s.scalars(select(Part.id).where(Part.part_no.in_(("BP-400", "ALT-300")))))
        shelves = [int(i) for i in s.scalars(select(Location.id).where(Location.kind == "store").order_by(Location.id))]
    assert len(shelves) >= 4
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        rnd = random.Random(n)
        try:
            for _ in range(15):
                with db.writing() as s:
                    book = Ledger(s)
                    for part in parts:
                        q = rnd.choice((-3, -1, 1, 3))
                        book.move(part, shelves[n], q, "adjust", clock.now(), Decimal(3), allow_negative=True)
                    book.flush()
        except BaseException as exc:  # handed to the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    _agrees(db)
