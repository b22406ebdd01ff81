"""Dead stock: no issue or sale in N days, by bin, valued, with the suggestion rule; JSON and CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from floor import clock
from floor.core.reports.deadstock import dead_stock, suggestion

# Reads "now" (dead stock up to today, months that have ended): also run under a shifted machine clock.
pytestmark = pytest.mark.clock


def test_dead_stock_lines_by_bin_with_suggestions(store, client):
    """GIVEN P3 last issued in March 2025 and P4 never issued WHEN asked for 180 days THEN both bins, valued."""
    resp = client.get("/api/reports/dead-stock")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["days"] == 180
    lines = {(line["part_no"], line["location"]): line for line in body["lines"]}
    assert set(lines) == {("P3", "B-01"), ("P4", "B-01")}  # P3 in the scrap bin is not stock
    p3, p4 = lines[("P3", "B-01")], lines[("P4", "B-01")]
    assert (p3["qty"], p3["value"], p3["last_issue"][:10]) == (2, 40.0, "2025-03-01")
    assert p3["suggestion"] == "scrap" and p3["age_band"] == "365_729"  # no supplier, no demand for 360 days
    assert (p4["qty"], p4["value"], p4["last_issue"]) == (6, 24.0, None)
    assert p4["suggestion"] == "return_to_supplier" and p4["supplier"] == "=Mann"  # received in March 2026
    assert body["summary"]["value"] == 64.0
    assert body["summary"]["by_suggestion"] == {"return_to_supplier": 24.0, "scrap": 40.0}


def test_a_longer_window_makes_slow_stock_alive(store, client):
    """GIVEN days=700 WHEN P3 was issued 632 days ago and P4 received 265 days ago THEN neither is dead (stock that
    arrived within the window has not been on the shelf for it); days=200 leaves P4 dead again."""
    lines = client.get("/api/reports/dead-stock?days=700").get_json()["lines"]
    assert [line["part_no"] for line in lines] == []
    lines = client.get("/api/reports/dead-stock?days=200").get_json()["lines"]
    assert "P4" in [line["part_no"] for line in lines]


def test_opening_stock_is_not_dead_on_day_one_and_a_warning_line_is_never_scrapped(db):
    """GIVEN an opening stock imported today (an oil filter with a reorder point, a bulb without) THEN nothing is dead
    today; 200 days on, never issued, both are dead: the bulb is to be scrapped, the oil filter's warning line
    reviewed instead (a part kept in stock on purpose is never suggested for scrapping)."""
    from floor.core.master import Importer

    with db.writing() as s:
        imp = Importer(s)
        imp.apply("locations", {"code": "A-01", "name": "A", "zone": "A"})
        imp.apply("parts", {"part_no": "OF-1", "name": "Oil filter", "unit_cost": "8", "reorder_point": "10"})
        imp.apply("parts", {"part_no": "BL-1", "name": "Bulb", "unit_cost": "1"})
        imp.apply("stock", {"part_no": "OF-1", "location": "A-01", "qty": "20"})
        imp.apply("stock", {"part_no": "BL-1", "location": "A-01", "qty": "50"})
        imp.finish()
    now = clock.now()
    with db.reading() as s:
        assert dead_stock(s, now, 180, now) == []
        later = now + timedelta(days=200)
        lines = {line["part_no"]: line for line in dead_stock(s, later, 180, later)}
    assert lines["OF-1"]["last_receive"][:10] == now.date().isoformat()  # the import counts as its receipt
    assert (lines["OF-1"]["suggestion"], lines["BL-1"]["suggestion"]) == ("review_reorder_point", "scrap")


def test_dead_stock_as_of_a_past_instant_uses_the_quantity_then(store, db):
    """GIVEN the +1 adjustment of P4 on 26 Oct WHEN asked as of 25 Oct THEN P4 had 5."""
    as_of = clock.now().replace(month=10, day=25, hour=12)
    with db.reading() as s:
        lines = {line["part_no"]: line for line in dead_stock(s, as_of, 180, clock.now())}
    assert lines["P4"]["qty"] == 5 and lines["P3"]["qty"] == 2


def test_suggestion_rule():
    """The rule: a recent receipt with a supplier → return; else recent demand → transfer; else scrap."""
    now = clock.now()
    recent, old = now - timedelta(days=100), now - timedelta(days=500)
    assert suggestion(True, "Bosch", old, recent, now, 180) == "return_to_supplier"
    assert suggestion(True, None, now - timedelta(days=200), recent, now, 180) == "transfer"
    assert suggestion(True, "Bosch", old, old, now, 180) == "scrap"
    assert suggestion(False, "Bosch", old, recent, now, 180) == "scrap"
    assert suggestion(True, None, old, old, now, 180, warning_line=True) == "review_reorder_point"


def test_dead_stock_csv_neutralises_formula_text(store, client):
    """GIVEN a supplier named '=Mann' WHEN exported THEN the cell starts with an apostrophe."""
    resp = client.get("/api/reports/dead-stock.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    p4 = next(r for r in rows if r["part_no"] == "P4")
    assert p4["supplier"] == "'=Mann" and p4["value"] == "24.0"


def test_bad_days_is_a_400(store, client):
    """Days that are not a whole number from 1 to 3650 are refused with a JSON error."""
    for bad in ("0", "-5", "abc", "99999", "²", "１２", "٣"):  # digits outside ASCII are not numbers here
        resp = client.get(f"/api/reports/dead-stock?days={bad}")
        assert resp.status_code == 400, bad
        assert "days" in resp.get_json()["error"]
