"""Badges out of sight (SPEC 10.6, issue 24): a badge identifies a person but is used as a credential.

After a day's work by people with distinctive badges (scans, a status move, a key out, QC, a customer
return, a badge label printed), every page and every GET answer of the API (JSON, CSV, HTML, SVG),
read by anyone, names the people by name and role and never carries a badge in full. Only the admin
page's user list may, for a supervisor unlocked there.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from floor.core.master import Importer
from floor.db import Database
from floor.models import Location, PrintJob, WorkOrder

SUP, TECH, STORE = "SUPX93817462", "TECX28461937", "STOX55120934"
BADGES = (SUP, TECH, STORE)
PEOPLE = [
    {"badge": SUP, "name": "Sun Quan", "role": "supervisor"},
    {"badge": TECH, "name": "Ma Chao", "role": "technician"},
    {"badge": STORE, "name": "Gao Shun", "role": "storekeeper"},
]
# Routes that are no page or answer about the shop's people: a stream, files, the language switch, admin.
SKIP = re.compile(r"^/(kiosk/events|kiosk/static|handheld/static|static|kiosk/lang|kiosk/enrol|kiosk/admin)")
ARGS = {
    "number": "1001",
    "station": "counter-1",
    "name": "counter-1",
    "device": "counter-dev",
    "count_id": "1",
    "delivery_id": "1",
    "return_id": "1",
    "shipment_id": "1",
    "part_no": "ALT-300",
}


def test_the_one_mask_hides_a_badge() -> None:
    """GIVEN badges long and short WHEN masked THEN at most their last two characters show, a short one nothing."""
    from floor.core.authority import mask_badge, masked_scan_text, person_shown

    assert mask_badge("SUPX93817462") == "••••62" and mask_badge("T001") == "••••" and mask_badge("") == ""
    assert masked_scan_text("U:SUP1") == "U:••••" and masked_scan_text("u: SUPX93817462 ") == "U:••••62"
    assert masked_scan_text("WO:1001") == "WO:1001"
    assert person_shown("Li Wei", "technician") == {"name": "Li Wei", "role": "technician"}
    assert person_shown(None, None) is None


@pytest.fixture
def busy_day(shop: Database, client: Any) -> Database:
    """A day's work by people whose badges would be easy to spot in any answer."""
    with shop.writing() as s:
        imp = Importer(s)
        for row in PEOPLE:
            imp.apply("users", row)
        imp.apply("locations", {"code": "Q-01", "name": "Returns quarantine", "zone": "Q", "kind": "quarantine"})
        imp.finish()

    def scans(*texts: str, station: str = "counter-1") -> list[dict[str, Any]]:
        body = {"station": station, "device": f"{station}-dev", "scans": [{"data": t} for t in texts]}
        resp = client.post("/api/scans", json=body)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return list(resp.get_json()["results"])

    done = scans(f"U:{TECH}", "WO:1001", "P:ALT-300", "Q:2", "P:OF-100", "CMD:START", "CMD:QC")
    assert [r["ok"] for r in done] == [True] * 7, done
    assert scans(f"U:{SUP}", "WO:1001", "CMD:PASS")[-1]["code"] == "qc_passed"
    r = client.post("/api/workorders/1001/requests", json={"badge": TECH, "lines": [{"part_no": "SP-200", "qty": 1}]})
    assert r.status_code in (200, 201), r.get_data(as_text=True)
    r = client.post("/api/workorders/1002/status", json={"status": "in_progress", "badge": TECH})
    assert r.status_code == 200, r.get_data(as_text=True)
    r = client.post("/api/workorders/1002/key", json={"action": "out", "badge": TECH})
    assert r.status_code == 200, r.get_data(as_text=True)
    body = {"part_no": "OF-100", "qty": 1, "reason": "quality_defect", "work_order": "1001", "badge": STORE}
    r = client.post("/api/returns", json={**body, "location": "Q-01"})
    assert r.status_code == 201, r.get_data(as_text=True)
    with shop.writing() as s:  # a badge label printed earlier (the labels page lists recent jobs)
        s.add(PrintJob(printer="zebra-1", kind="badge", object_id=SUP, payload="^XA^XZ", status="printed"))
        assert s.scalar(select(Location.id).where(Location.code == "Q-01"))
        assert s.scalar(select(WorkOrder.key_holder_id).where(WorkOrder.number == "1002"))
    assert scans(f"U:{SUP}", station="counter-2")[0]["code"] == "actor_set"  # a supervisor badged in
    return shop


def _urls(app: Any) -> list[str]:
    out = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or SKIP.match(rule.rule):
            continue
        if any(a not in ARGS for a in rule.arguments):
            continue
        out.append(rule.build({a: ARGS[a] for a in rule.arguments})[1] if rule.arguments else rule.rule)
    return sorted(set(out))


def test_no_page_or_answer_shows_a_badge(busy_day: Database, app: Any, client: Any) -> None:
    """GIVEN the busy day WHEN every page and GET answer is read (no token) THEN none carries a badge in full,
    and the pages the probe found name the people instead."""
    urls = _urls(app)
    extra = [
        "/kiosk/counter/counter-2",
        "/api/stations/counter-2",
        "/api/workorders?status=in_progress",
        "/api/cores?status=all",
        "/api/returns",
        "/kiosk/keys",
    ]
    seen: dict[str, str] = {}
    leaks = []
    for url in urls + extra:
        resp = client.get(url)
        assert resp.status_code < 500, url
        text = resp.get_data(as_text=True)
        resp.close()
        seen[url] = text
        leaks += [(url, b) for b in BADGES if b.lower() in text.lower()]
    assert not leaks
    assert len(urls) > 40  # the sweep really covers the app
    counter = seen["/kiosk/counter/counter-2"]
    assert "Sun Quan" in counter and "U:••••62" in counter
    assert "Ma Chao" in seen["/api/workorders/1001"] and "Sun Quan" in seen["/api/workorders/1001"]
    assert "Ma Chao" in seen["/kiosk/board"] and "Gao Shun" in seen["/api/returns/1"]
    assert "••••62" in seen["/kiosk/labels"] and "Sun Quan" in seen["/kiosk/delivery/1001"]


def test_answers_to_writes_name_people_too(busy_day: Database, client: Any) -> None:
    """GIVEN the busy day WHEN a key goes out by API and a badge is scanned THEN the answers name the person."""
    r = client.post("/api/workorders/1001/key", json={"action": "out", "badge": TECH})
    assert r.status_code == 200 and r.get_json()["key"]["holder"] == {"name": "Ma Chao", "role": "technician"}
    body = {"station": "counter-1", "device": "counter-1-dev", "scans": [{"data": f"U:{SUP}"}]}
    result = client.post("/api/scans", json=body).get_json()["results"][0]
    assert result["effects"]["actor"] == {"name": "Sun Quan", "role": "supervisor"} and SUP not in str(result)
