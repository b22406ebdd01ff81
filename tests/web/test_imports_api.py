"""The CSV import over HTTP: `POST /api/imports/<kind>` starts it, `GET /api/imports/<id>` shows its progress."""

from __future__ import annotations

from sqlalchemy import func, select

from floor.imports import start_import
from floor.models import Part
from tests.waiting import wait_for

CSV = {"Content-Type": "text/csv"}


def parts_csv(n: int) -> bytes:
    rows = [f"K{i:05d},Kit {i},2.50,KIT{i:07d}" for i in range(n)]
    return ("part_no,name,unit_cost,barcodes\n" + "\n".join(rows)).encode()


def finished(client, run_id):
    body = client.get(f"/api/imports/{run_id}").get_json()
    return body if body["status"] not in ("checking", "writing") else None


def test_a_parts_file_imports_in_the_background_with_progress(client, shop):
    """GIVEN a storekeeper's 300-row parts file WHEN posted THEN 202 with the run (Location to follow); the run
    ends done with 300 of 300 rows at 100 %, the parts exist and the run is listed."""
    r = client.post("/api/imports/parts?badge=S001", data=parts_csv(300), headers=CSV)
    assert r.status_code == 202, r.get_json()
    run = r.get_json()
    assert r.headers["Location"] == f"/api/imports/{run['id']}" and run["rows"] == 300
    assert wait_for(lambda: finished(client, run["id"]), timeout=60)
    body = finished(client, run["id"])
    assert (body["status"], body["done"], body["rows"], body["progress"]) == ("done", 300, 300, 100)
    with shop.reading() as s:
        assert s.scalar(select(func.count()).select_from(Part).where(Part.part_no.like("K%"))) == 300
    assert client.get("/api/imports").get_json()["imports"][0]["id"] == run["id"]


def test_a_refused_file_shows_its_lines_and_writes_nothing(client, shop):
    """GIVEN a parts file with K00001 twice WHEN posted as a multipart upload THEN the run ends refused, its
    error names both lines, and no part was written."""
    data = parts_csv(3) + b"\nK00001,Again,1.00,\n"
    r = client.post("/api/imports/parts", data={"badge": "S001", "file": (__import__("io").BytesIO(data), "kits.csv")})
    assert r.status_code == 202, r.get_json()
    assert wait_for(lambda: finished(client, r.get_json()["id"]), timeout=60)
    body = finished(client, r.get_json()["id"])
    assert body["status"] == "refused" and body["file"] == "kits.csv"
    assert [e["line"] for e in body["errors"]] == [5]
    assert "line 3" in body["errors"][0]["message"] and "line 5" in body["errors"][0]["message"]
    with shop.reading() as s:
        assert s.scalar(select(func.count()).select_from(Part).where(Part.part_no.like("K%"))) == 0


def test_refusals_are_coded(client, shop):
    """GIVEN an import running WHEN another is posted THEN 409 `import_running`; a technician's badge is 403; a
    file that is no CSV of the kind is 400; an unknown run is 404 `unknown_import`."""
    start_import(shop, "locations", 5, "cli")
    busy = client.post("/api/imports/parts?badge=S001", data=parts_csv(2), headers=CSV)
    assert busy.status_code == 409 and busy.get_json()["code"] == "import_running" and busy.get_json()["error_zh"]
    assert client.post("/api/imports/parts?badge=T001", data=parts_csv(2), headers=CSV).status_code == 403
    assert client.post("/api/imports/parts?badge=S001", data=b"code,name\nA,B\n", headers=CSV).status_code == 400
    missing = client.get("/api/imports/999999")
    assert missing.status_code == 404 and missing.get_json()["code"] == "unknown_import"
