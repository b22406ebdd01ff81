"""The handheld page's server side (SPEC 9.6): page, manifest, service worker, state, look-ups, seq, frame decode."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import pytest

from floor.core import enrolment
from tests.conftest import make_config
from tests.kiosk.helpers import api_scans, csrf_token


def _qr_png(text: str) -> bytes:
    qr = cv2.QRCodeEncoder.create().encode(text)
    qr = cv2.resize(qr, None, fx=6, fy=6, interpolation=cv2.INTER_NEAREST)
    img = np.full((qr.shape[0] + 80, qr.shape[1] + 80), 255, np.uint8)
    img[40:-40, 40:-40] = qr
    return cv2.imencode(".png", img)[1].tobytes()


def test_page_for_handheld_stations_only(client, shop):
    """GIVEN the stations WHEN /handheld/<station> is opened THEN stocktake and receiving stations get the page
    (scan field, manifest, local assets only); counters and unknown stations are 404."""
    page = client.get("/handheld/handheld-1")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="scan"' in html and 'rel="manifest"' in html and "handheld.js" in html
    assert "http://" not in html and "https://" not in html  # nothing from a CDN
    assert client.get("/handheld/dock-1").status_code == 200
    assert client.get("/handheld/counter-1").status_code == 404
    assert client.get("/handheld/nowhere").status_code == 404
    assert "handheld-1" in client.get("/handheld/").get_data(as_text=True)
    zh = client.get("/handheld/handheld-1?lang=zh").get_data(as_text=True)
    assert "盘点" in zh and "扫描工牌登录" in zh


def test_manifest_service_worker_and_assets(client):
    """GIVEN the page WHEN the browser installs it THEN the manifest names icons that exist, and the service worker is
    served as JavaScript with a /handheld/ scope and no caching of itself."""
    man = client.get("/handheld/manifest.webmanifest?station=handheld-1")
    assert man.mimetype == "application/manifest+json"
    body = man.get_json()
    assert body["start_url"] == "/handheld/handheld-1" and body["scope"] == "/handheld/"
    for icon in body["icons"]:
        with client.get(icon["src"]) as got:
            assert got.status_code == 200, icon
    with client.get("/handheld/sw.js") as sw:
        assert sw.status_code == 200 and "javascript" in sw.mimetype
        assert sw.headers["Service-Worker-Allowed"] == "/handheld/" and sw.headers["Cache-Control"] == "no-cache"
        worker = sw.get_data(as_text=True)
    for asset in ("handheld.js", "handheld.css", "ok.wav", "bad.wav"):
        with client.get(f"/handheld/static/{asset}") as got:
            assert got.status_code == 200 and got.content_length and got.content_length > 100, asset
        assert f"/handheld/static/{asset}" in worker


@pytest.mark.clock  # the page stamps offline scans with the server's one clock
def test_state_is_blind_and_lists_open_work(client, shop):
    """GIVEN an open blind count and an open delivery WHEN the page asks for its lists THEN it gets the count's bins
    and progress but no expected quantity, the delivery, and the server's clock."""
    r = client.post("/api/counts", json={"kind": "cycle", "locations": ["A-01-01", "B-02-01"]})
    count_id = r.get_json()["id"]
    client.post(
        "/api/deliveries", json={"supplier": "Bosch", "reference": "PO-1", "lines": [{"part_no": "SP-200", "qty": 2}]}
    )
    api_scans(client, "handheld-1", "U:S001", f"CNT:{count_id}", "L:A-01-01", "P:OF-100")
    state = client.get("/handheld/handheld-1/state").get_json()
    (count,) = state["counts"]
    assert count["id"] == count_id and count["bins"] == 2 and count["bins_counted"] == 1
    assert count["bin_list"] == [{"code": "A-01-01", "counted": True}, {"code": "B-02-01", "counted": False}]
    assert "expected" not in str(count)
    assert [d["reference"] for d in state["deliveries"]] == ["PO-1"]
    assert state["now"].startswith("2026-11-23")


def test_last_seq_of_a_device(client, shop):
    """GIVEN scans of a device with seqs WHEN the page asks THEN it gets the highest seq; bad ids are a 400."""
    body = {"station": "handheld-1", "device": "hh-abc", "scans": [{"data": "U:S001", "seq": 7}]}
    assert client.post("/api/scans", json=body).status_code == 200
    assert client.get("/handheld/devices/hh-abc/last-seq").get_json()["last_seq"] == 7
    assert client.get("/handheld/devices/hh-new/last-seq").get_json()["last_seq"] == 0
    bad = client.get("/handheld/devices/a%20b/last-seq")
    assert bad.status_code == 400 and bad.get_json()["code"] == "bad_device"


def test_lookup_of_part_and_bin(client, shop):
    """GIVEN the small shop WHEN a part's EAN, its label or a bin is looked up THEN stock per bin comes back;
    an unknown part is 404, an unknown bin and an empty code 400 (the status table), with en and zh errors."""
    part = client.get("/handheld/lookup?code=4006381333931").get_json()
    assert part["kind"] == "part" and part["part_no"] == "OF-100" and part["bins"] == {"A-01-01": 10, "B-02-01": 4}
    assert client.get("/handheld/lookup?code=P:SP-200").get_json()["on_hand"] == 16
    loc = client.get("/handheld/lookup?code=L:B-02-01").get_json()
    assert loc == {"kind": "location", "code": "B-02-01", "zone": "B", "parts": {"OF-100": 4}}
    missing = client.get("/handheld/lookup?code=NOPE")
    assert missing.status_code == 404 and missing.get_json()["error_zh"]
    missing_bin = client.get("/handheld/lookup?code=L:Z-99")
    assert missing_bin.status_code == 400 and missing_bin.get_json()["code"] == "unknown_location"
    empty = client.get("/handheld/lookup?code=")
    assert empty.status_code == 400 and empty.get_json()["error_zh"] == "请扫描配件或库位"


def test_frame_decode_for_phones_without_barcode_detector(client):
    """GIVEN a camera frame with a QR code WHEN posted to the decoder THEN its text comes back with the AIM id;
    bytes that are not an image, or no bytes, are a 400 and never a 500."""
    token = csrf_token(client, "/handheld/handheld-1")
    headers = {"X-CSRFToken": token, "Content-Type": "image/png"}
    r = client.post("/handheld/handheld-1/decode", data=_qr_png("L:A-01-02"), headers=headers)
    assert r.status_code == 200 and r.get_json()["codes"] == [{"aim": "]Q1", "data": "L:A-01-02"}]
    assert client.post("/handheld/handheld-1/decode", data=b"not an image", headers=headers).status_code == 400
    assert client.post("/handheld/handheld-1/decode", data=b"", headers=headers).status_code == 400
    assert client.post("/handheld/handheld-1/decode", data=_qr_png("x")).status_code == 400  # no CSRF token
    assert client.post("/handheld/counter-1/decode", data=_qr_png("x"), headers=headers).status_code == 404


@pytest.fixture
def secured_app(db: Any, shop: Any) -> Any:
    """Tokens configured and enrolment required, as a production site runs."""
    from floor.service.factory import create_app

    cfg = make_config(api={"tokens": ["admin-token-0123456789"]}, kiosk={"require_enrolment": True})
    return create_app(cfg, db, {"TESTING": True})


@pytest.mark.clock  # enrolment expiry
def test_enrolled_handheld_posts_its_own_station_only(secured_app, db):
    """GIVEN tokens and required enrolment WHEN a browser not enrolled opens the page THEN 403; once enrolled as
    handheld-1 (`floor kiosk enrol`) the page opens and its scans go through POST /api/scans for handheld-1 only,
    and only with the page's header (a cross-site form cannot ride the cookie)."""
    client = secured_app.test_client()
    assert client.get("/handheld/handheld-1").status_code == 403
    with db.writing() as s:
        token = enrolment.issue(s, "handheld-1", 600)
    assert client.get(f"/kiosk/enrol/{token}").status_code == 200
    assert client.get("/handheld/handheld-1").status_code == 200
    assert client.get("/handheld/dock-1").status_code == 403
    hh = {"X-Floor-Handheld": "1"}
    body = {"station": "handheld-1", "device": "hh-1", "scans": [{"data": "U:S001", "seq": 1}]}
    ok = client.post("/api/scans", json=body, headers=hh)
    assert ok.status_code == 200 and ok.get_json()["results"][0]["ok"] is True
    other = client.post("/api/scans", json={**body, "station": "dock-1"}, headers=hh)
    assert other.status_code == 403 and other.get_json()["code"] == "station_denied"
    assert client.post("/api/scans", json={**body, "scans": [{"data": "U:S001", "seq": 2}]}).status_code == 401
    assert client.post("/api/parts", json={"part_no": "X-1", "name": "x"}, headers=hh).status_code == 401


def test_lookup_names_the_part_a_scan_takes(client, db):
    """GIVEN a code that is one part's number (SP-200) and another part's alias (of SP-201) WHEN it is looked up on
    the handheld and scanned at the counter, as a label (`P:SP-200`) and as a plain barcode (`SP-200`)
    THEN both name the same part each time: the label SP-200 by its number, the plain barcode SP-201 by its alias
    (the look-up once tried the alias first for the label too, and named SP-201 where the scan took SP-200)."""
    from tests.factories import load_small_shop

    alias = {"part_no": "SP-201", "name": "Spark plug (other make)", "unit_cost": "4.00", "barcodes": "SP-200"}
    load_small_shop(db, {"parts": [alias], "stock": [{"part_no": "SP-201", "location": "A-01-01", "qty": "5"}]})
    for text, part_no in (("P:SP-200", "SP-200"), ("SP-200", "SP-201")):
        looked_up = client.get(f"/handheld/lookup?code={text}").get_json()
        assert looked_up["part_no"] == part_no, text
        results = api_scans(client, "counter-1", "U:T001", "WO:1001", text)
        assert [r["ok"] for r in results] == [True, True, True], results
        assert [m["part_no"] for m in results[-1]["effects"]["moves"]] == [part_no], results[-1]
