"""The demo history's reports read like a real workshop's (issue 27): plausible ranges, not exact values, both databases.

Seven months of history (the year of `floor demo` takes longer; the stock is sized to demand from the first day, so
the last 30 days look the same after seven months as after twelve).
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from floor import clock
from floor.application import aftersales
from floor.config.settings import aftersales_settings
from floor.core.reports.deadstock import dead_stock, summary
from floor.core.reports.kpis import cores, count_accuracy, kpis
from floor.core.reports.period import Period
from floor.core.reports.pictures import core_ages, kpi_series, stock_value_by_class, warranty_series
from floor.demo import sample_data
from floor.demo.history import build_history
from floor.models import AuditEntry, Core, CountSession, CustomerReturn, Sale

DAYS = 200  # past the dead-stock window (180 days): the opening stock is as old as the history


def test_the_demo_reports_look_like_a_working_shop(db, cfg, client):
    """GIVEN seven months of demo history WHEN the last 30 days' KPIs are read THEN the stock turns 0.25-0.8 times
    (45-90 days of supply, give or take), the fill rate is high but below 100 %, counts were approved (by the
    supervisor, not the counter) with small differences, counter sales were made and a few parts came back; the
    comeback rate is under 5 %, CSI 8-10; some stock is dead (not issued in 180 days) but not most; and every picture of /kiosk/reports that
    the history feeds has data (12-month series, ABC classes, count accuracy by zone, dead stock by age, complaints,
    comebacks, warranty credited, cores returned by days taken); the old parts of exchange batteries came back by
    scan, mostly within a week, some later, a few waived by the supervisor."""
    now = clock.now()
    built = build_history(db, cfg, sample_data.workshop(now), now, days=DAYS)
    assert (
        built.sales > 100 and 0 < built.returns < built.sales / 5 and built.counts >= 5
    )  # the first Tuesday of each month
    last30 = Period((now - timedelta(days=29)).date(), now.date())
    with db.reading() as s:
        r = kpis(s, last30, now)
        approvals = list(s.scalars(select(CountSession).where(CountSession.status == "approved")))
        sales = s.scalar(select(func.count()).select_from(Sale).where(Sale.status == "shipped"))
        returned = s.scalar(select(func.count()).select_from(CustomerReturn))
        audited = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "counts.approve"))
    assert 0.25 <= r["turnover"] <= 0.8, r["turnover"]
    assert 35 <= r["days_of_supply"] <= 130, r["days_of_supply"]
    assert 0.8 <= r["fill_rate"] < 1.0, r["details"]["fill"]
    assert 0.5 <= r["count_accuracy"] <= 1.0
    assert r["sales_total"] > 0 and r["details"]["sales"]["sales"] > 10
    assert sales == built.sales and returned == built.returns and audited == built.counts
    assert all(c.approved_by != c.created_by for c in approvals)  # four eyes
    assert r["stockouts"] < 0.1 * 30 * 300  # parts are at zero now and then, not for long
    closing = r["details"]["stock_value"]["closing"]
    assert 0 < r["dead_stock_value"] < 0.35 * closing
    assert r["labour_sales"] > 0 and r["parts_sales_workshop"] > 0 and r["parts_margin"] > 0

    settings = aftersales_settings(cfg)
    with db.reading() as s:
        after = aftersales.kpis(s, settings, now - timedelta(days=DAYS), now)
        stats = aftersales.complaint_stats(s, settings, now - timedelta(days=DAYS), now)
        series = kpi_series(s, now, ZoneInfo("UTC"), 12)
        classes = dict(stock_value_by_class(s))
        by_zone = count_accuracy(s, Period((now - timedelta(days=DAYS)).date(), now.date()))["by_zone"]
        dead = summary(dead_stock(s, now, 180, now))
        core = cores(s, Period((now - timedelta(days=DAYS)).date(), now.date()))
        ages = core_ages(s, now, now - timedelta(days=DAYS))
        waived = list(s.scalars(select(Core).where(Core.status == "waived")))
        waivers = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "waive_core"))
    assert after["comeback_rate"] is not None and after["comeback_rate"] < 0.05
    assert 8.0 <= after["csi"] <= 10.0 and after["followup_rate"] > 0.8
    assert stats and after["complaints"] > 0
    assert len({row["category"] for row in stats}) >= 3  # classified, not all "other"
    recent = series[-4:-1]  # the last three whole months
    assert all(m["turnover"] and m["days_of_supply"] and m["sales_total"] for m in recent)
    assert all(m["core_return_rate"] is not None and m["core_return_rate"] >= 0.8 for m in recent)  # the cores tile
    assert set(classes) >= {"A", "B", "C"}
    assert set(by_zone) == {"A", "B", "C", "D"}
    assert sum(dead["by_age_band"].values()) > 0
    credited, _owed = warranty_series(series)
    assert any(v for v in credited if v)
    # Exchange parts: about one battery a week, its old unit back (mostly the same day), some late, a few waived.
    assert 15 <= core["due"] + core["waived"] <= 80, core
    assert 0.85 <= core["rate"] <= 1.0 and 1 <= core["waived"] <= 0.15 * (core["due"] + core["waived"]), core
    assert core["returned_in_period"] == built.cores and 0 < core["average_age_days"] < 3 < core["max_age_days"], core
    back = dict(ages["returned"])
    assert back["0–7"] > 0.8 * built.cores and sum(back.values()) == built.cores, ages
    assert waivers == len(waived) and all(c.waived_by is not None for c in waived)  # a person, with the PIN, audited

    page = client.get("/kiosk/reports")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count("<svg") >= 10
