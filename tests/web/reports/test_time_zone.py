"""Report days and months follow the site's time zone (`[site] timezone`), not UTC.

The site is in Asia/Shanghai (UTC+8). The month under test is the latest 30-day month that has
ended by the pinned clock; on its 30th at 17:00 UTC (01:00 on the 1st of the next month in
Shanghai) a part with a warning line is issued to zero and an adjustment is posted; on the 3rd
it is received again. For a UTC site both belong to the month and its last day closes at
zero; for the Shanghai site they belong to the next month, whose first days close at zero. The
receipt at 15:00 UTC on the 3rd is 23:00 in Shanghai: the 3rd closes with stock there, not in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from floor import clock
from floor.core.ledger import Ledger
from floor.core.reports import ReportError
from floor.core.reports.kpis import kpis
from floor.core.reports.monthend import month_end, sign
from floor.core.reports.period import month_of, month_period, previous_months
from floor.core.reports.pictures import kpi_series
from floor.db import Database
from floor.models import Location, Part, User, WorkOrder
from tests.conftest import make_config

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.clock


def _month_of_thirty() -> date:
    """The first day of the latest month with 30 days that has ended by the (pinned) clock."""
    month = month_of(clock.now()).first
    while True:
        month = previous_months(month_period(month.strftime("%Y-%m")), 1)[0].first
        if (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1) == month.replace(day=30):
            return month


def _build(db: Database) -> tuple[str, str, datetime]:
    """The part and its moves; returns (the month, the next month, the instant of the issue)."""
    first = _month_of_thirty()
    late = datetime.combine(first.replace(day=30), time(17), tzinfo=UTC)  # 01:00 next day in Shanghai
    with db.writing() as s:
        store = Location(code="A-01", zone="A", kind="store")
        part = Part(part_no="TZ-1", name="Filter", unit_cost=Decimal(10), reorder_point=1)
        wo = WorkOrder(number="WO-TZ", status="in_progress")
        s.add_all([store, part, wo, User(badge="SUP1", name="Chen Jie", role="supervisor")])
        s.flush()
        book = Ledger(s)
        book.move(part.id, store.id, 5, "receive", late - timedelta(days=40), Decimal(10))  # the month before
        book.move(part.id, store.id, -4, "issue", late, Decimal(10), work_order_id=wo.id)
        book.move(part.id, store.id, -1, "adjust", late, Decimal(10), ref="API:found short")
        # 15:00 UTC on the 3rd: 23:00 on the 3rd in Shanghai, an hour before its midnight
        book.move(part.id, store.id, 5, "receive", late + timedelta(days=3, hours=-2), Decimal(10))
        book.flush()
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first.strftime("%Y-%m"), following.strftime("%Y-%m"), late


def test_a_move_late_on_the_30th_utc_is_the_next_local_day_and_month(db):
    """GIVEN the issue at 17:00 UTC on the 30th WHEN the month's and the next month's KPIs are read for a UTC and a
    Shanghai site THEN the cost and the stock-out days fall into the month in UTC and into the next month in Shanghai."""
    month, following, late = _build(db)
    assert _falls_in(late, SHANGHAI, following) and _falls_in(late, UTC, month)  # the premise
    now = clock.now()
    with db.reading() as s:
        utc_m = kpis(s, month_period(month), now)
        utc_n = kpis(s, month_period(following), now)
        sh_m = kpis(s, month_period(month, SHANGHAI), now)
        sh_n = kpis(s, month_period(following, SHANGHAI), now)
    assert (utc_m["parts_cost_total"], utc_n["parts_cost_total"]) == (40.0, 0.0)
    assert (sh_m["parts_cost_total"], sh_n["parts_cost_total"]) == (0.0, 40.0)
    # UTC: the 30th closes at zero (1), then the 1st and 2nd (2); the 3rd's closing (00:00 UTC on the 4th) has stock.
    # Shanghai: the 30th closes (16:00 UTC) before the issue (0); the 1st and 2nd close at zero (2); the 3rd closes
    # at 16:00 UTC, an hour after the receipt.
    assert (utc_m["stockouts"], utc_n["stockouts"]) == (1, 2)
    assert (sh_m["stockouts"], sh_n["stockouts"]) == (0, 2)
    assert sh_n["timezone"] == "Asia/Shanghai" and utc_n["timezone"] == "UTC"
    # the stock value at the month's end: 0 in UTC (the issue and adjustment came before it), 50 in Shanghai
    assert utc_m["details"]["stock_value"]["closing"] == 0.0 and utc_n["details"]["stock_value"]["opening"] == 0.0
    assert sh_m["details"]["stock_value"]["closing"] == 50.0 and sh_n["details"]["stock_value"]["opening"] == 50.0


def _falls_in(moment: datetime, tz: tzinfo, month: str) -> bool:
    """Whether an instant falls in the month `YYYY-MM` of a time zone."""
    return month_of(moment, tz).first.strftime("%Y-%m") == month


def test_month_end_months_and_signing_follow_the_site_time_zone(db):
    """GIVEN the adjustment at 17:00 UTC on the 30th WHEN the month-end reports are read for Shanghai THEN it is in the
    next month's adjustments; the month can be signed from Shanghai's midnight, an hour before it, UTC's not yet."""
    month, following, late = _build(db)
    now = clock.now()
    with db.reading() as s:
        utc = month_end(s, month, now, UTC)
        local = month_end(s, month, now, SHANGHAI)
        local_next = month_end(s, following, now, SHANGHAI)
    assert [o["ref"] for o in utc["adjustments"]["other"]] == ["API:found short"]
    assert local["adjustments"]["other"] == [] and local["timezone"] == "Asia/Shanghai"
    assert [o["ref"] for o in local_next["adjustments"]["other"]] == ["API:found short"]
    # 17:00 UTC on the 30th is past Shanghai's month end (16:00 UTC) and before UTC's (the 1st, 00:00)
    with db.writing() as s:
        sup = s.query(User).filter_by(badge="SUP1").one()
        with pytest.raises(ReportError) as refused:
            sign(s, month, sup, late, UTC)
        assert refused.value.code == "month_not_ended"
        signed = sign(s, month, sup, late, SHANGHAI)
    assert signed["status"] == "signed" and signed["kpis"]["parts_cost_total"] == 0.0


def test_the_twelve_months_of_the_reports_page_are_the_sites(db):
    """GIVEN an instant at 17:00 UTC on the 30th WHEN the 12-month series is read THEN its last month is the next one
    in Shanghai and the same one in UTC."""
    month, following, late = _build(db)
    with db.reading() as s:
        assert kpi_series(s, late, SHANGHAI)[-1]["month"] == following
        assert kpi_series(s, late, UTC)[-1]["month"] == month


def test_the_api_reads_days_in_the_configured_time_zone(db):
    """GIVEN a site configured `[site] timezone = "Asia/Shanghai"` WHEN the month's KPIs are asked over HTTP THEN the
    late issue is in the next month; a UTC site has it in the month."""
    from floor.service.factory import create_app

    month, _following, _late = _build(db)
    first = month_period(month).first
    last = month_period(month).last
    query = f"/api/reports/kpis?from={first.isoformat()}&to={last.isoformat()}"
    for site, cost in ({"timezone": "Asia/Shanghai"}, 0.0), ({"timezone": "UTC"}, 40.0):
        client = create_app(make_config(site=site), db, {"TESTING": True}).test_client()
        body = client.get(query).get_json()
        assert (body["timezone"], body["parts_cost_total"]) == (site["timezone"], cost)
