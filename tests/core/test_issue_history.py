"""A scan must not cost more as a job's history grows (issue 25): an issue to a job with 2,000 moves behind it runs
the same statements as one to a job with none, and none of them reads the history.

What used to read it: an issue whose time was older than the part's latest move (two counters' scans committing
in another order than they were read, as twenty scanners on one job do) walked the part's runs at zero again
from its first move (floor.core.ledger_summary), i.e. the whole history of the one part every scanner issued.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import event, select

from floor import clock
from floor.core.ledger import Ledger
from floor.core.master import Importer
from floor.core.results import ScanInput
from floor.models import Location, Part, WorkOrder

HISTORY = 2000
READS_MOVES = re.compile(r'from\s+"?stock_moves"?', re.IGNORECASE)  # not the id sequence's nextval()


def _watch(db: Any, run: Any) -> list[tuple[str, Any]]:
    """The statements `run` sends (SQLAlchemy's and floor.core.rawsql's), with their parameters."""
    seen: list[tuple[str, Any]] = []

    def spy(conn, cursor, statement, params, context, many):
        seen.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", spy)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", spy)
    return seen


def _rows_of_history(db: Any, statements: list[tuple[str, Any]]) -> int:
    """How many rows of stock_moves the statements' reads return (run again, after the scan)."""
    total = 0
    with db.engine.connect() as conn:
        for sql, params in statements:
            if sql.lstrip().upper().startswith("SELECT") and READS_MOVES.search(sql):
                total += len(conn.exec_driver_sql(sql, params).fetchall())
    return total


def _history(db: Any, moves: int) -> None:
    """`moves` issues of SP-200 to job 1001 over the last days (each put back by a receipt: stock stays)."""
    with db.writing() as s:
        part = s.scalar(select(Part).where(Part.part_no == "SP-200"))
        shelf = s.scalar(select(Location.id).where(Location.code == "A-01-01"))
        job = s.scalar(select(WorkOrder.id).where(WorkOrder.number == "1001"))
        assert part is not None
        book = Ledger(s)
        start = clock.now() - timedelta(days=5)
        for i in range(moves // 2):
            at = start + timedelta(minutes=i)
            book.move(part.id, shelf, -1, "issue", at, Decimal("4.25"), work_order_id=job, ref="WO:1001")
            book.move(part.id, shelf, 1, "receive", at, Decimal("4.25"))
        book.flush()


def test_an_issue_costs_the_same_after_two_thousand_moves(shop, service):
    """GIVEN job 1001 with no moves, then with 2,000 moves of the same part WHEN a part is issued to it in time order and
    once with a time older than the part's latest move THEN each issue runs the same number of statements either way,
    and what they read of stock_moves stays a handful of rows (the history would be 2,000)."""
    with shop.writing() as s:
        imp = Importer(s)
        imp.apply("stock", {"part_no": "SP-200", "location": "A-01-01", "qty": "5000"})  # no warning line crossed
        imp.finish()
    seq = iter(range(1, 100))

    def scan(text: str, at: Any = None) -> None:
        (result,) = service.submit("counter-1", "dev-1", [ScanInput(text.encode(), next(seq), at)])
        assert result.ok, result.message

    scan("U:T001")
    scan("WO:1001")
    scan("P:SP-200")  # the station's row, the part's alert state: what a first scan makes once
    counts: dict[int, tuple[int, int]] = {}
    reads: dict[int, int] = {}
    for moves in (0, HISTORY):
        if moves:
            _history(shop, moves)
        now = clock.now()
        in_order = _watch(shop, lambda at=now: scan("P:SP-200", at))
        late = _watch(
            shop, lambda at=now: scan("P:SP-200", at - timedelta(milliseconds=5))
        )  # read first, committed last
        counts[moves] = (len(in_order), len(late))
        reads[moves] = _rows_of_history(shop, in_order + late)
    assert counts[0] == counts[HISTORY], counts
    assert reads[HISTORY] <= 5, reads  # the late issue walks its own few moves, not the part's 2,000
