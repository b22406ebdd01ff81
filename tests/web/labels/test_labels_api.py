"""POST /api/labels and GET /api/printers through the Flask test client."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from floor.db import Database
from floor.models import PrintJob
from floor.web.labels_api import bp
from hardware_sim.printer import RunningPrinter
from tests.labels.helpers import decode_zxing, png_image, svg_image, zpl_images


@pytest.fixture
def app(cfg: Any, labels_db: Database) -> Flask:
    """The floor app over the labels workshop (the app registers the labels blueprint itself)."""
    from floor.service.factory import create_app

    flask_app = create_app(cfg, labels_db, {"TESTING": True})
    assert flask_app.blueprints.get(bp.name) is bp
    return flask_app


def test_print_queues_a_job(client: FlaskClient, labels_db: Database) -> None:
    """GIVEN a configured printer WHEN a part label is posted THEN 202 with a queued job holding its ZPL."""
    r = client.post("/api/labels", json={"kind": "part", "id": "OF-100", "printer": "zebra-1"})
    assert r.status_code == 202
    body = r.get_json()
    assert body["printer"] == "zebra-1" and body["status"] == "queued"
    with labels_db.reading() as s:
        job = s.get(PrintJob, body["job"])
        assert job is not None and "^FDP:OF-100^FS" in job.payload


def test_station_picks_its_printer_and_ids_make_a_batch(client: FlaskClient, labels_db: Database) -> None:
    """GIVEN station counter-1 with a printer WHEN two bins are posted by station THEN one batch goes to it."""
    r = client.post("/api/labels", json={"kind": "bin", "ids": ["A-01-01", "A-01-02"], "station": "counter-1"})
    assert r.status_code == 202
    assert [j["id"] for j in r.get_json()["jobs"]] == ["A-01-01", "A-01-02"]
    with labels_db.reading() as s:
        assert {j.batch for j in s.scalars(select(PrintJob))} == {"bin-2"}


@pytest.mark.parametrize("fmt,mime", [("zpl", "text/plain"), ("png", "image/png"), ("svg", "image/svg+xml")])
def test_preview_formats_return_the_label(client: FlaskClient, fmt: str, mime: str) -> None:
    """GIVEN format and no printer WHEN a wo label is posted THEN the label comes back in that format and decodes."""
    r = client.post("/api/labels", json={"kind": "wo", "id": "1001", "format": fmt})
    assert r.status_code == 200 and r.mimetype == mime
    img = {"zpl": lambda d: zpl_images(d)[0], "png": png_image, "svg": lambda d: svg_image(d.decode())}[fmt](r.data)
    assert decode_zxing(img) == ["WO:1001"]


@pytest.mark.parametrize(
    "body,code,fragment",
    [
        ({"kind": "pallet", "id": "1", "format": "zpl"}, 400, "unknown kind"),
        ({"kind": "part", "id": "NOPE", "format": "zpl"}, 404, "no part"),
        ({"kind": "part", "id": "OF-100", "printer": "ghost"}, 404, "unknown printer"),
        ({"kind": "part", "id": "OF-100", "station": "ghost"}, 404, "unknown station"),
        ({"kind": "part", "id": "OF-100", "station": "counter-2"}, 404, "has no printer"),
        ({"kind": "part", "id": "OF-100", "format": "pdf"}, 400, "unknown format"),
        ({"kind": "part", "format": "zpl"}, 400, "'id' is required"),
        ({"kind": "part", "id": 7, "format": "zpl"}, 400, "must be a string"),
        ({"kind": "bin", "ids": [], "printer": "zebra-1"}, 400, "non-empty list"),
        ({"kind": "bin", "ids": ["A-01-01", "A-01-02"], "format": "png"}, 400, "one label"),
        ({"kind": "part", "id": "配件", "format": "zpl"}, 404, "no part"),
    ],
)
def test_bad_requests_are_4xx_with_error(
    client: FlaskClient, labels_db: Database, body: dict[str, Any], code: int, fragment: str
) -> None:
    """GIVEN a bad kind, id, printer, station or format WHEN posted THEN a 4xx with an error naming it, and no job."""
    r = client.post("/api/labels", json=body)
    assert r.status_code == code
    assert fragment in r.get_json()["error"]
    with labels_db.reading() as s:
        assert s.scalars(select(PrintJob)).first() is None


def test_unencodable_payload_is_422(client: FlaskClient, labels_db: Database) -> None:
    """GIVEN a part whose number cannot go in Code 128 WHEN its label is asked for THEN 422 explains it."""
    from floor.models import Part

    with labels_db.writing() as s:
        s.add(Part(part_no="配件-1", name="x"))
    r = client.post("/api/labels", json={"kind": "part", "id": "配件-1", "format": "zpl"})
    assert r.status_code == 422 and "Code 128" in r.get_json()["error"]


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b"{"])
def test_malformed_json_is_400(client: FlaskClient, raw: bytes) -> None:
    """GIVEN a body that is not a JSON object WHEN posted THEN 400 with an error."""
    r = client.post("/api/labels", data=raw, content_type="application/json")
    assert r.status_code == 400 and "error" in r.get_json()


def test_printers_show_status_and_queue_depth(client: FlaskClient, sim: RunningPrinter) -> None:
    """GIVEN two queued jobs and a paused printer WHEN printers are listed THEN state, fault, station and depth show."""
    for oid in ("OF-100", "SP-200"):
        assert client.post("/api/labels", json={"kind": "part", "id": oid, "printer": "zebra-1"}).status_code == 202
    sim.printer.set_fault(paused=True)
    r = client.get("/api/printers")
    assert r.status_code == 200
    (p,) = r.get_json()["printers"]
    assert (p["name"], p["state"], p["faults"], p["queue_depth"], p["stations"]) == (
        "zebra-1",
        "fault",
        ["paused"],
        2,
        ["counter-1"],
    )


def test_reprint_endpoint(client: FlaskClient) -> None:
    """GIVEN a job WHEN reprinted THEN a new queued job points at it; an unknown job is 404."""
    job = client.post("/api/labels", json={"kind": "part", "id": "OF-100", "printer": "zebra-1"}).get_json()["job"]
    r = client.post(f"/api/print-jobs/{job}/reprint")
    assert r.status_code == 202 and r.get_json()["reprint_of"] == job
    assert client.post("/api/print-jobs/99999/reprint").status_code == 404
