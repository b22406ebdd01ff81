"""ABC classes from 12-month issue value, the scheduler, the Pareto picture, and the count plan's due list."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from floor import clock
from floor.config.settings import count_settings
from floor.core.counts.abc import classify, start_abc_scheduler
from floor.core.counts.plans import due_bins
from floor.core.counts.settings import CountSettings
from floor.core.master import Importer
from floor.models import Part, StockMove, WorkOrder
from tests.waiting import wait_for
from tests.web.counts.conftest import scan


def _abc(db) -> dict[str, tuple[str | None, str | None]]:
    with db.reading() as s:
        return {pn: (abc, ov) for pn, abc, ov in s.execute(select(Part.part_no, Part.abc, Part.abc_override))}


def _issue_history(shop, service):
    """Issues worth 420.00 (ALT-300), 25.50 - 8.50 returned (OF-100), 8.50 (SP-200); BP-400 only 13 months ago."""
    res = scan(
        service,
        "counter-1",
        "U:T001",
        "WO:1001",
        "Q:2",
        "P:ALT-300",
        "Q:3",
        "P:OF-100",
        "Q:2",
        "P:SP-200",
        "CMD:RETURN",
        "P:OF-100",
    )
    assert all(r.ok for r in res), [r.code for r in res if not r.ok]
    with shop.writing() as s:
        wo = s.scalar(select(WorkOrder.id).where(WorkOrder.number == "1002"))
        part = s.scalar(select(Part).where(Part.part_no == "BP-400"))
        loc = s.scalar(select(StockMove.location_id).where(StockMove.part_id == part.id))
        s.add(
            StockMove(
                part_id=part.id,
                location_id=loc,
                qty=-1,
                reason="issue",
                work_order_id=wo,
                unit_cost=Decimal("35.00"),
                at=clock.now() - timedelta(days=400),
            )
        )


@pytest.mark.clock  # reads "now" (12 months back, today's due list)
def test_classes_from_twelve_months_of_net_issue_value(shop, service, client):
    """GIVEN 12-month net issue values ALT 420, OF 17, SP 8.50 and BP only older than a year
    WHEN ABC is recomputed (80/15/5) THEN ALT is A, OF B, SP and BP C; a manual override wins in the API."""
    _issue_history(shop, service)
    res = client.post("/api/abc/recompute")
    assert res.status_code == 200
    body = res.get_json()
    assert body["total_value"] == "445.50" and body["changed"] == 4
    assert {p["part_no"]: p["computed"] for p in body["parts"]} == {
        "ALT-300": "A",
        "OF-100": "B",
        "SP-200": "C",
        "BP-400": "C",
    }
    assert _abc(shop)["ALT-300"] == ("A", None)
    with shop.writing() as s:
        s.execute(update(Part).where(Part.part_no == "SP-200").values(abc_override="A"))
    again = client.post("/api/abc/recompute", json={"cutoffs": [80, 15, 5]}).get_json()
    assert again["changed"] == 0 and again["classes"] == {"A": 2, "B": 1, "C": 1}
    assert client.get("/api/parts/SP-200").get_json()["abc"] == "A"
    assert _abc(shop)["SP-200"] == ("C", "A")


def test_cutoffs_are_configurable_and_checked(shop, service, client):
    """GIVEN the history WHEN cut-offs 95/4/1 are used THEN OF-100 (cumulative before it 94.3 %) is A too;
    WHEN cut-offs do not add up to 100 THEN 400."""
    _issue_history(shop, service)
    body = client.post("/api/abc/recompute", json={"cutoffs": [95, 4, 1]}).get_json()
    assert {p["part_no"]: p["computed"] for p in body["parts"]}["OF-100"] == "A"
    bad = client.post("/api/abc/recompute", json={"cutoffs": [90, 20, 5]})
    assert bad.status_code == 400 and "100" in bad.get_json()["error"]


def test_classify_ranks_by_value_and_top_part_is_always_a():
    """GIVEN values 900, 60, 30, 10, 0 WHEN classified 80/15/5 THEN A, B, C, C, C (the part crossing 80 % starts B)."""
    rows = classify([(i, f"P{i}", Decimal(v), None) for i, v in enumerate([10, 900, 0, 30, 60])], (80, 15, 5))
    assert [(r.part_no, r.computed) for r in rows] == [("P1", "A"), ("P4", "B"), ("P3", "C"), ("P0", "C"), ("P2", "C")]
    assert rows[0].cumulative == 90.0
    only = classify([(1, "X", Decimal(5), None)], (80, 15, 5))
    assert only[0].computed == "A"
    assert [r.computed for r in classify([(1, "Y", Decimal(0), None)], (80, 15, 5))] == ["C"]


@pytest.mark.clock  # reads "now" (12 months back, today's due list)
def test_scheduler_recomputes_until_stopped(shop, service):
    """GIVEN issues on record WHEN the scheduler runs every 50 ms THEN classes are stored and it stops on request."""
    _issue_history(shop, service)
    sched = start_abc_scheduler(shop, 0.05)
    try:
        assert wait_for(lambda: sched.runs >= 2)
    finally:
        sched.stop()
    assert sched.runs >= 2 and not sched.is_alive()
    assert _abc(shop)["ALT-300"][0] == "A"


def test_pareto_and_progress_pictures(shop, service, client):
    """GIVEN the history and an open count WHEN the kiosk fetches the Pareto curve and the progress picture
    THEN both are well-formed SVG with the classes and zones named."""
    _issue_history(shop, service)
    res = client.get("/api/abc/pareto.svg")
    assert res.status_code == 200 and res.mimetype == "image/svg+xml"
    root = ET.fromstring(res.get_data(as_text=True))
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "A (1)" in texts and "B (1)" in texts and "C (2)" in texts
    assert root.find("{http://www.w3.org/2000/svg}polyline") is not None
    count_id = client.post("/api/counts", json={"kind": "full"}).get_json()["id"]
    svg = client.get(f"/api/counts/{count_id}/progress.svg")
    root = ET.fromstring(svg.get_data(as_text=True))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"A", "B"} <= set(texts) and "0/2 (0%)" in texts


def _many_bins(db, per_class: dict[str, int]) -> None:
    """Bins X-<cls>-<n>, each holding one part of that class."""
    with db.writing() as s:
        imp = Importer(s)
        for cls, n in per_class.items():
            imp.apply("parts", {"part_no": f"PART-{cls}", "name": cls, "unit_cost": "1", "abc": cls})
            for i in range(n):
                imp.apply("locations", {"code": f"X-{cls}-{i:03d}", "name": "", "zone": "X"})
                imp.apply("stock", {"part_no": f"PART-{cls}", "location": f"X-{cls}-{i:03d}", "qty": "1"})
        imp.finish()


def test_due_list_spreads_each_class_evenly_over_the_year(db):
    """GIVEN 60 A bins, 91 B bins and 73 C bins WHEN the due list is taken for every day of a year
    THEN each A bin is due every 30 days, each B bin every 91, each C bin once, and no day carries a pile-up."""
    _many_bins(db, {"A": 60, "B": 91, "C": 73})
    settings = CountSettings(full_count=None)
    per_bin: Counter[str] = Counter()
    per_day = []
    start = date(2027, 1, 1)
    with db.reading() as s:
        for d in range(365):
            due = due_bins(s, start + timedelta(days=d), settings)
            per_day.append(len(due))
            per_bin.update(b["location"] for b in due)
    assert {per_bin[f"X-A-{i:03d}"] for i in range(60)} <= {12, 13}
    assert {per_bin[f"X-B-{i:03d}"] for i in range(91)} <= {4, 5}
    assert {per_bin[f"X-C-{i:03d}"] for i in range(73)} == {1}
    assert max(per_day) - min(per_day) <= 2  # about 2 A + 1 B + 0.2 C a day


@pytest.mark.clock  # reads "now" (12 months back, today's due list)
def test_full_count_day_and_due_api(db, client):
    """GIVEN the full count on 12-31 WHEN the due list of that day is asked THEN every store bin is due as 'full';
    WHEN a cycle count is opened without bins THEN it takes today's due bins."""
    _many_bins(db, {"A": 30})
    body = client.get("/api/counts/due?date=2026-12-31").get_json()
    assert body["full_count"] is True and len(body["bins"]) == 30 and {b["why"] for b in body["bins"]} == {"full"}
    today = client.get("/api/counts/due").get_json()
    assert len(today["bins"]) == (30 if today["full_count"] else 1)
    res = client.post("/api/counts", json={"kind": "cycle"})
    assert res.status_code == 201
    view = client.get(f"/api/counts/{res.get_json()['id']}").get_json()
    assert view["bins"] == len(today["bins"])
    after = client.get("/api/counts/due").get_json()
    assert all(b["in_count"] == res.get_json()["id"] for b in after["bins"])


def test_counts_config_is_read_and_checked():
    """GIVEN a [counts] table WHEN read THEN values apply; WHEN a value is impossible THEN a ConfigError names it."""
    import pytest

    from floor.config import ConfigError
    from tests.conftest import make_config

    s = count_settings(make_config(counts={"frequency": {"A": 24}, "recount_qty": 0, "full_count": ""}))
    assert s.frequency == {"A": 24, "B": 4, "C": 1} and s.recount_qty == 0 and s.full_count is None
    assert s.over_threshold(1, Decimal("0.01")) and not CountSettings().over_threshold(2, Decimal("100.00"))
    for bad in (
        {"abc_cutoffs": [50, 50]},
        {"frequency": {"D": 1}},
        {"full_count": "02-30"},
        {"recount_value": "lots"},
        {"recount_qty": -1},
    ):
        with pytest.raises(ConfigError, match=r"\[counts\]"):
            count_settings(make_config(counts=bad))
