"""SPEC 9.4 in headless Chromium: the reception form, the signature pad (mouse and touch), the board at 1920×1080."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select

from floor.models import JobSignature, WorkOrder
from tests.conftest import page_errors
from tests.kiosk.conftest import shot, wait_for
from tests.kiosk.reception_server import reception_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

LONG_VEHICLES = (
    "Volkswagen Passat Variant 2.0 TSI Highline 4Motion",
    "Mercedes-Benz GLE 450 4MATIC Coupé AMG Line",
    "丰田凯美瑞 2.5L 混合动力 旗舰版 Toyota Camry Hybrid",
    "Land Rover Range Rover Sport P400e Autobiography",
)


def _live(pg) -> None:  # type: ignore[no-untyped-def]
    wait_for(pg, "document.body.dataset.live === '1'")


def test_reception_form_in_browser(reception_server, page):  # noqa: F811
    """GIVEN the reception page WHEN an advisor fills it in and sends it THEN the job card shows the plate and the
    WO: barcode image, and the job is stored with its key tag."""
    page.goto(f"{reception_server.url}/kiosk/reception")
    page.fill("#f-plate", "沪C 24680")
    page.fill("#f-vin", "LSVAB4185E2123456")
    page.fill("#f-vehicle", "Skoda Octavia")
    page.fill("#f-customer", "Feng")
    page.fill("#f-mileage", "88000")
    page.fill("#f-fuel", "25")
    page.fill("#f-belongings", "sunglasses")
    page.check("input[name=old_parts][value=return]")
    page.check("input[name=wash][value=no]")
    page.fill("#f-key", "KEY-77")
    page.fill("#f-badge", "ADV1")
    page.click("#reception-submit")
    page.wait_for_selector("#card-number")
    number = page.inner_text("#card-number")
    assert re.fullmatch(r"261123-\d{3}", number) and page.inner_text("#card-plate") == "沪C24680"
    assert page.evaluate("document.querySelector('#card-barcode').naturalWidth") > 100  # the WO: label rendered
    shot(page, "reception-card")
    with reception_server.db.reading() as s:
        wo = s.scalar(select(WorkOrder).where(WorkOrder.number == number))
        assert (wo.mileage, wo.fuel_pct, wo.old_parts, wo.wash, wo.advisor) == (88000, 25, "return", False, "Liu Yang")


def _ink(png: bytes) -> int:
    return sum(Image.open(io.BytesIO(png)).convert("L").histogram()[:128])  # dark pixels


@pytest.mark.parametrize("pointer", ["mouse", "touch"])
def test_signature_pad_draw_keep_and_deliver(reception_server, browser, pointer):  # noqa: F811
    """GIVEN a ready job on the hand-over page WHEN the customer signs with the mouse or a finger THEN keeping it
    without a badge is refused with what to do next (nothing stored, the drawing stays, the badge field focused);
    WHEN the advisor's badge is in THEN the drawn PNG is stored, and DELIVER delivers it with a gate pass link."""
    srv = reception_server
    srv.post("/api/reception", {"badge": "ADV1", "number": "3001", "plate": "沪D11111", "vehicle": "Kia K5"})
    results = srv.scan("kiosk-1", "U:T001", "WO:3001", "CMD:START", "CMD:QC", "U:F001", "CMD:PASS", "CMD:READY")
    assert all(r["ok"] for r in results), results
    context = browser.new_context(viewport={"width": 1280, "height": 900}, has_touch=pointer == "touch")
    pg = context.new_page()
    errors = page_errors(pg)
    pg.goto(f"{srv.url}/kiosk/delivery/3001")
    box = pg.locator("#sig-pad").bounding_box()
    assert box is not None
    x0, y0 = box["x"] + 40, box["y"] + box["height"] / 2
    if pointer == "mouse":
        pg.mouse.move(x0, y0)
        pg.mouse.down()
        for i in range(1, 30):
            pg.mouse.move(x0 + i * 15, y0 + (20 if i % 2 else -20))
        pg.mouse.up()
    else:  # a finger: real touch input through the DevTools protocol, which Chromium turns into touch pointer events
        cdp = context.new_cdp_session(pg)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
        for i in range(1, 30):
            point = {"x": x0 + i * 15, "y": y0 + (25 if i % 2 else -25)}
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        assert pg.evaluate("window.floorLastPointer") == "touch"
    assert pg.is_enabled("#sig-save")
    pg.click("#sig-save")  # no badge yet: the server refuses and the page says whose badge to bring
    wait_for(pg, "document.getElementById('sig-state').dataset.code === 'no_actor'", timeout=5000)
    assert "Service advisor / Foreman / Supervisor" in pg.inner_text("#sig-state")
    assert pg.evaluate("document.activeElement.id") == "deliver-badge" and pg.is_enabled("#sig-save")
    with srv.db.reading() as s:
        assert s.scalar(select(JobSignature)) is None
    pg.fill("#deliver-badge", "ADV1")
    pg.click("#sig-save")
    wait_for(pg, "document.getElementById('sig-state').dataset.signed === '1'")  # the server stored it
    with srv.db.reading() as s:
        sig = s.scalar(select(JobSignature))
        assert sig is not None and (sig.width, sig.height) == (800, 300)
        assert sig.png.startswith(b"\x89PNG") and _ink(sig.png) > 200  # the stroke is in the image
    pg.click("#deliver-btn")  # the badge given for the signature is the form's
    pg.wait_for_selector("#gatepass-link")
    shot(pg, f"delivery-signed-{pointer}")
    assert pg.locator("#sig-stored").is_visible()
    with srv.db.reading() as s:
        assert s.scalar(select(WorkOrder.status).where(WorkOrder.number == "3001")) == "delivered"
    context.close()
    assert not errors, errors


OVERFLOW_JS = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('table.board th, table.board td, table.board td *')) {
    if (!el.clientWidth) continue;  // inline text runs have no box of their own: their cell is checked
    if (el.scrollWidth > el.clientWidth + 1) bad.push(el.className + ': ' + el.textContent.trim().slice(0, 60));
  }
  return bad;
}"""


def test_board_at_1920_shows_every_field_whole(reception_server, page):  # noqa: F811
    """GIVEN 40 open jobs with long vehicles, plates, advisors, technicians and keys out WHEN the board is shown at
    1920×1080 THEN no cell's text overflows, all 40 rows fit on the screen, and key holders show live."""
    srv = reception_server
    items = [
        {
            "number": f"{4000 + i}",
            "vehicle": f"{LONG_VEHICLES[i % 4]}",
            "customer": f"Customer {i}",
            "plate": f"沪A{10000 + i}",
            "advisor": "Ouyang Xiaoming" if i % 2 else "Liu Yang",
            "promised_at": f"2026-11-{20 + i % 8:02d}T{8 + i % 10:02d}:30:00Z",
            "estimate_minutes": "90",
        }
        for i in range(38)
    ]
    assert srv.post("/api/workorders", {"items": items})["ok"]
    for i in range(0, 38, 3):
        srv.scan("counter-1", "U:T002", f"WO:{4000 + i}", "P:OF-100", "CMD:START", "CMD:DONE")
    srv.post("/api/workorders/4001/tags", {"code": "FOB-4001", "kind": "key"})
    page.goto(f"{srv.url}/kiosk/board")
    _live(page)
    assert page.locator("tr.job").count() == 40  # 38 + the shop's open 1001 and 1002: one full screen
    srv.scan("keys-1", "U:F001", "FOB-4001")
    page.wait_for_selector("#job-4001 .key-holder")
    assert page.inner_text("#job-4001 .key-holder") == "Zhao Lei"
    assert page.inner_text("#job-4001 .plate") == "沪A10001"
    assert "Ouyang Xiaoming" in page.inner_text("#job-4001 .advisor")
    promised = page.inner_text("#job-4002 .prom")
    assert re.fullmatch(r"\d{2}-\d{2} \d{2}:\d{2}|\d{2}:\d{2}", promised), promised
    path = shot(page, "board-1920-reception")
    assert page.evaluate(OVERFLOW_JS) == []
    bottom = page.evaluate(
        "Math.max(...[...document.querySelectorAll('tr.job')].map(r => r.getBoundingClientRect().bottom))"
    )
    assert bottom <= 1080, f"rows run below the screen ({bottom}px); see {path}"
    page.goto(f"{srv.url}/kiosk/board?lang=zh")  # the Chinese board too
    page.wait_for_selector("#job-4001 .key-holder")
    shot(page, "board-1920-reception-zh")
    assert page.evaluate(OVERFLOW_JS) == []


def test_hand_over_page_in_chinese_asks_for_the_badge_first(reception_server, page):  # noqa: F811
    """GIVEN the hand-over page in Chinese WHEN shown THEN the badge field and its prompt come before the pad;
    WHEN a technician's badge keeps a drawn signature THEN refused in Chinese, saying whose badge to bring."""
    srv = reception_server
    srv.post("/api/reception", {"badge": "ADV1", "number": "3002", "plate": "沪D22222", "vehicle": "Kia K3"})
    results = srv.scan("kiosk-1", "U:T001", "WO:3002", "CMD:START", "CMD:QC", "U:F001", "CMD:PASS", "CMD:READY")
    assert all(r["ok"] for r in results), results
    page.goto(f"{srv.url}/kiosk/delivery/3002?lang=zh")
    assert "请先扫描或输入您的工牌" in page.inner_text("#badge-needed")
    badge, pad = page.locator("#deliver-badge").bounding_box(), page.locator("#sig-pad").bounding_box()
    assert badge is not None and pad is not None and badge["y"] < pad["y"]
    page.mouse.move(pad["x"] + 40, pad["y"] + 60)
    page.mouse.down()
    for i in range(1, 15):
        page.mouse.move(pad["x"] + 40 + i * 20, pad["y"] + 60 + (15 if i % 2 else -15))
    page.mouse.up()
    page.fill("#deliver-badge", "T001")
    page.click("#sig-save")
    wait_for(page, "document.getElementById('sig-state').dataset.code === 'role_denied'", timeout=5000)
    state = page.inner_text("#sig-state")
    assert "Li Wei 是技师" in state and "交车需要服务顾问 / 车间主管 / 主管的工牌" in state, state
    shot(page, "delivery-badge-refused-zh")
    with srv.db.reading() as s:
        assert s.scalar(select(JobSignature)) is None
