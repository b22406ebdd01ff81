"""The generated references (configuration, HTTP API) cannot drift from the code, and /api/docs serves the API's."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from floor.cli.docs import generated
from floor.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_references_are_what_the_code_generates():
    """GIVEN docs/reference THEN each page equals what `floor docs` writes now (else: run `floor docs`)."""
    for name, text in generated().items():
        committed = (ROOT / "docs" / "reference" / name).read_text(encoding="utf-8")
        assert committed == text, f"docs/reference/{name} is out of date: run `floor docs` and commit it"


def test_every_config_table_and_every_api_route_is_in_the_references():
    """GIVEN the config registry and the OpenAPI description THEN every table, key and operation is named."""
    import dataclasses

    from floor.config.tables import TABLES
    from floor.web.openapi import OPERATIONS

    pages = generated()
    for name, table in TABLES.items():
        assert f"[{name}]`" in pages["config.md"] or f"[[{name}]]`" in pages["config.md"], name
        if isinstance(table, type) and dataclasses.is_dataclass(table):
            for f in dataclasses.fields(table):
                if "flat" not in f.metadata:
                    assert f"| `{f.name}` |" in pages["config.md"], (name, f.name)
    for entry in OPERATIONS:
        assert f"## `{entry['method'].upper()} {entry['path']}`" in pages["api.md"], entry["path"]


def test_floor_docs_check_fails_on_a_stale_page_and_write_mends_it(tmp_path):
    """GIVEN a reference folder with a stale page WHEN `floor docs --check` THEN it fails naming the page;
    WHEN `floor docs` writes THEN the check passes."""
    runner = CliRunner()
    (tmp_path / "api.md").write_text("old\n", encoding="utf-8")
    failed = runner.invoke(main, ["docs", "--out", str(tmp_path), "--check"])
    assert failed.exit_code != 0 and "api.md" in failed.output
    assert runner.invoke(main, ["docs", "--out", str(tmp_path)]).exit_code == 0
    assert runner.invoke(main, ["docs", "--out", str(tmp_path), "--check"]).exit_code == 0


def test_api_docs_page_lists_every_operation_without_a_cdn(client):
    """GIVEN the app WHEN /api/docs is read THEN an HTML page naming every operation, loading nothing from elsewhere."""
    from floor.web.openapi import OPERATIONS

    resp = client.get("/api/docs")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    page = resp.get_data(as_text=True)
    for entry in OPERATIONS:
        assert entry["path"] in page
    assert "http://" not in page and "https://" not in page and "<script" not in page
