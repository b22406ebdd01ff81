"""CSV imports: a key twice in one file is an error naming both lines, and nothing of the file is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from floor.core.master import KEYS, KINDS, REQUIRED
from floor.imports import import_csv
from floor.models import Part, StockLevel, StockMove


def count(db, model):
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_parts_with_a_part_number_twice_import_nothing(db):
    """GIVEN a parts file with P2 on lines 3 and 5 WHEN imported THEN one error names both lines and no part exists."""
    data = b"part_no,name,unit_cost\nP1,One,1.00\nP2,Two,2.00\nP3,Three,3.00\n P2 ,Two again,9.00\n"
    report = import_csv(db, "parts", data)
    assert not report.ok
    assert [(e.line, e.column) for e in report.errors] == [(5, "part_no")]
    assert "line 3" in str(report.errors[0]) and "line 5" in str(report.errors[0])
    assert count(db, Part) == 0


def test_stock_with_a_part_and_bin_twice_imports_nothing(shop):
    """GIVEN a stock file setting OF-100 in A-01-01 on lines 2 and 4 WHEN imported THEN both lines are named and no
    level or move changes (the same part in another bin is no duplicate)."""
    moves = count(shop, StockMove)
    with shop.reading() as s:
        levels = sorted(s.execute(select(StockLevel.part_id, StockLevel.location_id, StockLevel.qty)).all())
    data = b"part_no,location,qty\nOF-100,A-01-01,12\nOF-100,B-02-01,7\nOF-100,A-01-01,30\n"
    report = import_csv(shop, "stock", data)
    assert [(e.line, e.column) for e in report.errors] == [(4, "part_no,location")]
    assert "line 2" in str(report.errors[0]) and "line 4" in str(report.errors[0])
    assert count(shop, StockMove) == moves
    with shop.reading() as s:
        assert sorted(s.execute(select(StockLevel.part_id, StockLevel.location_id, StockLevel.qty)).all()) == levels


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_refuses_a_key_twice(db, kind):
    """GIVEN a file of each kind whose line 4 repeats line 2's key WHEN imported THEN the error names lines 2 and 4."""
    columns = sorted(set(REQUIRED[kind]) | set(KEYS[kind]))
    values = {c: "X1" for c in columns}
    other = {c: "Y2" for c in columns}
    if kind == "vehicles":  # VINs compare as stored: capitals, without spaces
        values, other = {"vin": "wvwzzz1kzaw000001"}, {"vin": "WVWZZZ1KZAW000002"}
        again = {"vin": "WVW ZZZ1KZAW000001"}
    else:
        again = values
    lines = [",".join(columns)] + [",".join(r[c] for c in columns) for r in (values, other, again)]
    report = import_csv(db, kind, "\n".join(lines).encode())
    assert not report.ok
    assert [e.line for e in report.errors] == [4]
    assert "line 2" in str(report.errors[0]) and "line 4" in str(report.errors[0])
