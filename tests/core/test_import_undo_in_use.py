"""A stopped import whose new part is in use since cannot be taken back: a clear refusal that changes nothing.

`import_in_use` (409) names the parts and what refers to them, through the CLI (`floor import`) and the HTTP API
(`POST /api/imports/<kind>`), where the take-back of a stopped run happens before a new import starts.
"""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import func, select

from floor.cli.main import main
from floor.core import import_runs
from floor.imports import recover
from floor.models import AuditEntry, ImportRun, Part, PartRequest
from tests.core.test_import_runs import HEADER, snapshot, stopped_run
from tests.trust.support import write_config


def _stopped_run_with_a_part_in_use(client, shop, pinned_clock) -> int:
    """A run that wrote 3 new parts and went silent; a job requested one of them meanwhile; its lease ran out."""
    run_id = stopped_run(shop, pinned_clock.now())
    asked = client.post(
        "/api/workorders/1001/requests", json={"badge": "T001", "lines": [{"part_no": "N000001", "qty": 1}]}
    )
    assert asked.status_code in (200, 201), asked.get_json()
    pinned_clock.advance(import_runs.LEASE + timedelta(seconds=1))
    return run_id


def _unchanged(shop, run_id: int, before) -> None:
    assert snapshot(shop) == before
    with shop.reading() as s:
        run = s.get(ImportRun, run_id)
        assert (run.status, run.running) == ("writing", 1)  # still the stopped run, still holding the slot
        assert s.scalar(select(func.count()).select_from(PartRequest)) == 1


def test_the_api_refuses_a_new_import_naming_the_part_in_use(client, shop, pinned_clock):
    """GIVEN a stopped parts import whose part N000001 a job requested since WHEN a new import is posted
    THEN 409 `import_in_use` naming N000001 and the job request line (en and zh), and nothing changes."""
    run_id = _stopped_run_with_a_part_in_use(client, shop, pinned_clock)
    before = snapshot(shop)
    resp = client.post("/api/imports/parts", data=f"{HEADER}\nQ1,Q,1,,no,0,0\n".encode(), content_type="text/csv")
    body = resp.get_json()
    assert resp.status_code == 409 and body["code"] == "import_in_use", body
    assert "N000001 (job request lines: 1)" in body["error"] and f"Import {run_id}" in body["error"]
    assert "N000001 (工单领料申请行: 1)" in body["error_zh"], body["error_zh"]
    assert "N000000" not in body["error"]  # the parts nobody uses are not named
    _unchanged(shop, run_id, before)
    assert recover(shop) == []  # `floor serve` starts all the same: the run is logged and left


def test_the_cli_refuses_a_new_import_naming_the_part_in_use(client, shop, pinned_clock, tmp_path):
    """GIVEN the same stopped import WHEN `floor import parts` runs THEN it exits non-zero naming N000001 and what
    refers to it, and nothing changes."""
    run_id = _stopped_run_with_a_part_in_use(client, shop, pinned_clock)
    before = snapshot(shop)
    csv_file = tmp_path / "parts.csv"
    csv_file.write_text(f"{HEADER}\nQ1,Q,1,,no,0,0\n", encoding="utf-8")
    config = write_config(tmp_path, shop.url, ["counter-1"])
    result = CliRunner().invoke(main, ["import", "parts", str(csv_file), "--config", str(config)])
    assert result.exit_code == 1, result.output
    assert "cannot be taken back" in result.output and "N000001 (job request lines: 1)" in result.output
    assert "floor import --keep-stopped" in result.output
    assert "Traceback" not in result.output
    _unchanged(shop, run_id, before)


def test_keep_stopped_is_the_way_out(client, shop, pinned_clock, tmp_path):
    """GIVEN the refused stopped import WHEN `floor import --keep-stopped` runs THEN the run is closed as kept with its
    rows (the part in use and its request line stay), audited; the next import runs, and finishes the file."""
    run_id = _stopped_run_with_a_part_in_use(client, shop, pinned_clock)
    config = write_config(tmp_path, shop.url, ["counter-1"])
    kept = CliRunner().invoke(main, ["import", "--keep-stopped", "--config", str(config)])
    assert kept.exit_code == 0 and f"import(s) {run_id}" in kept.output, kept.output
    with shop.reading() as s:
        run = s.get(ImportRun, run_id)
        assert (run.status, run.running) == ("kept", None)
        assert s.scalar(select(func.count()).select_from(Part).where(Part.part_no.like("N%"))) == 3
        assert s.scalar(select(func.count()).select_from(PartRequest)) == 1
        assert (
            s.scalar(select(AuditEntry.object).where(AuditEntry.action == "import.keep_stopped")) == f"import {run_id}"
        )
    csv_file = tmp_path / "parts.csv"
    csv_file.write_text(HEADER + "\n" + "\n".join(f"N{i:06d},New {i},1,,no,0,0" for i in range(5)), encoding="utf-8")
    again = CliRunner().invoke(main, ["import", "parts", str(csv_file), "--config", str(config)])
    assert again.exit_code == 0, again.output
    with shop.reading() as s:
        assert s.scalar(select(func.count()).select_from(Part).where(Part.part_no.like("N%"))) == 5
    nothing = CliRunner().invoke(main, ["import", "--keep-stopped", "--config", str(config)])
    assert nothing.exit_code == 0 and "no stopped import to keep" in nothing.output
