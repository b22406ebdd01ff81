"""Deployment (deploy/): unit files verify, backups restore to the same data, schema upgrades keep data."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, inspect, select, text

from floor.application.scan_service import ScanService
from floor.core.results import ScanInput
from floor.db import Database
from floor.db.migrate import alembic_config, current_revision, head_revision, upgrade
from tests.conftest import PG_ADMIN_URL, make_config
from tests.factories import load_small_shop
from tests.trust.support import ROOT, check_books, drop_pg_database, new_pg_database, snapshot, write_config

DEPLOY = ROOT / "deploy"
UNITS = ["floor-web.service", "floor-gateway@.service", "floor-backup.service", "floor-backup.timer"]


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _table_counts(db: Database) -> dict[str, int]:
    with db.reading() as s:
        names = inspect(s.get_bind()).get_table_names()
        return {n: int(s.scalar(text(f'SELECT count(*) FROM "{n}"'))) for n in sorted(names)}


def _populate(db: Database) -> None:
    """The small shop plus some scans: issues, a core, a return, an undo, a rejected scan."""
    load_small_shop(db)
    service = ScanService(make_config(), db)
    texts = [
        "U:T001",
        "WO:1001",
        "P:OF-100",
        "Q:2",
        "P:SP-200",
        "P:ALT-300",
        "CMD:RETURN",
        "P:OF-100",
        "CMD:ISSUE",
        "P:BP-400",
        "CMD:UNDO",
        "NOPE",
    ]
    service.submit("counter-1", "deploy-dev", [ScanInput(t.encode(), i + 1) for i, t in enumerate(texts)])


def test_unit_files_verify(tmp_path: Path) -> None:
    """GIVEN the systemd units in deploy/ WHEN checked with systemd-analyze verify (paths pointed at this Python)
    THEN no complaint; without systemd-analyze, each parses with its sections and ExecStart."""
    bindir = Path(sys.executable).parent
    for name in UNITS:
        body = (DEPLOY / name).read_text(encoding="utf-8").replace("/opt/floor/venv/bin/", f"{bindir}/")
        target = tmp_path / name.replace("@.", "@counter-1.")
        target.write_text(body, encoding="utf-8")
        parser = configparser.RawConfigParser(strict=False, interpolation=None)
        parser.optionxform = str
        parser.read_string(body)
        assert "Unit" in parser and ("Service" in parser or "Timer" in parser), name
        if "Service" in parser:
            assert parser["Service"].get("ExecStart"), name
    assert (bindir / "gunicorn").exists() and (bindir / "floor").exists()
    tool = shutil.which("systemd-analyze")
    if tool is None:
        return
    units = sorted(str(p) for p in tmp_path.iterdir())
    out = subprocess.run([tool, "verify", *units], capture_output=True, text=True, timeout=60)
    complaints = [line for line in (out.stdout + out.stderr).splitlines() if "floor" in line]
    assert out.returncode == 0 and not complaints, out.stdout + out.stderr


def test_timer_starts_the_backup_and_nginx_streams_sse_unbuffered() -> None:
    """GIVEN deploy/ WHEN read THEN the timer is persistent and nightly, the backup verifies its dump,
    and nginx proxies /kiosk/events without buffering and limits bodies like the app."""
    timer = (DEPLOY / "floor-backup.timer").read_text()
    assert "OnCalendar=" in timer and "Persistent=true" in timer
    backup = (DEPLOY / "floor-backup.service").read_text()
    assert "pg_dump --format=custom" in backup and "pg_restore --list" in backup
    nginx = (DEPLOY / "nginx-floor.conf").read_text()
    events = re.search(r"location /kiosk/events \{(.*?)\}", nginx, re.S)
    assert events and "proxy_buffering off;" in events.group(1)
    assert "client_max_body_size 4m;" in nginx
    web = (DEPLOY / "floor-web.service").read_text()
    assert "--worker-class uvicorn_worker.UvicornWorker" in web and "floor.asgi:app" in web
    readme = (DEPLOY / "README.md").read_text()
    for step in ("createdb", "floor init", "floor-web", "floor-gateway@", "pg_restore", "floor-backup.timer"):
        assert step in readme


@pytest.mark.parametrize("fmt", ["custom", "plain"])
def test_pg_dump_and_restore_give_the_same_books(tmp_path: Path, fmt: str) -> None:
    """GIVEN a populated PostgreSQL database WHEN dumped with pg_dump and restored (pg_restore / psql) into a new one
    THEN every table has the same rows, the books agree and the schema is at head."""
    name = f"floor_deploy_src_{os.getpid()}"
    copy = f"floor_deploy_dst_{os.getpid()}"
    src = Database(new_pg_database(PG_ADMIN_URL, name))
    dst_url = new_pg_database(PG_ADMIN_URL, copy)
    try:
        from floor.db.migrate import upgrade

        upgrade(src.engine)
        _populate(src)
        dump = tmp_path / f"floor.{fmt}"
        subprocess.run(["pg_dump", f"--format={fmt}", f"--file={dump}", _libpq(src.url)], check=True, timeout=120)
        if fmt == "custom":
            subprocess.run(
                ["pg_restore", "--no-owner", f"--dbname={_libpq(dst_url)}", str(dump)], check=True, timeout=120
            )
        else:
            subprocess.run(
                ["psql", "--quiet", "--set=ON_ERROR_STOP=1", f"--file={dump}", _libpq(dst_url)],
                check=True,
                timeout=120,
                stdout=subprocess.DEVNULL,
            )
        dst = Database(dst_url)
        try:
            assert _table_counts(dst) == _table_counts(src)
            assert snapshot(dst) == snapshot(src)
            assert current_revision(dst.engine) == head_revision()
            check_books(dst)
            # The restored database takes new scans: its id sequences came along.
            more = ScanService(make_config(), dst).submit("counter-1", "deploy-dev", [ScanInput(b"P:SP-200", 100)])
            assert more[0].ok, more[0].message
        finally:
            dst.dispose()
    finally:
        src.dispose()
        drop_pg_database(PG_ADMIN_URL, name)
        drop_pg_database(PG_ADMIN_URL, copy)


def _floor_init(cfg_path: Path, instance: Path) -> str:
    env = {**os.environ, "FLOOR_CONFIG": str(cfg_path), "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-m", "floor.cli.main", "init", "--instance", str(instance)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def _rows_by_table(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, as dicts (the day's work, to be replayed into an older schema)."""
    meta = MetaData()
    meta.reflect(db.engine)
    with db.engine.connect() as conn:
        return {t.name: [dict(r._mapping) for r in conn.execute(select(t))] for t in meta.sorted_tables}


def _load_into_old_schema(db: Database, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Insert the rows into the tables and columns the older schema has (what an older floor wrote)."""
    meta = MetaData()
    meta.reflect(db.engine)
    with db.engine.begin() as conn:
        for table in meta.sorted_tables:
            if table.name == "alembic_version" or not rows.get(table.name):
                continue
            cols = set(table.columns.keys())
            conn.execute(table.insert(), [{k: v for k, v in r.items() if k in cols} for r in rows[table.name]])
            if db.dialect == "postgresql" and "id" in cols:  # explicit ids: move the sequence past them
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f'(SELECT max(id) FROM "{table.name}"))'
                    )
                )


def test_floor_init_upgrades_a_populated_database_and_keeps_its_data(db: Database, tmp_path: Path) -> None:
    """GIVEN a database created at the base revision and filled with a day's work
    WHEN `floor init` runs on it (upgrade to head), and again
    THEN it is at head, every row survived, and the second run changes nothing."""
    base = list(ScriptDirectory.from_config(alembic_config()).walk_revisions())[-1].revision
    _populate(db)  # today's code writes the day's work; the older schema then receives what it has room for
    day = _rows_by_table(db)
    existing = set(inspect(db.engine).get_table_names())
    with db.engine.begin() as conn:  # start over at the base revision
        names = [n for n in reversed(_sorted_tables()) if n in existing] + ["alembic_version"]
        for name in names:
            conn.execute(text(f'DROP TABLE IF EXISTS "{name}"' + (" CASCADE" if db.dialect == "postgresql" else "")))
    cfg = alembic_config()
    try:
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, base)
        _load_into_old_schema(db, day)
        before, counts = snapshot(db), _table_counts(db)
        cfg_path = write_config(tmp_path, db.url, ["counter-1"])  # the instance folder's floor.toml, as on a server
        instance = tmp_path
        first = _floor_init(cfg_path, instance)
        assert "keeping existing" in first
        assert current_revision(db.engine) == head_revision()
        assert snapshot(db) == before
        assert {k: v for k, v in _table_counts(db).items() if k in counts} == counts
        second = _floor_init(cfg_path, instance)
        assert "checked database" in second and "keeping existing" in second
        assert snapshot(db) == before
        check_books(db)
        if base == head_revision():  # one migration so far: the first run found it at head too
            assert "checked database" in first
    finally:  # whatever happened, leave the shared test database at head for the tests after this one
        upgrade(db.engine)


def _sorted_tables() -> list[str]:
    from floor.models import Base

    return [t.name for t in Base.metadata.sorted_tables]


def test_wsgi_entry_serves_from_floor_config(tmp_path: Path, shop: Any) -> None:
    """GIVEN FLOOR_CONFIG naming a populated database WHEN floor.wsgi is imported (as gunicorn does)
    THEN its app answers from that database."""
    cfg_path = write_config(tmp_path, shop.url, ["counter-1"])
    code = (
        "import json, floor.wsgi as w; c = w.app.test_client(); "
        "print(json.dumps(c.get('/api/parts/OF-100').get_json()['bins']))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "FLOOR_CONFIG": str(cfg_path), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(tmp_path),
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == '{"A-01-01": 10, "B-02-01": 4}'
