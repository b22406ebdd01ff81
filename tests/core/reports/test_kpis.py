"""Every KPI against a value worked out by hand on the fixed October store (tests/fixtures/reports.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from floor import clock
from floor.core.reports.kpis import kpis
from floor.core.reports.period import Period, month_period

OCT = month_period("2026-10")
# Opening value 170; each October move's value times the days it stays in the month (to 1 Nov 00:00);
# the moves are at 08:00 (1/3 of their day gone), the count adjustment at 09:00 (9/24 gone).
STAYS = [(-10, 26), (-40, 21), (10, 16), (20, 16), (60, 11), (4, 6)]  # (value, days from its day's start)
WEIGHTED = sum(v * (d - 1 / 3) for v, d in STAYS) + -5 * (7 - 9 / 24)  # = 16.208…
AVERAGE = 170 + WEIGHTED / 31
COST = 40  # issues 10 + 40, less the returned 10

# Reads "now" (dead stock up to today, months that have ended): also run under a shifted machine clock.
pytestmark = pytest.mark.clock


def _kpis(db, period: Period = OCT) -> dict:
    with db.reading() as s:
        return kpis(s, period, clock.now())


def test_stock_value_turnover_and_days_of_supply(store, db):
    """GIVEN the October moves WHEN the KPIs are computed THEN value, turnover and days of supply are as by hand."""
    r = _kpis(db)
    value = r["details"]["stock_value"]
    assert value["opening"] == 170.0
    assert value["closing"] == 209.0  # 170 - 10 - 40 + 10 + 20 + 60 - 5 + 4
    assert value["average"] == pytest.approx(AVERAGE, abs=0.005) == pytest.approx(170.52, abs=0.005)
    assert r["parts_cost_total"] == COST
    assert r["turnover"] == pytest.approx(round(COST / AVERAGE, 4))  # 0.2346
    assert r["days_of_supply"] == pytest.approx(AVERAGE * 31 / COST, abs=0.06)  # 132.2 days
    assert r["details"]["units_consumed"] == 5  # 2 + 4 - 1


def test_stockouts_count_part_days_at_zero_while_demanded(store, db):
    """GIVEN P2 (warning line 2) at zero from 6 Oct until the receipt on 16 Oct THEN 10 part-days; P1 never ran out."""
    r = _kpis(db)
    assert r["stockouts"] == 10
    assert r["details"]["stockouts"] == {"part_days": 10, "parts": 1}


def test_stockouts_of_a_part_never_stocked_count_every_day(store, db):
    """GIVEN a period in which P2 had nothing from the start WHEN counted THEN every day of it is a stock-out day."""
    r = _kpis(db, Period(OCT.first.replace(day=7), OCT.first.replace(day=9)))
    assert r["stockouts"] == 3


def test_count_accuracy_per_count_class_and_zone(store, db):
    """GIVEN one count of two bins, one with a shortage of 1 × P2 THEN bins 1/2 and value 1 − 5/210."""
    r = _kpis(db)
    acc = r["details"]["count_accuracy"]
    assert r["count_accuracy"] == 0.5
    assert acc["value_accuracy"] == round(1 - 5 / 210, 4)
    (count,) = acc["counts"]
    assert (count["bins"], count["bins_without_variance"]) == (2, 1)
    assert acc["by_class"]["A"]["accuracy"] == 1.0
    assert acc["by_class"]["B"] == {"lines": 1, "lines_without_variance": 0, "accuracy": 0.0, "value_accuracy": 0.75}
    assert acc["by_class"]["C"]["lines"] == 2 and acc["by_class"]["C"]["accuracy"] == 1.0
    assert acc["by_zone"] == {
        "A": {"bins": 1, "bins_without_variance": 0, "accuracy": 0.0},
        "B": {"bins": 1, "bins_without_variance": 1, "accuracy": 1.0},
    }


def test_returns_rate(store, db):
    """GIVEN one unit returned (a cancelled return does not count) of 5 consumed THEN 0.2."""
    r = _kpis(db)
    assert r["returns_rate"] == 0.2
    assert r["details"]["returns"] == {"units_returned": 1, "units_consumed": 5, "rate": 0.2}


def test_core_return_rate_and_age(store, db):
    """GIVEN cores due in October: C1 back, C2 due, C3 waived; C1 (3 days) and C4 (7 days) came back in October."""
    r = _kpis(db)
    assert r["core_return_rate"] == 0.5
    cores = r["details"]["cores"]
    assert (cores["due"], cores["returned"], cores["waived"]) == (2, 1, 1)
    assert cores["average_age_days"] == 5.0 and cores["max_age_days"] == 7.0


def test_dead_stock_value_at_period_end(store, db):
    """GIVEN P3 (last issued March 2025, 2 left) and P4 (never issued, 6) THEN dead value 2×20 + 6×4 = 64."""
    assert _kpis(db)["dead_stock_value"] == 64.0


def test_the_spec_keys_and_what_is_not_in_this_build(store, db):
    """Every SPEC 9.5 key is present; every KPI has its records now, so none is reported unavailable."""
    r = _kpis(db)
    for key in (
        "turnover",
        "days_of_supply",
        "fill_rate",
        "count_accuracy",
        "returns_rate",
        "rework_rate",
        "core_return_rate",
        "stockouts",
        "dead_stock_value",
        "sales_total",
        "parts_cost_total",
    ):
        assert key in r
    assert r["details"]["unavailable"] == {}
    # the store has no request lines, QC verdicts or sales: ratios null, money zero
    assert r["fill_rate"] is None and r["rework_rate"] is None and r["sales_total"] == 0.0


def test_days_of_supply_of_a_period_not_over_counts_the_days_gone(store, db):
    """GIVEN October looked at on the 27th at noon (every move made by then) WHEN the KPIs are computed
    THEN days of supply divide the consumption by the 26.5 days gone, not by October's 31."""
    with db.reading() as s:
        r = kpis(s, OCT, datetime(2026, 10, 27, 12, tzinfo=UTC))
    assert r["days_of_supply"] == pytest.approx(AVERAGE * 26.5 / COST, abs=0.06)  # 113.0 days, not 132.2


def test_an_empty_period_has_no_ratios(store, db):
    """GIVEN a period in 2024 with nothing in it THEN ratios are null, totals zero."""
    r = _kpis(db, Period(OCT.first.replace(year=2024), OCT.last.replace(year=2024)))
    assert r["turnover"] is None and r["days_of_supply"] is None and r["returns_rate"] is None
    assert r["parts_cost_total"] == 0.0 and r["stockouts"] == 2 * 0 + 31  # P2 has a warning line and nothing yet
