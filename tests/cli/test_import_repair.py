"""`floor import vehicles` and `floor import operations` (SPEC 10.1, 10.2): all or nothing, the site's VIN check."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from floor.cli.main import main
from floor.db import Database
from floor.models import LabourOperation, Vehicle

GOOD_VIN = "1M8GDM9AXKP042788"  # the 49 CFR 565 worked example
BAD_CHECK = "1M8GDM9A1KP042788"  # the same with a wrong check digit


def _config(tmp_path: Path, check_digit: bool) -> Path:
    cfg = tmp_path / "floor.toml"
    cfg.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "floor.db"}"\n'
        f"[vehicles]\nvin_check_digit = {'true' if check_digit else 'false'}\n"
        '[[stations]]\nname = "counter-1"\nkind = "counter"\n',
        encoding="utf-8",
    )
    return cfg


def _import(cfg: Path, kind: str, csv_path: Path, text: str) -> object:
    csv_path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["import", kind, str(csv_path), "--config", str(cfg)])


def _db(tmp_path: Path) -> Database:
    return Database(f"sqlite:///{tmp_path / 'floor.db'}")


def test_import_operations_and_vehicles(tmp_path):
    """GIVEN operations and vehicles CSVs WHEN imported THEN the catalogue and the vehicles are there; a bad check
    digit refuses the whole vehicles file, naming the line."""
    cfg = _config(tmp_path, check_digit=True)
    ops = _import(
        cfg,
        "operations",
        tmp_path / "ops.csv",
        "code,name,name_zh,hours\nOIL-CHG,Oil change,更换机油,0.8\nDIAG,Diagnosis,,0.5\n",
    )
    assert ops.exit_code == 0, ops.output
    assert "imported 2 operations" in ops.output
    bad = _import(
        cfg,
        "vehicles",
        tmp_path / "v.csv",
        f"vin,plate,make,model\n{GOOD_VIN},沪A12345,Ford,Transit\n{BAD_CHECK},沪B1,VW,Golf\n",
    )
    assert bad.exit_code != 0 and "line 3" in bad.output and "vin" in bad.output, bad.output
    good = _import(
        cfg, "vehicles", tmp_path / "v.csv", f"vin,plate,make,model,year\n{GOOD_VIN},沪A 12345,Ford,Transit,2019\n"
    )
    assert good.exit_code == 0, good.output
    db = _db(tmp_path)
    try:
        with db.reading() as s:
            assert [
                (o.code, str(o.hours)) for o in s.scalars(select(LabourOperation).order_by(LabourOperation.code))
            ] == [
                ("DIAG", "0.50"),
                ("OIL-CHG", "0.80"),
            ]
            assert [(v.vin, v.plate, v.year) for v in s.scalars(select(Vehicle))] == [(GOOD_VIN, "沪A12345", 2019)]
    finally:
        db.dispose()


def test_import_vehicles_without_the_check_digit_where_the_site_has_none(tmp_path):
    """GIVEN `[vehicles] vin_check_digit = false` WHEN a VIN without a valid check digit is imported THEN it is taken."""
    cfg = _config(tmp_path, check_digit=False)
    result = _import(cfg, "vehicles", tmp_path / "v.csv", f"vin,plate\n{BAD_CHECK},沪B1\n")
    assert result.exit_code == 0, result.output
    db = _db(tmp_path)
    try:
        with db.reading() as s:
            assert s.scalar(select(Vehicle.vin)) == BAD_CHECK
    finally:
        db.dispose()
