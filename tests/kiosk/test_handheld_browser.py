"""The handheld page (SPEC 9.6) in headless Chromium at phone size: offline scans, reloads, exactly once, camera."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from floor.models import CountLine, Location, Part, ScanEvent, StockLevel
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.kiosk.conftest import shot

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def _watch(context: Any) -> list[str]:
    """Collect the context's JavaScript errors and Content-Security-Policy violations (both fail a test)."""
    errors: list[str] = []
    context.on("weberror", lambda err: errors.append(str(err.error)))
    context.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" and "Content Security Policy" in msg.text else None,
    )
    return errors


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A fresh phone-sized browser context (its own storage), failing the test on any JavaScript error."""
    context = browser.new_context(**PHONE)
    errors = _watch(context)
    yield context
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def _post(url: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    req = urllib.request.Request(f"{url}{path}", json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def _open(context: Any, url: str, station: str = "handheld-1") -> Any:
    pg = context.new_page()
    pg.goto(f"{url}/handheld/{station}")
    pg.wait_for_function("() => document.body.dataset.ready === '1' && document.body.dataset.cached === '1'")
    return pg


def _type(pg: Any, text: str, end: str = "Enter") -> None:
    """Type text like a keystroke scanner (DataWedge and the like), ending it with Enter or Tab."""
    pg.keyboard.type(text, delay=2)
    pg.keyboard.press(end)


NEWEST_SEQ = "() => Math.max(0, ...[...document.querySelectorAll('#scans li')].map(li => Number(li.dataset.seq)))"
NEW_ROW = """([after, text]) => {
  const li = [...document.querySelectorAll('#scans li')].find(
    (li) => Number(li.dataset.seq) > after && li.querySelector('.text').textContent === text);
  return li ? {seq: li.dataset.seq, device: li.dataset.device} : null;
}"""


def _type_scan(pg: Any, text: str, end: str = "Enter", typed: bool = True) -> Any:
    """Type a scan (or, typed=False, press `end` on what the field holds); return ITS row once shown.

    The row is found by its seq, newer than any row before: the same text is often scanned twice
    (a bin to receive into, then to move from), so a row found by its text may be the older one.
    """
    after = pg.evaluate(NEWEST_SEQ)
    if typed:
        _type(pg, text, end)
    else:
        pg.keyboard.press(end)
    row = pg.wait_for_function(NEW_ROW, arg=[after, text]).json_value()
    return pg.locator(f"#scans li[data-device='{row['device']}'][data-seq='{row['seq']}']")


def _only_row(pg: Any, text: str) -> Any:
    """The one row of a scan the page made itself (a tapped button): its text occurs once in the list."""
    rows = pg.locator("#scans li").filter(has=pg.locator(".text", has_text=re.compile(f"^{re.escape(text)}$")))
    expect(rows).to_have_count(1)
    return rows


def _wait_state(row: Any, state: str) -> dict[str, str]:
    """Wait until a scan's row has `state` (the server's answer is stored and shown); its state, code and message."""
    try:
        expect(row).to_have_attribute("data-state", state)
    except AssertionError as exc:
        rows = row.page.locator("#scans li").all_inner_texts()
        raise AssertionError(f"{row} never became {state}: {rows}") from exc
    return {
        "state": row.get_attribute("data-state") or "",
        "code": row.get_attribute("data-code") or "",
        "msg": row.locator(".msg").text_content() or "",
    }


def _body_pending(pg: Any, n: int) -> None:
    """Wait until the page counts `n` scans not yet answered."""
    expect(pg.locator("body")).to_have_attribute("data-pending", str(n))


def _pending(pg: Any) -> int:
    return int(pg.evaluate("window.floorHandheld.pending()"))


def _counted(db: Any, count_id: int) -> dict[tuple[str, str], int]:
    with db.reading() as s:
        rows = s.execute(
            select(Location.code, Part.part_no, CountLine.counted)
            .join(Location, Location.id == CountLine.location_id)
            .join(Part, Part.id == CountLine.part_id)
            .where(CountLine.count_id == count_id)
        )
        return {(loc, p): int(n) for loc, p, n in rows}


def test_offline_stocktake_with_reload_is_applied_exactly_once(live_server, phone):
    """GIVEN a blind count and the handheld page signed in
    WHEN the network is cut, keystroke scans (Enter and Tab endings) count two bins, the tab is reloaded
    in between, and the network returns
    THEN every scan is shown pending at once, kept across the reload, sent once when online, and the count holds
    exactly what was scanned; sending the same scans again (a lost acknowledgement) changes nothing."""
    count_id = _post(live_server.url, "/api/counts", {"kind": "cycle", "locations": ["A-01-01", "B-02-01"]})["id"]
    pg = _open(phone, live_server.url)
    assert pg.evaluate("document.activeElement.id") == "scan"
    _wait_state(_type_scan(pg, "U:S001"), "ok")
    assert "Wang Fang" in pg.inner_text("#who-name") and "S001" not in pg.inner_text("#who-name")
    pg.click(f"#counts button[data-count='{count_id}']")
    _wait_state(_only_row(pg, f"CNT:{count_id}"), "ok")
    expect(pg.locator("#bin-list li")).to_have_count(2)
    assert "expected" not in pg.inner_text("#count-bins").lower()  # blind: no expected quantities
    device = pg.evaluate("document.body.dataset.device")

    phone.set_offline(True)
    queued = [
        _type_scan(pg, "L:A-01-01"),
        _type_scan(pg, "P:OF-100", end="Tab"),  # a DataWedge profile ending scans with Tab
        _type_scan(pg, "4006381333931"),  # the same part by its EAN
    ]
    assert _wait_state(queued[0], "pending")["state"] == "pending"
    _body_pending(pg, 3)
    expect(pg.locator("#net")).to_have_attribute("data-online", "0")

    resp = pg.reload()  # still offline: the service worker serves the page, IndexedDB still holds the scans
    assert resp is not None and resp.from_service_worker
    pg.wait_for_function("() => document.body.dataset.ready === '1'")
    assert [row.get_attribute("data-state") for row in queued] == ["pending"] * 3
    assert _pending(pg) == 3
    assert pg.evaluate("document.body.dataset.device") == device
    pg.click("#bin-list li[data-bin='B-02-01'] .bin")  # works offline from the cached lists
    queued.append(_only_row(pg, "L:B-02-01"))
    queued += [_type_scan(pg, "Q:2"), _type_scan(pg, "P:SP-200")]
    _body_pending(pg, 6)
    with live_server.db.reading() as s:  # only the sign-in and the count sheet reached the server
        assert s.scalar(select(func.count()).select_from(ScanEvent).where(ScanEvent.device == device)) == 2

    phone.set_offline(False)
    pg.evaluate("window.dispatchEvent(new Event('online'))")
    _body_pending(pg, 0)
    for row in queued:
        assert _wait_state(row, "ok")["state"] == "ok", row
    assert _counted(live_server.db, count_id) == {("A-01-01", "OF-100"): 2, ("B-02-01", "SP-200"): 2}
    with live_server.db.reading() as s:
        seqs = list(s.scalars(select(ScanEvent.seq).where(ScanEvent.device == device).order_by(ScanEvent.seq)))
    assert seqs == list(range(1, 9))

    # The acknowledgements were lost (all marked pending again): re-sent, answered "duplicate", applied once.
    pg.evaluate(
        """async () => { const d = await new Promise(r => { const q = indexedDB.open('floor-handheld'); q.onsuccess = () => r(q.result); });
        const tx = d.transaction('scans', 'readwrite'); const st = tx.objectStore('scans');
        const all = await new Promise(r => { const q = st.getAll(); q.onsuccess = () => r(q.result); });
        for (const s of all) { s.state = 'pending'; st.put(s); }
        await new Promise(r => tx.oncomplete = r); d.close(); }"""
    )
    pg.evaluate("window.floorHandheld.flush()")
    # Every row answered anew (the page's pending count was 0 before too, so it proves nothing here).
    expect(pg.locator("#scans li .state", has_text="already applied")).to_have_count(8)
    assert "already applied" in pg.inner_text("#scans li[data-seq='8']")
    assert _counted(live_server.db, count_id) == {("A-01-01", "OF-100"): 2, ("B-02-01", "SP-200"): 2}
    with live_server.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(ScanEvent).where(ScanEvent.device == device)) == 8
    shot(pg, "handheld-stocktake")


def test_closed_count_lost_role_and_storage_reset(live_server, phone):
    """GIVEN scans queued offline WHEN meanwhile the count is cancelled and the badge loses its role
    THEN the replay shows each rejection with the server's reason and a re-scan button, and applies nothing;
    AND after the browser's storage is cleared the page takes a new device id, so no old seq is sent again."""
    from floor.models import CountSession, User

    count_id = _post(live_server.url, "/api/counts", {"kind": "cycle", "locations": ["A-01-01"]})["id"]
    pg = _open(phone, live_server.url)
    _wait_state(_type_scan(pg, "U:S001"), "ok")
    _wait_state(_type_scan(pg, f"CNT:{count_id}"), "ok")
    first_device = pg.evaluate("document.body.dataset.device")
    phone.set_offline(True)
    bin_row = _type_scan(pg, "L:A-01-01")
    _type_scan(pg, "P:OF-100")
    _body_pending(pg, 2)
    with live_server.db.writing() as s:
        s.execute(CountSession.__table__.update().where(CountSession.id == count_id).values(status="cancelled"))
    phone.set_offline(False)
    pg.evaluate("window.dispatchEvent(new Event('online'))")
    _body_pending(pg, 0)
    row = _wait_state(bin_row, "rejected")
    assert row["code"] == "count_closed" and f"Count {count_id}" in row["msg"]
    expect(bin_row.locator(".rescan")).to_be_visible()
    assert pg.evaluate("document.body.dataset.lastFeedback") == "bad"
    assert _counted(live_server.db, count_id) == {}

    # The badge loses its role while the handheld is offline: its move is refused with the reason.
    with live_server.db.writing() as s:
        s.scalar(select(User).where(User.badge == "S001")).role = "advisor"
    phone.set_offline(True)
    rows = {
        text: _type_scan(pg, text) for text in ("CMD:DONE", "U:S001", "CMD:MOVE", "L:A-01-01", "P:SP-200", "L:A-01-02")
    }
    _body_pending(pg, 6)
    phone.set_offline(False)
    pg.evaluate("window.dispatchEvent(new Event('online'))")
    row = _wait_state(rows["CMD:MOVE"], "rejected")
    assert row["code"] == "role_denied" and "Wang Fang" in row["msg"] and "advisor" in row["msg"], row
    assert _wait_state(rows["P:SP-200"], "rejected")["code"] == "no_mode"  # nothing moved without the mode
    # Correct it: the role is fixed, "Scan again" puts the text back into the field, Enter sends it anew.
    with live_server.db.writing() as s:
        s.scalar(select(User).where(User.badge == "S001")).role = "storekeeper"
    rows["CMD:MOVE"].locator(".rescan").click()
    assert pg.input_value("#scan") == "CMD:MOVE"
    assert _wait_state(_type_scan(pg, "CMD:MOVE", typed=False), "ok")["state"] == "ok"
    for text in ("L:A-01-01", "P:SP-200", "L:A-01-02"):
        assert _wait_state(_type_scan(pg, text), "ok")["state"] == "ok", text
    with live_server.db.reading() as s:
        moved = s.scalar(
            select(StockLevel.qty)
            .join(Location, Location.id == StockLevel.location_id)
            .join(Part, Part.id == StockLevel.part_id)
            .where(Part.part_no == "SP-200", Location.code == "A-01-02")
        )
    assert moved == 1  # the corrected move, once

    # Storage reset: a new device id, seqs start again under it, nothing of the old device is re-sent.
    with live_server.db.reading() as s:
        before = s.scalar(select(func.count()).select_from(ScanEvent).where(ScanEvent.device == first_device))
    pg.evaluate(
        "new Promise(r => { const q = indexedDB.deleteDatabase('floor-handheld'); q.onsuccess = q.onblocked = r; })"
    )
    pg.reload()
    pg.wait_for_function("() => document.body.dataset.ready === '1'")
    second_device = pg.evaluate("document.body.dataset.device")
    assert second_device != first_device
    assert _wait_state(_type_scan(pg, "U:S001"), "ok")["state"] == "ok"
    with live_server.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(ScanEvent).where(ScanEvent.device == first_device)) == before
        assert list(s.scalars(select(ScanEvent.seq).where(ScanEvent.device == second_device))) == [1]


def test_seq_never_goes_backwards_when_the_server_knows_more(live_server, phone):
    """GIVEN a device whose stored counter went backwards (server already holds seq 1..5 of it)
    WHEN the page starts THEN it asks the server and numbers the next scan 6, so that scan is applied, not
    answered as a duplicate of an old one."""
    pg = _open(phone, live_server.url)
    device = pg.evaluate("document.body.dataset.device")
    texts = ["U:S001", "CMD:DONE", "U:S001", "CMD:DONE", "U:S001"]
    body = {
        "station": "handheld-1",
        "device": device,
        "scans": [{"data": t, "seq": i + 1} for i, t in enumerate(texts)],
    }
    assert all(r["ok"] for r in _post(live_server.url, "/api/scans", body)["results"])
    pg.reload()
    pg.wait_for_function("() => document.body.dataset.ready === '1'")
    row = _type_scan(pg, "U:S001")
    answer = _wait_state(row, "ok")
    assert "already applied" not in row.inner_text(), answer
    assert row.get_attribute("data-seq") == "6"


def test_receipt_and_move(live_server, phone):
    """GIVEN an open delivery WHEN the storekeeper receives it on the handheld and then moves a part
    THEN stock is booked into the bin and moved, the lookup shows the new bins, and the pick list shows
    first that nothing is to pick, then a job's held part with its bin."""
    _post(
        live_server.url,
        "/api/deliveries",
        {"supplier": "Bosch", "reference": "PO-77", "lines": [{"part_no": "SP-200", "qty": 4}]},
    )
    pg = _open(phone, live_server.url, "dock-1")
    _wait_state(_type_scan(pg, "U:S001"), "ok")
    pg.click("#tasks button[data-task='receive']")
    pg.click("#deliveries button[data-delivery='PO-77']")
    _wait_state(_only_row(pg, "DLV:PO-77"), "ok")
    for text in ("L:R-00-01", "Q:4", "P:SP-200"):
        assert _wait_state(_type_scan(pg, text), "ok")["state"] == "ok", text
    pg.click("#tasks button[data-task='move']")
    _wait_state(_only_row(pg, "CMD:MOVE"), "ok")
    for text in ("L:R-00-01", "P:SP-200", "L:A-01-02"):  # the bin and the part a second time: their new rows
        assert _wait_state(_type_scan(pg, text), "ok")["state"] == "ok", text
    with live_server.db.reading() as s:  # the server answers after its commit: the row's "ok" means stored
        levels = dict(
            s.execute(
                select(Location.code, StockLevel.qty)
                .join(Location, Location.id == StockLevel.location_id)
                .join(Part, Part.id == StockLevel.part_id)
                .where(Part.part_no == "SP-200")
            ).all()
        )
    assert levels.get("R-00-01") == 3 and levels.get("A-01-02") == 1 and levels.get("A-01-01") == 16, levels
    pg.click("#tasks button[data-task='lookup']")
    _type(pg, "P:SP-200")  # a look-up, not a scan: no row
    expect(pg.locator("#lookup-result")).to_have_attribute("data-found", "SP-200")
    assert "A-01-02: 1" in pg.inner_text("#lookup-result")

    # The pick list says when it is empty (a blank panel could not be told from one still loading) ...
    picks = pg.locator("#picks")
    pg.click("#tasks button[data-task='pick']")
    expect(picks).to_have_attribute("data-state", "loaded")
    expect(picks).to_have_text("Nothing to pick.")
    # ... and lists a job's held part with the bin to take it from once one is asked for.
    asked = _post(
        live_server.url, "/api/workorders/1001/requests", {"badge": "T001", "lines": [{"part_no": "SP-200", "qty": 2}]}
    )
    assert asked["lines"][0]["reserved"] == 2, asked
    pg.click("#tasks button[data-task='pick']")
    expect(picks.locator("button")).to_have_text(["1001 · SP-200 × 2 · A-01-01"])
    shot(pg, "handheld-receive")


def _fake_camera_file(tmp_path: Path) -> Path:
    """A y4m video of a rendered QR code (opencv's encoder), for Chromium's fake camera."""
    import cv2
    import numpy as np

    qr = cv2.QRCodeEncoder.create().encode("P:OF-100")
    qr = cv2.resize(qr, None, fx=8, fy=8, interpolation=cv2.INTER_NEAREST)
    frame = np.full((480, 640), 255, np.uint8)
    y, x = (480 - qr.shape[0]) // 2, (640 - qr.shape[1]) // 2
    frame[y : y + qr.shape[0], x : x + qr.shape[1]] = qr
    bgr = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    yuv = cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV_I420)
    path = tmp_path / "qr.y4m"
    with path.open("wb") as fh:
        fh.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            fh.write(b"FRAME\n" + yuv.tobytes())
    return path


def test_camera_decodes_a_fake_video_stream(live_server, browser, tmp_path):
    """GIVEN Chromium's fake camera showing a QR code WHEN the camera button is pressed
    THEN the code is read (BarcodeDetector, else floor's frame decoder) and queued as a scan."""
    video = _fake_camera_file(tmp_path)
    args = [*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"]  # fmt: skip
    # A second Chromium of the same Playwright (the fake camera is a launch flag), closed by the test.
    b = browser.browser_type.launch(executable_path=CHROMIUM, args=args, headless=True)
    try:
        context = b.new_context(**PHONE, permissions=["camera"])
        errors = _watch(context)
        pg = _open(context, live_server.url)
        _wait_state(_type_scan(pg, "U:T001"), "ok")
        pg.click("#camera")
        row = _wait_state(_only_row(pg, "P:OF-100"), "rejected")  # a part without a job: read, sent, refused
        assert row["code"], row
        assert pg.evaluate("document.body.dataset.decoder") in ("browser", "server")
        assert pg.is_hidden("#camera-view")
        assert not errors, f"JavaScript errors: {errors}"
    finally:
        b.close()
