"""The after-sales kiosk pages (SPEC 10.5) without a browser: the call list, complaints, the comeback check, zh and en."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.aftersales_factories import deliver, receive
from tests.kiosk.helpers import csrf_token
from tests.repair_factories import load_repair_shop


@pytest.fixture
def garage(shop):
    """The small shop with the repair order's data."""
    load_repair_shop(shop)
    return shop


def test_the_call_list_shows_todays_calls_and_logs_one(garage, client, pinned_clock):
    """GIVEN a job delivered 3 days ago WHEN the advisor opens /kiosk/followups THEN the call shows with the job's work
    and the customer's phone; logging a score of 4 opens a complaint, which /kiosk/complaints lists; a technician's
    badge is refused and logs nothing."""
    receive(garage, "8001", concern="Wipers smear")
    deliver(garage, "8001")
    pinned_clock.advance(timedelta(days=3))
    html = client.get("/kiosk/followups").get_data(as_text=True)
    assert "8001" in html and "138 0000 0001" in html and "Wipers smear" in html
    fu = html.split('data-id="')[1].split('"')[0]
    token = csrf_token(client, "/kiosk/followups")
    r = client.post(
        f"/kiosk/followups/{fu}", data={"csrf_token": token, "reached": "yes", "score": "4", "badge": "T001"}
    )
    assert r.status_code == 403
    r = client.post(
        f"/kiosk/followups/{fu}", data={"csrf_token": token, "reached": "yes", "score": "4", "badge": "ADV1"}
    )
    assert r.status_code == 303
    assert "No calls due today." in client.get("/kiosk/followups").get_data(as_text=True)
    html = client.get("/kiosk/complaints").get_data(as_text=True)
    assert "Follow-up score 4/10" in html and "8001" in html
    client.set_cookie("floor_lang", "zh")
    assert "受理投诉" in client.get("/kiosk/complaints").get_data(as_text=True)
    assert "今日没有待回访" in client.get("/kiosk/followups").get_data(as_text=True)


def test_a_complaint_step_out_of_order_shows_its_code(garage, client):
    """GIVEN a complaint taken in at the kiosk WHEN it is closed before it is resolved THEN the page says why (409)."""
    token = csrf_token(client, "/kiosk/complaints")
    form = {"csrf_token": token, "channel": "phone", "category": "price", "text": "Too dear", "badge": "ADV1"}
    assert client.post("/kiosk/complaints", data=form).status_code == 303
    r = client.post("/kiosk/complaints/1/close", data={"csrf_token": token, "note": "x", "badge": "SUP1"})
    assert r.status_code == 409 and "complaint_step_order" in r.get_data(as_text=True)
    bad = client.post("/kiosk/complaints", data={**form, "category": "weather"})
    assert bad.status_code == 400 and "bad_complaint_field" in bad.get_data(as_text=True)
    unknown = client.post("/kiosk/complaints", data={**form, "workorder": "NOPE"})
    assert unknown.status_code == 404 and "unknown_wo" in unknown.get_data(as_text=True)


def test_reception_check_flags_a_car_back_within_30_days(garage, client, pinned_clock):
    """GIVEN a job delivered by Li Wei WHEN its plate is checked 9 days later THEN the page flags the comeback with the
    earlier job, its concern and the suggestion; an unknown plate says so."""
    receive(garage, "8101", concern="Clutch slips")
    deliver(garage, "8101")
    pinned_clock.advance(timedelta(days=9))
    html = client.get("/kiosk/comeback?vehicle=沪A12345").get_data(as_text=True)
    assert 'id="cb-flag"' in html and "8101" in html and "Clutch slips" in html and "Li Wei" in html
    assert "unknown_vehicle" in client.get("/kiosk/comeback?vehicle=XX999").get_data(as_text=True)


def test_the_board_and_the_job_card_flag_a_comeback_until_dismissed(garage, client, pinned_clock):
    """GIVEN a job delivered WHEN the car comes in again 4 days later THEN its job card and the board mark it as a
    comeback of the earlier job; once the advisor dismisses it the board mark goes."""
    receive(garage, "8201", concern="Rattle")
    deliver(garage, "8201")
    pinned_clock.advance(timedelta(days=4))
    receive(garage, "8202", concern="Rattle again")
    card = client.get("/kiosk/workorders/8202/card").get_data(as_text=True)
    assert 'id="cb-flag"' in card and 'data-of="8201"' in card
    assert 'class="comeback-mark" data-of="8201"' in client.get("/kiosk/board").get_data(as_text=True)
    r = client.post("/api/workorders/8202/comeback", json={"badge": "ADV1", "of": "8201", "confirmed": False})
    assert r.status_code == 200
    assert "comeback-mark" not in client.get("/kiosk/board").get_data(as_text=True)


def test_the_reports_page_draws_the_complaint_statistics(garage, client):
    """GIVEN two price complaints and one about time WHEN /kiosk/reports is opened THEN the complaints picture has a
    bar per category with its count, and the after-sales figures are shown (zh too)."""
    for category in ("price", "price", "time"):
        body = {"badge": "ADV1", "channel": "phone", "category": category, "text": "Not happy"}
        assert client.post("/api/complaints", json=body).status_code == 201
    html = client.get("/kiosk/reports").get_data(as_text=True)
    chart = html.split('id="chart-complaints"')[1].split("</figure>")[0]
    assert ">price<" in chart and ">time taken<" in chart and ">2<" in chart and ">1<" in chart
    assert 'id="chart-comebacks"' in html
    client.set_cookie("floor_lang", "zh")
    assert ">价格<" in client.get("/kiosk/reports").get_data(as_text=True)
