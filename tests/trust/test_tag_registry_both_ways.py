"""A tag and the codes a scan may mean never collide, whichever comes first (issue 24, `tag_conflict` both ways).

A tag is looked up before anything else a plain scan may mean. Binding a tag that is already a part's code, a bin, a
badge or a job number is refused (`tag_conflict`, tests/trust/test_bad_inputs_issue24.py). Here the other side: a NEW
part number, alias, bin, badge or job number that is already a tag's code is refused too, by the API, the CSV import
(the chunked parts import included), reception and a badge's reissue; and nothing changes.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from floor.db import Database
from floor.imports import import_csv
from floor.models import Tag, WorkOrder
from tests.factories import PIN
from tests.trust.support import snapshot
from tests.web.reception.helpers import car

TAG = "FOB-77"
EAN_TAG = "5901234123457"  # a GS1 example EAN-13, used as a key fob's code


@pytest.fixture
def tagged(client: Any, shop: Database) -> Database:
    """The small workshop with job 1001's key fob FOB-77 and folder tag 5901234123457."""
    for code, kind in ((TAG, "key"), (EAN_TAG, "folder")):
        resp = client.post("/api/workorders/1001/tags", json={"code": code, "kind": kind, "badge": "ADV1"})
        assert resp.status_code == 201, resp.get_json()
    return shop


def _state(db: Database) -> tuple[Any, ...]:
    with db.reading() as s:
        jobs = s.scalars(select(WorkOrder.number).order_by(WorkOrder.number)).all()
        tags = s.execute(select(Tag.code, Tag.work_order_id).order_by(Tag.code)).all()
    return snapshot(db), tuple(jobs), tuple(tuple(t) for t in tags)


NEW_CODES = [
    ("/api/parts", {"part_no": TAG, "name": "Fob", "unit_cost": "1"}, "part_no"),
    ("/api/parts", {"part_no": "fob-77", "name": "Fob", "unit_cost": "1"}, "part_no"),  # scans ignore case
    ("/api/parts", {"part_no": "NEW-1", "name": "New", "unit_cost": "1", "barcodes": "fob-77"}, "barcodes"),
    ("/api/parts", {"part_no": "NEW-1", "name": "New", "unit_cost": "1", "barcodes": "05901234123457"}, "barcodes"),
    ("/api/parts", {"part_no": "OF-100", "name": "Oil filter", "unit_cost": "1", "barcodes": TAG}, "barcodes"),
    ("/api/locations", {"code": TAG, "name": "Shelf"}, "code"),
    ("/api/users", {"badge": TAG, "name": "Fob Person", "role": "technician"}, "badge"),
    ("/api/workorders", {"number": TAG, "vehicle": "Golf"}, "number"),
]


@pytest.mark.parametrize("url,body,field", NEW_CODES, ids=[f"{u[5:]}-{f}-{i}" for i, (u, _, f) in enumerate(NEW_CODES)])
def test_a_new_code_that_is_a_tag_is_refused(client: Any, tagged: Database, url: str, body: dict, field: str) -> None:
    """GIVEN job 1001's tags FOB-77 and 5901234123457 WHEN a new part number, alias (any case, any GTIN width), bin,
    badge or job number is one of them THEN 400 naming the field and job 1001's tag, and nothing changes."""
    before = _state(tagged)
    resp = client.post(url, json={**body, "by_badge": "SUP1"})
    assert resp.status_code == 400, resp.get_json()
    error = resp.get_json()["error"]
    assert error.startswith(f"{field}: ") and "a tag of job 1001" in error, error
    assert _state(tagged) == before


def test_a_code_made_before_any_tag_stays_editable(client: Any, tagged: Database) -> None:
    """GIVEN a part that exists WHEN it is updated THEN it is (the rule is for new codes); a new part is made."""
    assert (
        client.post("/api/parts", json={"part_no": "OF-100", "name": "Oil filter 2", "unit_cost": "2"}).status_code
        == 201
    )
    assert client.post("/api/parts", json={"part_no": "FOB-78", "name": "Other", "unit_cost": "1"}).status_code == 201


def test_a_parts_import_with_a_tag_code_is_refused_by_line(tagged: Database) -> None:
    """GIVEN the tags WHEN a parts CSV (written in chunks) makes a part FOB-77 or an alias that is a fob's EAN THEN
    nothing is imported and each line is named."""
    before = _state(tagged)
    text = "part_no,name,unit_cost,barcodes\nNEW-1,New,1,\nFOB-77,Fob,1,\nNEW-2,New,1,5901234123457\n"
    report = import_csv(tagged, "parts", text.encode(), chunk_rows=1)
    assert [(e.line, e.column) for e in report.errors] == [(3, "part_no"), (4, "barcodes")], report.errors
    assert all("a tag of job 1001" in e.message for e in report.errors)
    assert _state(tagged) == before


def test_reception_refuses_a_number_that_is_a_tag_and_skips_one_it_would_give(client: Any, tagged: Database) -> None:
    """GIVEN the tags WHEN reception names number FOB-77 THEN 409 code_is_tag (en, zh) and no job; GIVEN a fob coded
    coded like today's next reception number THEN reception gives the one after it."""
    before = _state(tagged)
    resp = client.post("/api/reception", json=car(number=TAG))
    body = resp.get_json()
    assert resp.status_code == 409 and body["code"] == "code_is_tag", body
    assert "a tag of job 1001" in body["error"] and "工单 1001 的标签" in body["error_zh"]
    assert _state(tagged) == before
    fob = client.post("/api/workorders/1001/tags", json={"code": "261123-001", "kind": "key", "badge": "ADV1"})
    assert fob.status_code == 201, fob.get_json()
    body = car(key_tag="KEY-9")
    del body["number"]
    made = client.post("/api/reception", json=body)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["number"] == "261123-002"


def test_a_badge_reissued_as_a_tag_is_refused(client: Any, tagged: Database) -> None:
    """GIVEN the tags WHEN a supervisor reissues T001's badge as FOB-77 THEN 409 code_is_tag and T001 still works."""
    before = _state(tagged)
    resp = client.post("/api/users/T001/reissue", json={"badge": "SUP1", "pin": PIN, "new": TAG})
    assert resp.status_code == 409 and resp.get_json()["code"] == "code_is_tag", resp.get_json()
    assert _state(tagged) == before
