"""CSV imports: all or nothing per file, every error named by line and column."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from floor.imports import CsvFormatError, import_csv
from floor.models import Part, StockMove


def count(db, model):
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_import_parts_with_progress(db):
    """GIVEN a parts CSV of 250 rows WHEN imported THEN all exist, aliases resolve, progress reached the end."""
    lines = ["part_no,name,unit_cost,barcodes,core,reorder_point,reorder_qty,extra"]
    lines += [f"P{i},Part {i},1.5,ALIAS{i}|X{i},{'yes' if i % 7 == 0 else 'no'},2,5,ignored" for i in range(250)]
    seen = []
    report = import_csv(db, "parts", "\n".join(lines).encode(), lambda done, total: seen.append((done, total)))
    assert report.ok and report.rows == 250
    assert seen[-1] == (250, 250)
    assert count(db, Part) == 250


def test_bad_row_names_line_and_column_and_imports_nothing(db):
    """GIVEN a CSV with two bad rows WHEN imported THEN both are named by line and column and no row is written."""
    data = (
        b"part_no,name,unit_cost,barcodes,core,reorder_point,reorder_qty\n"
        b"A1,Good,1.00,,no,1,1\n"
        b"A2,Bad cost,abc,,no,1,1\n"
        b"A3,Bad core,1.00,,maybe,1,1\n"
    )
    report = import_csv(db, "parts", data)
    assert not report.ok
    assert [(e.line, e.column) for e in report.errors] == [(3, "unit_cost"), (4, "core")]
    assert "line 3, column unit_cost" in str(report.errors[0])
    assert count(db, Part) == 0


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"", "empty"),
        (b"\xff\xfenot utf8", "not UTF-8"),
        (b"code,name\nA,B\n", "lacks column"),
        (b"part_no,name\x00\n", "NUL"),
    ],
)
def test_unreadable_files(db, data, fragment):
    """GIVEN a file that is not a CSV of the kind WHEN imported THEN a format error says why."""
    with pytest.raises(CsvFormatError, match=fragment):
        import_csv(db, "parts", data)


def test_stock_import_sets_opening_balance_idempotently(shop):
    """GIVEN 10 OF-100 in A-01-01 WHEN stock 12 is imported twice THEN on-hand is 12 and one opening move of +2 was added."""
    before = count(shop, StockMove)
    for _ in range(2):
        assert import_csv(shop, "stock", b"part_no,location,qty\nOF-100,A-01-01,12\n").ok
    with shop.reading() as s:
        from floor.core.queries import part_summary

        assert part_summary(s, "OF-100")["bins"]["A-01-01"] == 12
    assert count(shop, StockMove) == before + 1


def test_stock_import_unknown_part_and_bin(shop):
    """GIVEN unknown part and bin WHEN stock is imported THEN the errors name them and nothing moves."""
    before = count(shop, StockMove)
    report = import_csv(shop, "stock", b"part_no,location,qty\nNOPE,A-01-01,1\nOF-100,Z-9,1\nOF-100,A-01-01,-4\n")
    assert [(e.line, e.column) for e in report.errors] == [(2, "part_no"), (3, "location"), (4, "qty")]
    assert count(shop, StockMove) == before


def test_workorders_and_users_validation(db):
    """GIVEN bad roles and dates WHEN imported THEN named errors; good files import."""
    bad = import_csv(db, "users", b"badge,name,role\nT1,Ann,wizard\n")
    assert bad.errors[0].column == "role" and "technician" in bad.errors[0].message
    wo = import_csv(
        db, "workorders", b"number,vehicle,customer,promised_at,estimate_minutes\n9001,Car,Cust,2026-13-01,60\n"
    )
    assert wo.errors[0].column == "promised_at"
    assert import_csv(
        db,
        "workorders",
        "number,vehicle,customer,promised_at,estimate_minutes\n9001,沪A·1 Car,客户,2026-11-24 17:00,60\n".encode(),
        timezone="Asia/Shanghai",
    ).ok
