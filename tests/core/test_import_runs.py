"""Big imports never hold the floor: parts are written in short chunks with an undo journal; a failed, stopped
or killed import leaves nothing behind; one import at a time; scans go on between chunks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from floor.core import import_runs
from floor.core.results import ScanInput
from floor.imports import ImportBusy, import_csv, recover, run_progress, start_import
from floor.models import AuditEntry, ImportJournal, ImportRun, Part, PartBarcode
from tests.trust.support import write_config
from tests.waiting import wait_for

HEADER = "part_no,name,unit_cost,barcodes,core,reorder_point,reorder_qty"


def parts_file(n: int, start: int = 0) -> bytes:
    lines = [HEADER] + [f"N{i:06d},New {i},{i % 90}.25,EAN{i:09d},no,1,4" for i in range(start, start + n)]
    return "\n".join(lines).encode()


def snapshot(db):
    """Every part with its columns and every alias: what 'nothing left behind' compares."""
    with db.reading() as s:
        parts = sorted(tuple(r) for r in s.execute(select(*Part.__table__.c)))
        aliases = sorted(tuple(r) for r in s.execute(select(PartBarcode.code, PartBarcode.part_id)))
        journal = s.scalar(select(func.count()).select_from(ImportJournal))
    return parts, aliases, journal


def last_run(db):
    with db.reading() as s:
        run = s.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
        return (run.status, run.running, run.rows_done) if run else None


def test_chunked_import_updates_inserts_and_cleans_up(shop):
    """GIVEN OF-100 in stock WHEN a file renames it and adds 40 parts, written 7 rows a chunk THEN all are in,
    progress reached every chunk, the run is done, its journal gone and the audit names it."""
    data = parts_file(40) + b"\nOF-100,Oil filter renamed,3.10,4006381333931|OFX,no,2,6"
    seen = []
    report = import_csv(shop, "parts", data, lambda d, t: seen.append((d, t)), chunk_rows=7)
    assert report.ok and report.rows == 41
    assert seen[0] == (7, 41) and seen[-1] == (41, 41) and len(seen) == 6
    with shop.reading() as s:
        assert s.scalar(select(Part.name).where(Part.part_no == "OF-100")) == "Oil filter renamed"
        assert s.scalar(select(func.count()).select_from(Part).where(Part.part_no.like("N%"))) == 40
        ofx = s.scalar(select(PartBarcode.part_id).where(PartBarcode.code == "OFX"))
        assert ofx == s.scalar(select(Part.id).where(Part.part_no == "OF-100"))
    assert snapshot(shop)[2] == 0
    assert last_run(shop) == ("done", None, 41)
    assert run_progress(shop, report.run_id)["progress"] == 100
    with shop.reading() as s:
        assert s.scalar(select(AuditEntry.object).where(AuditEntry.action == "import.parts")) == "41 rows"


def test_an_alias_of_another_part_is_refused_before_anything_is_written(shop):
    """GIVEN a file whose line 3 gives OF-100's GTIN alias to a new part WHEN imported THEN line 3 is named and
    no part of the file is written; the run says refused."""
    before = snapshot(shop)
    data = f"{HEADER}\nZ1,One,1,,no,0,0\nZ2,Two,1,4006381333931,no,0,0\n".encode()
    report = import_csv(shop, "parts", data)
    assert [(e.line, e.column) for e in report.errors] == [(3, "barcodes")]
    assert snapshot(shop) == before
    assert last_run(shop)[:2] == ("refused", None)


def test_a_failure_mid_import_takes_back_every_chunk(shop, monkeypatch):
    """GIVEN a file that updates OF-100 and adds 30 parts WHEN the fourth chunk's write fails THEN the error is
    raised, every earlier chunk is taken back (OF-100 as it was, no new part or alias), the run is failed and
    the next import may run."""
    before = snapshot(shop)
    write = import_runs.write_parts
    calls = []

    def failing(session, run_id, plan, chunk, now):
        calls.append(len(chunk))
        if len(calls) == 4:
            raise RuntimeError("disk full")
        write(session, run_id, plan, chunk, now)

    monkeypatch.setattr(import_runs, "write_parts", failing)
    data = f"{HEADER}\nOF-100,Renamed,9.99,NEWALIAS,yes,9,9\n".encode() + parts_file(30)[len(HEADER) :]
    with pytest.raises(RuntimeError, match="disk full"):
        import_csv(shop, "parts", data, chunk_rows=5)
    assert len(calls) == 4
    assert snapshot(shop) == before
    assert last_run(shop)[:2] == ("failed", None)
    monkeypatch.setattr(import_runs, "write_parts", write)
    assert import_csv(shop, "parts", parts_file(3)).ok


def test_scans_go_on_between_chunks(shop, service):
    """GIVEN a technician issuing to job 1001 WHEN a parts import is half written THEN scans (from another session)
    are applied between its chunks, and the import completes."""
    assert all(r.ok for r in service.submit("counter-1", "h1", [ScanInput(b"U:T001", 1), ScanInput(b"WO:1001", 2)]))
    results = []

    def scan_now(done, total):
        if done < total:  # mid-import: earlier chunks committed, later ones not yet written
            assert last_run(shop)[:2] == ("writing", 1)
            results.extend(service.submit("counter-1", "h1", [ScanInput(b"P:SP-200", len(results) + 3)]))

    report = import_csv(shop, "parts", parts_file(30), scan_now, chunk_rows=10)
    assert report.ok
    assert len(results) == 2 and all(r.ok for r in results), [r.code for r in results]


def test_one_import_at_a_time(shop):
    """GIVEN an import holding the slot WHEN another starts THEN `import_running` and nothing written; once the
    first is closed the second runs."""
    run_id = start_import(shop, "parts", 10, "cli")
    with pytest.raises(ImportBusy) as busy:
        import_csv(shop, "parts", parts_file(2))
    assert busy.value.code == "import_running"
    with shop.reading() as s:
        assert s.scalar(select(func.count()).select_from(Part).where(Part.part_no.like("N%"))) == 0
    with shop.writing() as s:
        import_runs.close(s, run_id, "failed", s.get(ImportRun, run_id).started_at)
    assert import_csv(shop, "parts", parts_file(2)).ok


def test_a_run_whose_lease_ran_out_is_taken_back(shop, pinned_clock):
    """GIVEN a run that wrote one chunk and then went silent WHEN its lease runs out THEN the next import takes it
    back first (nothing of it left) and runs."""
    before = snapshot(shop)
    run_id = stopped_run(shop, pinned_clock.now())
    assert snapshot(shop) != before
    assert recover(shop) == []  # still leased, by this very process
    pinned_clock.advance(import_runs.LEASE + timedelta(seconds=1))
    assert import_csv(shop, "parts", f"{HEADER}\nQ1,Q,1,,no,0,0\n".encode()).ok
    with shop.reading() as s:
        assert s.get(ImportRun, run_id).status == "undone"
        assert s.scalar(select(func.count()).select_from(Part).where(Part.part_no.like("N%"))) == 0


def stopped_run(db, now) -> int:
    """A parts run of 5 rows that wrote its first 3 (new parts N000000-N000002) and went silent; its id."""
    run_id = start_import(db, "parts", 5, "cli")
    with db.reading() as s:
        plan, errors = import_runs.check_parts(s, [(i + 2, r) for i, r in enumerate(_rows(5))], 50)
    assert not errors
    with db.writing() as s:
        import_runs.write_parts(s, run_id, plan, plan.rows[:3], now)
    return run_id


def _rows(n):
    return [
        {"part_no": f"N{i:06d}", "name": f"New {i}", "unit_cost": "1", "barcodes": f"EAN{i}", "core": "no"}
        for i in range(n)
    ]


def test_a_killed_import_leaves_nothing(shop, tmp_path):
    """GIVEN `floor import parts` of 20,000 rows in a subprocess WHEN it is killed (SIGKILL) after some chunks are
    committed THEN its rows are visible only until the next start: `recover` takes every one back."""
    before = snapshot(shop)
    config = write_config(tmp_path, shop.url, ["counter-1"])
    csv_file = tmp_path / "parts.csv"
    csv_file.write_bytes(parts_file(20000))
    cmd = [sys.executable, "-c", "from floor.cli.main import main; main()"]
    cmd += ["import", "parts", str(csv_file), "--config", str(config), "--chunk-rows", "100"]
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    with subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env) as proc:
        try:
            assert wait_for(lambda: (last_run(shop) or ("", 0, 0))[2] >= 500, timeout=60), proc.stderr
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    status, running, done = last_run(shop)
    assert (status, running) == ("writing", 1) and 500 <= done < 20000
    assert snapshot(shop) != before  # the dead import's chunks are there, journalled ...
    assert len(recover(shop)) == 1  # ... and the next start takes them back
    assert snapshot(shop) == before
    assert last_run(shop)[:2] == ("undone", None)
