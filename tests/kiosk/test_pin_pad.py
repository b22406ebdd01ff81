"""The PIN pad on the kiosk's approval forms (SPEC 10.6): numeric, touch-sized, and the approval needs it."""

from __future__ import annotations

import pytest

from tests.kiosk.conftest import shot, wait_for
from tests.kiosk.helpers import csrf_token
from tests.web.demand.helpers import ask, scan


def test_counter_approval_form_has_a_pin_pad_and_needs_the_pin(shop, client, app, cfg):
    """GIVEN a line awaiting approval at the counter WHEN the page is read THEN its form has a numeric PIN field and
    keys; WHEN approved with the badge alone or a wrong PIN THEN refused with the reason; with the PIN THEN reserved."""
    cfg.raw["requisition"] = {"approval_value": 100}
    line = ask(client, "1001", [("ALT-300", 1)]).get_json()["lines"][0]
    scan(app.extensions["floor"].service, "U:T001", "WO:1001")
    html = client.get("/kiosk/counter/counter-1?lang=en").get_data(as_text=True)
    form = html.split('class="inline-form approve-form"')[1].split("</form>")[0]
    assert 'name="pin"' in form and 'inputmode="numeric"' in form and 'type="password"' in form
    assert form.count("data-key=") == 12
    assert "PIN pad" in form and "密码键盘" in client.get("/kiosk/counter/counter-1?lang=zh").get_data(as_text=True)
    token = csrf_token(client, "/kiosk/counter/counter-1")
    url = f"/kiosk/counter/counter-1/requests/{line['id']}/approve"
    bare = client.post(url + "?lang=en", data={"badge": "SUP1"}, headers={"X-CSRFToken": token})
    assert bare.headers["HX-Trigger"] == "scan-rejected" and "PIN is needed" in bare.get_data(as_text=True)
    wrong = client.post(url + "?lang=en", data={"badge": "SUP1", "pin": "0000"}, headers={"X-CSRFToken": token})
    assert wrong.headers["HX-Trigger"] == "scan-rejected" and "Wrong PIN" in wrong.get_data(as_text=True)
    ok = client.post(url, data={"badge": "SUP1", "pin": "2468"}, headers={"X-CSRFToken": token})
    assert ok.headers["HX-Trigger"] == "scan-accepted"
    assert client.get("/api/workorders/1001").get_json()["requests"][0]["status"] == "reserved"


@pytest.mark.browser
def test_pin_pad_in_the_browser(live_server, page):
    """GIVEN the counter page with a line awaiting approval WHEN the supervisor types the badge and taps the PIN
    on the pad (with a correction) THEN the keys are touch-sized and the line is approved."""
    live_server.app.extensions["floor"].cfg.raw["requisition"] = {"approval_value": 100}
    with live_server.app.test_client() as client:
        line = ask(client, "1001", [("ALT-300", 1)]).get_json()["lines"][0]
    assert line["status"] == "awaiting_approval"
    scan(live_server.app.extensions["floor"].service, "U:T001", "WO:1001")
    page.goto(f"{live_server.url}/kiosk/counter/counter-1?lang=en")
    form = page.locator(".approve-form")
    form.locator("input[name=badge]").fill("SUP1")
    for key in ["2", "4", "6", "9", "back", "8"]:
        form.locator(f".pin-key[data-key='{key}']").click()
    assert form.locator("input[name=pin]").input_value() == "2468"
    box = form.locator(".pin-key[data-key='5']").bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44
    shot(page, "pin-pad")
    form.locator("button[type=submit]").click()
    wait_for(page, "document.querySelector('#job-requests').textContent.includes('Reserved')")
