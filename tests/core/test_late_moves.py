"""A move older than its part's latest walks the part's runs at zero again from that move only (ledger_summary
`replay_tail`), and gives the summaries a walk of the whole ledger gives, whatever the order the moves came in."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text

from floor import clock
from floor.core import ledger_summary
from floor.core.ledger import Ledger
from floor.core.master import Importer
from floor.models import Location, Part, UTCDateTime

_CONV = UTCDateTime()


def _at(value: Any) -> Any:
    return _CONV.process_result_value(value, None)  # type: ignore[arg-type]


def _summary(db: Any, part_id: int) -> tuple[Any, list[list[Any]]]:
    """The part's store state and its runs at zero (runs that touch merged: they hold the same instants)."""
    with db.reading() as s:
        state = s.execute(
            text("SELECT qty, first_at, last_us, zero_since FROM store_stock WHERE part_id = :p"), {"p": part_id}
        ).one()
        runs: list[list[Any]] = []
        for since, until in s.execute(
            text("SELECT since, until FROM stockout_spans WHERE part_id = :p ORDER BY until, since"), {"p": part_id}
        ):
            if runs and runs[-1][1] == _at(since):
                runs[-1][1] = _at(until)
            else:
                runs.append([_at(since), _at(until)])
    return (int(state[0]), _at(state[1]), int(state[2]), _at(state[3])), runs


def test_moves_in_any_order_give_the_summaries_of_the_whole_ledger(shop):
    """GIVEN one part moved 240 times in two store bins and a quarantine bin, each move its own flush, half of
    them older than the part's latest move (by minutes to days, some before its first move), often across zero
    WHEN after every 20 moves the kept summary is compared with the ledger walked whole THEN they are equal."""
    db = shop
    with db.writing() as s:
        imp = Importer(s)
        imp.apply("locations", {"code": "Q-1", "zone": "Q", "kind": "quarantine"})
        imp.apply("parts", {"part_no": "LATE-1", "name": "Late part", "unit_cost": "3.00"})
        imp.finish()
    with db.reading() as s:
        part = int(s.scalar(select(Part.id).where(Part.part_no == "LATE-1")))
        bins = [int(i) for i in s.scalars(select(Location.id).where(Location.code.in_(("A-01-01", "A-01-02", "Q-1"))))]
    rnd = random.Random(25)
    cursor = clock.now() - timedelta(days=30)
    for n in range(1, 241):
        cursor += timedelta(minutes=rnd.randrange(1, 30))
        late = rnd.random() < 0.5
        at = cursor - timedelta(minutes=rnd.choice((5, 30, 60, 600, 3000, 20000))) if late else cursor
        with db.writing() as s:
            book = Ledger(s)
            for _ in range(rnd.choice((1, 1, 1, 2))):  # now and then two moves in one flush
                q = rnd.choice((-2, -1, -1, 1, 1, 2))
                book.move(part, rnd.choice(bins), q, "adjust", at, Decimal(3), allow_negative=True)
            book.flush()
        if n % 20 == 0:
            kept = _summary(db, part)
            with db.writing() as s:
                ledger_summary.rebuild_runs(s, [part])
            assert _summary(db, part) == kept, f"after {n} moves"
