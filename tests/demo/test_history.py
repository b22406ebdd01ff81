"""`floor demo`'s simulated history (SPEC 10.5) on both databases: reports that look like a working shop."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import distinct, func, select

from floor import clock
from floor.core.reports.kpis import kpis
from floor.core.reports.period import Period
from floor.demo import sample_data
from floor.demo.history import build_history
from floor.models import Complaint, Core, Followup, WorkOrder
from tests.conftest import make_config


def test_the_demo_history_fills_the_reports(db):
    """GIVEN an empty database WHEN three weeks of history are built THEN jobs were delivered through the status
    machine, parts issued and received by scan, follow-ups called with scores; the period's KPIs show stock turnover,
    CSI and a follow-up rate; the machine clock was never read (the one clock is back where it was)."""
    cfg = make_config()
    before = clock.now()
    now = before
    built = build_history(db, cfg, sample_data.workshop(now), now, days=21)
    assert clock.now() - before < timedelta(minutes=5)  # the pinned clock is back, not left a day in the past
    assert built.jobs >= 30 and built.scans > 100 and built.followups > 10
    with db.reading() as s:
        delivered = s.scalar(select(func.count()).select_from(WorkOrder).where(WorkOrder.status == "delivered"))
        # The rest are ready, waiting for the customer who brings the exchange part's old unit (floor.demo.cores).
        ready = s.scalar(select(func.count()).select_from(WorkOrder).where(WorkOrder.status == "ready"))
        owing = s.scalar(select(func.count(distinct(Core.work_order_id))).where(Core.status == "due"))
        assert delivered + ready == built.jobs and ready == owing and ready <= 2
        assert s.scalar(select(func.count()).select_from(Followup).where(Followup.status == "done")) == built.followups
        assert s.scalar(select(func.count()).select_from(Complaint)) == built.complaints
        first = (now - timedelta(days=21)).date()
        report = kpis(s, Period(first, now.date()), now)
    assert report["turnover"] and report["turnover"] > 0
    from floor.application.aftersales import kpis as after_kpis
    from floor.core.aftersales.settings import AftersalesSettings

    with db.reading() as s:
        after = after_kpis(s, AftersalesSettings(), now - timedelta(days=21), now)
    assert after["csi"] is not None and 7 <= after["csi"] <= 10
    assert after["followup_rate"] is not None and after["followup_rate"] > 0.5
