"""SPEC 10.1-10.3 kiosk pages in headless Chromium, in en and zh: the vehicle file at reception, the repair order
(concerns, lines, the customer's yes with the signature pad), the printable estimate, the technician's page (touch,
scan, live from the change feed), the technicians on the reports page, the board's clocked/sold hours; and the whole
flow from the VIN at reception to READY."""

from __future__ import annotations

import json
import re
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from floor.models import ClockRecord, RepairLine, User, WorkOrder
from tests.conftest import make_config
from tests.kiosk.conftest import shot, wait_for
from tests.repair_factories import VIN, load_repair_shop

pytestmark = pytest.mark.browser

TEXTS = {
    "en": {
        "warranty": "In warranty",
        "added": "The line is added",
        "kept": "The customer's answer is kept.",
        "pays": "The customer pays",
        "on": "Clocked on.",
    },
    "zh": {
        "warranty": "保修期内",
        "added": "项目已添加",
        "kept": "客户答复已保存。",
        "pays": "客户应付",
        "on": "已开始计时。",
    },
}


@dataclass
class Garage:
    """The app served on 127.0.0.1 with the repair shop: base URL, app and database."""

    url: str
    app: Any
    db: Any

    def post(self, path: str, body: dict[str, Any]) -> Any:
        req = urllib.request.Request(
            f"{self.url}{path}", json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())

    def scan(self, *texts: str) -> list[dict[str, Any]]:
        body = {"station": "kiosk-1", "device": "api", "scans": [{"data": t} for t in texts]}
        return self.post("/api/scans", body)["results"]

    def lines(self, number: str) -> list[RepairLine]:
        with self.db.reading() as s:
            wo = s.scalar(select(WorkOrder.id).where(WorkOrder.number == number))
            return list(s.scalars(select(RepairLine).where(RepairLine.work_order_id == wo).order_by(RepairLine.id)))

    def user_id(self, badge: str) -> int:
        with self.db.reading() as s:
            return int(s.scalar(select(User.id).where(User.badge == badge)))


@pytest.fixture
def garage(tmp_path: Path, sqlite_template: Path) -> Iterator[Garage]:
    from werkzeug.serving import make_server

    from floor.core.catalog import forget_catalogs
    from floor.db import Database
    from floor.service.factory import create_app
    from tests.factories import load_small_shop

    forget_catalogs()
    path = tmp_path / "floor.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}", "NORMAL")
    load_small_shop(db)
    load_repair_shop(db)
    app = create_app(make_config(billing={"labour_rate": 380, "tax_pct": 13}), db, {"TESTING": True})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Garage(f"http://127.0.0.1:{server.server_port}", app, db)
    server.shutdown()
    db.dispose()
    forget_catalogs()


def _receive(g: Garage, number: str = "6001") -> None:
    g.post("/api/reception", {"badge": "ADV1", "number": number, "plate": "沪A12345", "vin": VIN, "mileage": 61000})


def _sign(pg: Any) -> None:
    pg.locator("#consent-pad").scroll_into_view_if_needed()
    box = pg.locator("#consent-pad").bounding_box()
    assert box is not None
    pg.mouse.move(box["x"] + 30, box["y"] + box["height"] / 2)
    pg.mouse.down()
    for i in range(1, 25):
        pg.mouse.move(box["x"] + 30 + i * 20, box["y"] + box["height"] / 2 + (15 if i % 2 else -15))
    pg.mouse.up()
    wait_for(pg, "document.getElementById('consent-pad').dataset.drawn === '1'")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_vehicle_file_at_reception(garage, page, lang):
    """GIVEN reception WHEN the advisor scans the VIN (Code 39, leading I) THEN the vehicle file shows the job with its
    mileage and the warranty in the kiosk's language; a VIN with a wrong check digit says so (400), never a 500."""
    _receive(garage)
    page.goto(f"{garage.url}/kiosk/reception?lang={lang}")
    page.fill("#reception-vehicle-q", "I" + VIN)
    page.press("#reception-vehicle-q", "Enter")
    expect(page.locator("#v-vin")).to_have_text(VIN)
    expect(page.locator("#v-warranty")).to_have_text(TEXTS[lang]["warranty"])
    expect(page.locator("#vjob-6001")).to_contain_text("61,000")
    shot(page, f"vehicle-file-{lang}")
    page.fill("#vehicle-q", "1M8GDM9A1KP042788")
    page.press("#vehicle-q", "Enter")
    expect(page.locator("#vehicle-error")).to_have_attribute("data-code", "bad_vin_check")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_repair_order_lines_answer_and_estimate(garage, page, lang):
    """GIVEN a received car WHEN the advisor writes the concern, adds a labour line by touch, tries a part line of
    quantity 0 (refused, nothing added), and the customer signs yes on the pad THEN the lines show authorized with
    who and how, the totals with tax, and the estimate prints in the same language."""
    _receive(garage)
    page.goto(f"{garage.url}/kiosk/workorders/6001/repair?lang={lang}")
    page.fill("#concern-text", "Brakes squeal 刹车异响")
    page.fill("#concern-badge", "ADV1")
    page.click("#concern-add")
    expect(page.locator("#concerns .concern-text")).to_have_text("Brakes squeal 刹车异响")
    page.select_option("#line-op", "BRK-FRT")
    page.fill("#line-badge", "ADV1")
    page.click("#line-submit")
    expect(page.locator("#repair-done")).to_contain_text(TEXTS[lang]["added"])
    page.check("input[name=kind][value=part]")
    page.fill("#line-part", "BP-400")
    page.fill("#line-qty", "0")
    page.fill("#line-badge", "ADV1")
    page.click("#line-submit")
    expect(page.locator("#repair-error")).to_have_attribute("data-code", "bad_request_qty")
    assert len(garage.lines("6001")) == 1
    (line,) = garage.lines("6001")
    page.check(f"input[name=answer-{line.id}][value=yes]")
    page.check("input[name=how][value=signature]")
    _sign(page)
    page.fill("#answer-badge", "ADV1")
    page.click("#answer-submit")
    expect(page.locator("#repair-done")).to_have_text(TEXTS[lang]["kept"])
    expect(page.locator(f"#line-{line.id}")).to_have_attribute("data-status", "authorized")
    expect(page.locator("#decisions .decision")).to_contain_text("Liu Yang")
    expect(page.locator("#total-due")).to_have_text("515.28")
    shot(page, f"repair-order-{lang}")
    page.click("#ro-estimate")
    expect(page.locator("#est-due")).to_have_text("515.28")
    expect(page.locator("body")).to_contain_text(TEXTS[lang]["pays"])
    shot(page, f"estimate-{lang}")


def _started(g: Garage) -> int:
    """Job 6001 with an authorized brakes line, started: the line's id."""
    from floor.models.repair import LineStatus  # noqa: F401  (the statuses the asserts name)

    _receive(g)
    line = g.post("/api/workorders/6001/lines", {"badge": "ADV1", "kind": "labour", "op": "BRK-FRT", "pay": "customer"})
    g.post("/api/workorders/6001/authorize", {"badge": "ADV1", "lines": [line["id"]], "how": "phone"})
    assert all(r["ok"] for r in g.scan("U:T001", "WO:6001", "CMD:START"))
    return int(line["id"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_technician_page_touch_scan_and_live(garage, page, lang):
    """GIVEN a started job WHEN the technician opens their page by badge and clocks on by touch THEN the clock runs;
    WHEN a scanner clocks them off (CMD:STOP elsewhere) THEN the page shows it by the change feed; WHEN they type
    OP:<line> into the page's scan field THEN they are on again; another person's badge is refused on the page."""
    line = _started(garage)
    page.goto(f"{garage.url}/kiosk/technician?lang={lang}")
    page.fill("#tech-start-badge", "T001")
    page.press("#tech-start-badge", "Enter")
    expect(page.locator(f"#tline-{line}")).to_be_visible()
    wait_for(page, "document.body.dataset.live === '1'")
    page.fill("#tech-badge", "T001")
    page.click(f"#tech-on-{line}")
    expect(page.locator("#tech-result")).to_have_text(TEXTS[lang]["on"])
    expect(page.locator("#tech-clock")).to_have_attribute("data-on", str(line))
    assert garage.scan("U:T001", "CMD:STOP")[-1]["code"] == "clocked_off"
    expect(page.locator("#tech-clock")).to_have_attribute("data-on", "")  # live, no reload
    page.fill("#tech-scan-text", f"OP:{line}")
    page.press("#tech-scan-text", "Enter")
    expect(page.locator("#tech-clock")).to_have_attribute("data-on", str(line))
    expect(page.locator("#tech-scan-text")).to_have_value("")
    page.fill("#tech-badge", "ADV1")
    page.click("#tech-stop")
    expect(page.locator("#tech-error")).to_have_attribute("data-code", "not_your_page")
    with garage.db.reading() as s:
        assert s.scalar(select(ClockRecord.line_id).where(ClockRecord.off_at.is_(None))) == line
    shot(page, f"technician-{lang}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_reports_and_board_show_clocked_vs_sold(garage, page, pinned_clock, lang):
    """GIVEN a technician who clocked 54 minutes on a 1.2 h line and finished it WHEN the reports page and the board
    open THEN the technicians' chart and table show 0.90 clocked, 1.20 sold, 133 %; the board shows 0.90/1.20 h."""
    from datetime import timedelta

    line = _started(garage)
    garage.scan("U:T001", f"OP:{line}")
    pinned_clock.advance(timedelta(minutes=54))
    page.goto(f"{garage.url}/kiosk/board?lang={lang}")
    expect(page.locator("#job-6001 .est-hours")).to_have_text(re.compile(r"0\.9\d/1\.20 h"))
    garage.scan("U:T001", "CMD:FINISH")
    page.goto(f"{garage.url}/kiosk/reports?lang={lang}")
    expect(page.locator("#chart-technicians svg")).to_be_visible()
    row = page.locator("#technicians-table .tech-row")
    expect(row).to_contain_text("Li Wei")
    expect(row.locator(".tech-eff")).to_have_text(re.compile(r"13[23]%"))
    shot(page, f"reports-technicians-{lang}")


def test_whole_flow_vin_to_ready(garage, page):
    """GIVEN a registered car WHEN reception scans its VIN, receives it from the file, writes the concern, adds the
    lines, prints the estimate, the customer signs yes to one and no to the other, the technician clocks on and
    finishes by touch, QC passes THEN READY is accepted and the board shows the job ready."""
    page.goto(f"{garage.url}/kiosk/reception?lang=en")
    page.fill("#reception-vehicle-q", "VIN:" + VIN)
    page.press("#reception-vehicle-q", "Enter")
    page.click("#v-receive")
    expect(page.locator("#f-vin")).to_have_value(VIN)
    page.fill("#f-number", "6101")
    page.fill("#f-mileage", "62000")
    page.fill("#f-badge", "ADV1")
    page.click("#reception-submit")
    expect(page.locator("#card-number")).to_have_text("6101")
    page.goto(f"{garage.url}/kiosk/vehicles?q={VIN}")
    page.click("#v-open-job")
    page.fill("#concern-text", "Squeal when braking")
    page.fill("#concern-badge", "ADV1")
    page.click("#concern-add")
    for op in ("BRK-FRT", "DIAG"):
        page.select_option("#line-op", op)
        page.fill("#line-badge", "ADV1")
        page.click("#line-submit")
        expect(page.locator("#repair-done")).to_be_visible()
    brakes, diag = (ln.id for ln in garage.lines("6101"))
    page.click("#ro-estimate")
    expect(page.locator("#est-due")).to_have_text("729.98")  # (1.2 + 0.5) h × 380 = 646.00, + 13 % tax 83.98
    page.go_back()
    page.check(f"input[name=answer-{brakes}][value=yes]")
    page.check(f"input[name=answer-{diag}][value=no]")
    page.check("input[name=how][value=signature]")
    _sign(page)
    page.fill("#answer-badge", "ADV1")
    page.click("#answer-submit")
    expect(page.locator(f"#line-{diag}")).to_have_attribute("data-status", "declined")
    assert garage.scan("U:T001", "WO:6101", "CMD:START")[-1]["code"] == "status_changed"
    page.goto(f"{garage.url}/kiosk/technician/{garage.user_id('T001')}")
    page.fill("#tech-badge", "T001")
    page.click(f"#tech-on-{brakes}")
    expect(page.locator("#tech-clock")).to_have_attribute("data-on", str(brakes))
    page.click("#tech-finish")
    expect(page.locator(f"#tline-{brakes}")).to_have_attribute("data-done", "1")
    assert garage.scan("U:T001", "WO:6101", "CMD:QC")[-1]["code"] == "status_changed"
    garage.post("/api/workorders/6101/qc", {"badge": "F001", "result": "pass"})
    ready = garage.scan("U:F001", "WO:6101", "CMD:READY")[-1]
    assert ready["code"] == "status_changed", ready
    page.goto(f"{garage.url}/kiosk/board")
    expect(page.locator("#job-6101")).to_have_attribute("data-status", "ready")
    page.goto(f"{garage.url}/kiosk/vehicles?q={VIN}")
    expect(page.locator(f"#declined-{diag}")).to_be_visible()
    shot(page, "repair-flow-ready")


def test_technician_page_on_a_handheld(garage, browser):
    """GIVEN a handheld (a 400×800 touch screen) WHEN the technician opens their page from the handheld's list and
    taps "clock on" THEN they are on the line; the buttons are at least 48 px for a gloved finger, nothing overflows."""
    from tests.conftest import page_errors

    line = _started(garage)
    context = browser.new_context(viewport={"width": 400, "height": 800}, has_touch=True, is_mobile=True)
    pg = context.new_page()
    errors = page_errors(pg)
    pg.goto(f"{garage.url}/handheld/?lang=zh")
    pg.click("#handheld-my-work")
    pg.fill("#tech-start-badge", "T001")
    pg.press("#tech-start-badge", "Enter")
    button = pg.locator(f"#tech-on-{line}")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 48
    pg.fill("#tech-badge", "T001")
    button.tap()
    expect(pg.locator("#tech-clock")).to_have_attribute("data-on", str(line))
    assert pg.evaluate("document.documentElement.scrollWidth") <= 400 + 1
    shot(pg, "technician-handheld")
    context.close()
    assert not errors, errors
