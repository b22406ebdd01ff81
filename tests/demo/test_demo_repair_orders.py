"""The demo's jobs carry repair orders (SPEC 10.1-10.3): a vehicle by VIN, concerns, lines the customer answered,
technicians clocked on the jobs at work, every labour line done on the jobs past QC."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from floor import clock
from floor.core.authority import RoleTable
from floor.core.repair.settings import BillingSettings
from floor.demo.run import load_sample_data
from floor.models import ClockRecord, Concern, RepairLine, Vehicle, WorkOrder


def test_demo_jobs_have_concerns_lines_and_clocked_technicians(db):
    load_sample_data(db, clock.now(), RoleTable(), BillingSettings(Decimal("380.00"), Decimal("13")))
    with db.reading() as s:
        jobs = list(s.scalars(select(WorkOrder).order_by(WorkOrder.id)))
        assert len(jobs) == 36 and all(j.vehicle_id is not None for j in jobs)
        assert s.scalar(select(func.count()).select_from(Vehicle)) == 36
        for wo in jobs:
            assert s.scalar(select(func.count()).select_from(Concern).where(Concern.work_order_id == wo.id)) >= 1
            statuses = set(s.scalars(select(RepairLine.status).where(RepairLine.work_order_id == wo.id)))
            assert statuses & {"authorized", "done"}, wo.number
            labour = set(
                s.scalars(
                    select(RepairLine.status).where(RepairLine.work_order_id == wo.id, RepairLine.kind == "labour")
                )
            )
            if wo.status in ("qc", "washing", "ready"):
                assert labour <= {"done", "declined"}, wo.number
        working = [j for j in jobs if j.status == "in_progress"]
        assert working and any(j.clocked_on for j in working)
        assert all(j.clocked_on == 0 for j in jobs if j.status != "in_progress")
        assert s.scalar(select(func.count()).select_from(ClockRecord)) > 0
        assert s.scalar(select(func.count()).select_from(RepairLine).where(RepairLine.status == "declined")) >= 8
