"""The scan path's raw driver statements store and read exactly what the ORM does, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import DateTime, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError

from floor.core import rawsql
from floor.core.master import Importer
from floor.db import Database
from floor.models import Location, Part, ScanEvent, StockLevel, StockMove
from floor.models.base import UTCDateTime

AT = datetime(2026, 11, 24, 5, 30, 12, 345678, tzinfo=UTC)
EVENT_COLUMNS = [c.name for c in ScanEvent.__table__.columns]


def _event(event_id: int, seq: int | None) -> tuple[object, ...]:
    row = {
        "id": event_id,
        "station": "counter-1",
        "device": "dev-1",
        "seq": seq,
        "raw": b"P:\xff\x00A",
        "text": "P:A",
        "aim": "]C0",
        "device_at": AT,
        "received_at": AT,
        "ok": True,
        "code": "issued",
        "message": "Issued",
        "message_zh": "已发料",
        "effects": "{}",
        "actor_id": None,
        "work_order_id": None,
        "is_txn": True,
        "undone_by": None,
    }
    return tuple(row[n] for n in EVENT_COLUMNS)


def _seed(db: Database) -> tuple[int, int]:
    with db.writing() as s:
        imp = Importer(s)
        imp.apply("locations", {"code": "A-01-01", "zone": "A"})
        imp.apply("parts", {"part_no": "P1", "name": "Part", "unit_cost": "12.3456"})
        imp.finish()
    with db.reading() as s:
        return s.scalar(select(Part.id)), s.scalar(select(Location.id))


def test_insert_round_trips_through_the_orm(db: Database) -> None:
    """Datetimes (UTC, microseconds), bytes, booleans and decimals come back as the ORM wrote them."""
    part_id, loc_id = _seed(db)
    insert_event = rawsql.insert_into(ScanEvent.__table__, EVENT_COLUMNS)
    insert_move = rawsql.insert_into(
        StockMove.__table__, ["id", "part_id", "location_id", "qty", "reason", "at", "unit_cost", "event_id"]
    )
    with db.writing() as s:
        rawsql.run_many(s, insert_event, [_event(1, 1), _event(2, None)])
        rawsql.run_many(s, insert_move, [(1, part_id, loc_id, -3, "issue", AT, Decimal("12.3456"), 1)])
    with db.reading() as s:
        ev = s.get(ScanEvent, 1)
        assert ev is not None and s.get(ScanEvent, 2) is not None
        assert (ev.raw, ev.device_at, ev.ok, ev.is_txn, ev.message_zh, ev.seq) == (
            b"P:\xff\x00A",
            AT,
            True,
            True,
            "已发料",
            1,
        )
        mv = s.get(StockMove, 1)
        assert mv is not None and mv.at == AT and mv.qty == -3
        assert Decimal(mv.unit_cost).quantize(Decimal("0.0001")) == Decimal("12.3456")


def test_select_converts_results_like_the_orm(db: Database) -> None:
    """A raw select of a UTC column hands back the same aware datetime the ORM does."""
    with db.writing() as s:
        rawsql.run_many(s, rawsql.insert_into(ScanEvent.__table__, EVENT_COLUMNS), [_event(7, 70)])
    stmt = rawsql.select_where(ScanEvent.__table__, ["id", "received_at", "raw"], ["device", "seq"])
    with db.reading() as s:
        rows = rawsql.run(s, stmt, ("dev-1", 70))
        assert rows == [(7, AT, b"P:\xff\x00A")]
        assert rawsql.run(s, stmt, ("dev-1", 71)) == []


def test_driver_errors_surface_as_sqlalchemy_errors_and_roll_back(db: Database) -> None:
    """A unique-index clash is an IntegrityError (what the service retries on), and nothing is kept."""
    insert_event = rawsql.insert_into(ScanEvent.__table__, EVENT_COLUMNS)
    with db.writing() as s:
        rawsql.run_many(s, insert_event, [_event(1, 5)])
    with pytest.raises(IntegrityError), db.writing() as s:
        rawsql.run_many(s, insert_event, [_event(2, 6)])
        rawsql.run(s, insert_event, _event(3, 5))  # same device and seq as event 1
    with db.reading() as s:
        assert list(s.scalars(select(ScanEvent.id).order_by(ScanEvent.id))) == [1]


def test_update_where_changes_only_the_keyed_row(db: Database) -> None:
    """UPDATE ... WHERE key = ? touches exactly the rows named."""
    part_id, loc_id = _seed(db)
    stmt = rawsql.update_where(StockLevel.__table__, ["qty"], ["part_id", "location_id"])
    with db.writing() as s:
        s.add(StockLevel(part_id=part_id, location_id=loc_id, qty=4))
        s.flush()
        rawsql.run_many(s, stmt, [(9, part_id, loc_id), (5, part_id + 1000, loc_id)])
    with db.reading() as s:
        assert list(s.execute(select(StockLevel.part_id, StockLevel.qty))) == [(part_id, 9)]


@settings(max_examples=500, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.timezones()),
)
def test_sqlite_datetime_text_is_sqlalchemys(moment: datetime) -> None:
    """GIVEN any aware datetime WHEN UTCDateTime binds it for SQLite in one step THEN the text is the one
    SQLAlchemy's own two steps store (naive UTC, then its DATETIME format), so old and new rows compare alike."""
    dialect = sqlite.dialect()
    column = UTCDateTime()
    fast = column.bind_processor(dialect)
    plain = DateTime().dialect_impl(dialect).bind_processor(dialect)
    assert fast is not None and plain is not None
    assert fast(moment) == plain(column.process_bind_param(moment, dialect))
    assert fast(None) is None
    with pytest.raises(ValueError, match="naive"):
        fast(moment.replace(tzinfo=None))
