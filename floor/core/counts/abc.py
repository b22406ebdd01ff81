"""ABC classes from the last 12 months of issue value, recomputed on demand and on a schedule.

Issue value is what jobs consumed at the cost charged: issues minus returns
(and minus undone issues), i.e. minus the sum of qty x unit cost of every move
that carries a work order. Parts are ranked by value; a part is A while the
value ranked above it is under the A cut-off (so the top part is always A),
B while under A+B, else C. Parts with no issue value are C. A manual override
(`Part.abc_override`) wins over the computed class (`Part.abc`).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from floor import clock
from floor.core.ledger import WO_REASONS
from floor.models import Part, StockMove
from floor.models.base import table_of

log = logging.getLogger(__name__)
WINDOW = timedelta(days=365)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class AbcRow:
    """One part's place on the Pareto curve."""

    part_id: int
    part_no: str
    value: Decimal
    share: float  # % of total issue value
    cumulative: float  # % of total up to and including this part
    computed: str
    override: str | None

    @property
    def abc(self) -> str:
        """The class in force."""
        return self.override or self.computed


@dataclass
class AbcResult:
    """A classification: rows ranked by value, totals, and how many parts changed class."""

    rows: list[AbcRow]
    total: Decimal
    cutoffs: tuple[float, float, float]
    since: datetime
    until: datetime
    changed: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """The summary the API answers with."""
        return {
            "total_value": str(self.total.quantize(CENT)),
            "cutoffs": list(self.cutoffs),
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "changed": self.changed,
            "classes": self.counts,
            "parts": [
                {
                    "part_no": r.part_no,
                    "value": str(r.value.quantize(CENT)),
                    "share": round(r.share, 3),
                    "cumulative": round(r.cumulative, 3),
                    "computed": r.computed,
                    "abc": r.abc,
                }
                for r in self.rows
            ],
        }


def issue_values(session: Session, since: datetime, until: datetime) -> dict[int, Decimal]:
    """Net issue value per part between two moments (issues minus returns, at the cost charged)."""
    stmt = (
        select(StockMove.part_id, func.sum(-StockMove.qty * StockMove.unit_cost))
        .where(
            StockMove.work_order_id.is_not(None),
            StockMove.reason.in_(WO_REASONS),
            StockMove.at > since,
            StockMove.at <= until,
        )
        .group_by(StockMove.part_id)
    )
    return {pid: Decimal(str(v or 0)).quantize(CENT) for pid, v in session.execute(stmt)}


def classify(values: list[tuple[int, str, Decimal, str | None]], cutoffs: tuple[float, float, float]) -> list[AbcRow]:
    """Rank (part_id, part_no, value, override) by value and give each a class."""
    ranked = sorted(values, key=lambda v: (-max(v[2], Decimal(0)), v[1]))
    total = sum((max(v[2], Decimal(0)) for v in ranked), Decimal(0))
    a_cut, b_cut = cutoffs[0], cutoffs[0] + cutoffs[1]
    rows: list[AbcRow] = []
    running = Decimal(0)
    for pid, part_no, value, override in ranked:
        value = max(value, Decimal(0))  # more returned than issued in the window: no consumption
        before = float(running / total * 100) if total else 100.0
        running += value
        if value <= 0 or before >= b_cut:
            cls = "C"
        elif before < a_cut:
            cls = "A"
        else:
            cls = "B"
        share = float(value / total * 100) if total else 0.0
        cumulative = float(running / total * 100) if total else 0.0
        rows.append(AbcRow(pid, part_no, value, share, cumulative, cls, override))
    return rows


def compute_abc(
    session: Session, cutoffs: tuple[float, float, float] = (80.0, 15.0, 5.0), now: datetime | None = None
) -> AbcResult:
    """Classify every active part from the 12 months before `now` (nothing is written)."""
    until = now or clock.now()
    since = until - WINDOW
    values = issue_values(session, since, until)
    parts = session.execute(select(Part.id, Part.part_no, Part.abc_override).where(Part.active.is_(True))).all()
    rows = classify([(p.id, p.part_no, values.get(p.id, Decimal(0)), p.abc_override) for p in parts], cutoffs)
    counts = {c: sum(1 for r in rows if r.abc == c) for c in "ABC"}
    return AbcResult(rows, sum((r.value for r in rows), Decimal(0)), cutoffs, since, until, counts=counts)


def recompute_abc(
    session: Session, cutoffs: tuple[float, float, float] = (80.0, 15.0, 5.0), now: datetime | None = None
) -> AbcResult:
    """Classify every active part and store the computed classes in `Part.abc`."""
    result = compute_abc(session, cutoffs, now)
    current = dict(session.execute(select(Part.id, Part.abc).where(Part.active.is_(True))).tuples().all())
    changes = [{"pid": r.part_id, "cls": r.computed} for r in result.rows if current.get(r.part_id) != r.computed]
    if changes:
        part = table_of(Part)
        session.execute(update(part).where(part.c.id == bindparam("pid")).values(abc=bindparam("cls")), changes)
    result.changed = len(changes)
    return result


class AbcScheduler(threading.Thread):
    """Recomputes ABC classes every `interval_s` seconds until stopped."""

    def __init__(self, db: object, interval_s: float, cutoffs: tuple[float, float, float] = (80.0, 15.0, 5.0)) -> None:
        super().__init__(name="abc-scheduler", daemon=True)
        self.db, self.interval_s, self.cutoffs = db, interval_s, cutoffs
        self.runs = 0
        self.last: AbcResult | None = None
        self._stop_event = threading.Event()

    def run(self) -> None:
        """Recompute, then wait; a failed run is logged and retried at the next interval."""
        while not self._stop_event.is_set():
            try:
                with self.db.writing() as session:  # type: ignore[attr-defined]
                    self.last = recompute_abc(session, self.cutoffs)
                self.runs += 1
            except Exception:  # the scheduler must outlive a locked or unreachable database
                log.exception("ABC recompute failed")
            self._stop_event.wait(self.interval_s)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread and wait for it."""
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout)


def start_abc_scheduler(
    db: object, interval_s: float, cutoffs: tuple[float, float, float] = (80.0, 15.0, 5.0)
) -> AbcScheduler:
    """Start a daemon thread that recomputes ABC classes now and every `interval_s` seconds."""
    if interval_s <= 0:
        raise ValueError("interval_s must be positive")
    sched = AbcScheduler(db, interval_s, cutoffs)
    sched.start()
    return sched
