"""The JSON API and the kiosk's form receive a car through one use case (floor.application.reception): the same
refusal for a bad field of the car's row, the same text, and nothing written by either."""

from __future__ import annotations

from sqlalchemy import func, select

from floor.models import WorkOrder
from tests.kiosk.helpers import csrf_token
from tests.web.reception.helpers import car


def _jobs(db) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(WorkOrder)) or 0)


def test_bad_row_field_is_one_400_at_both_doors(workshop, client):
    """GIVEN a reception whose estimate is not a number WHEN sent as JSON and from the kiosk form THEN both answer 400
    naming the field with the same text, and no job is written."""
    before = _jobs(workshop)
    api = client.post("/api/reception", json=car(estimate_minutes="soon"))
    assert api.status_code == 400, api.get_data(as_text=True)[:300]
    text = api.get_json()["error"]
    assert text.startswith("estimate_minutes: ")
    form = {k: str(v) for k, v in car(estimate_minutes="soon").items() if k != "number"}
    token = csrf_token(client, "/kiosk/reception")
    page = client.post("/kiosk/reception", data={**form, "key_tag": "", "csrf_token": token})
    assert page.status_code == 400
    assert 'data-code="bad_request"' in page.get_data(as_text=True)
    assert text.replace("'", "&#39;") in page.get_data(as_text=True)
    assert _jobs(workshop) == before


def test_good_reception_answers_its_links_at_the_api(workshop, client):
    """GIVEN a reception naming no printer WHEN sent as JSON THEN the answer links the label's preview and the card,
    as before the use case moved out of the API."""
    before = _jobs(workshop)
    r = client.post("/api/reception", json=car())
    assert r.status_code == 201, r.get_data(as_text=True)[:300]
    body = r.get_json()
    number = body["number"]
    assert body["label"] == {"kind": "wo", "preview": f"/kiosk/labels/preview/wo/{number}.svg", "queued": None}
    assert body["card"] == f"/kiosk/workorders/{number}/card"
    assert _jobs(workshop) == before + 1
