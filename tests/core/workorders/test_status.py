"""The job status machine by scan and by function: legal moves, the rules beyond them, history, undo."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from floor import clock
from floor.core.authority import RoleTable
from floor.core.workorders import (
    Status,
    WorkOrderError,
    board,
    change_status,
    legal_moves,
)
from floor.models import User, WorkOrder, WorkOrderStatusChange
from tests.core.workorders.helpers import codes, history, job, scan, snapshot

# Depends on the date: scripts/test.sh runs it again under a machine clock a year ahead and back.
pytestmark = pytest.mark.clock

KIOSK = {"station": "kiosk-1", "device": "kiosk"}


def test_status_verb_without_job_is_rejected(workshop, service):
    """GIVEN a kiosk session with a badge but no job WHEN START is scanned THEN rejected no_wo, nothing changed."""
    before = snapshot(workshop)
    res = scan(service, "U:T001", "CMD:START", **KIOSK)
    assert codes(res) == ["actor_set", "no_wo"]
    assert res[-1].ok is False and res[-1].message == "Scan a job card first"
    assert snapshot(workshop) == before


@pytest.mark.parametrize(
    "verb, code",
    [
        ("CMD:QC", "illegal_move"),
        ("CMD:WASH", "illegal_move"),
        ("CMD:READY", "qc_not_passed"),
        ("CMD:DELIVER", "qc_not_passed"),
    ],
)
def test_illegal_moves_from_received_are_rejected(workshop, service, verb, code):
    """GIVEN a received job WHEN a verb that skips stages is scanned THEN rejected with a reason, nothing changed."""
    scan(service, "U:T001", "WO:1001", **KIOSK)
    before = snapshot(workshop)
    res = scan(service, verb, **KIOSK)
    assert res[0].ok is False and res[0].code == code
    assert "1001" in res[0].message and "1001" in res[0].message_zh
    assert snapshot(workshop) == before and job(workshop)["status"] == "received"


def test_illegal_move_names_the_next_legal_stages(workshop, service):
    """GIVEN a received job WHEN QC is scanned THEN the message names where it can go next."""
    res = scan(service, "U:T001", "WO:1001", "CMD:QC", **KIOSK)
    assert res[-1].message == (
        "Job 1001 cannot go from received to qc; next: dispatched, in_progress, on_hold, cancelled"
    )
    assert "接车" in res[-1].message_zh and "质检" in res[-1].message_zh


def test_same_status_twice_is_rejected(workshop, service):
    """GIVEN a job in progress WHEN START is scanned again THEN rejected already_in_status, one move recorded."""
    res = scan(service, "U:T001", "WO:1001", "CMD:START", "CMD:START", **KIOSK)
    assert codes(res)[2:] == ["status_changed", "already_in_status"]
    assert history(workshop) == [("received", "in_progress")]


def test_hold_reason_switches_and_resume(workshop, service):
    """GIVEN a job in progress WHEN HOLD, HOLD, START THEN on hold for parts, then for approval, then back at work."""
    res = scan(service, "U:T001", "WO:1001", "CMD:START", "CMD:HOLD", "CMD:HOLD", **KIOSK)
    assert [r.effects.get("hold_reason") for r in res[3:]] == ["parts", "approval"]
    assert "customer's approval" in res[-1].message and "等待客户确认" in res[-1].message_zh
    with workshop.reading() as s:
        row = next(r for r in board(s, clock.now()) if r["number"] == "1001")
    assert row["flags"] == ["waiting_approval"] and row["parts_outstanding"] is False
    scan(service, "CMD:START", **KIOSK)
    assert job(workshop)["hold_reason"] is None
    assert history(workshop)[-3:] == [("in_progress", "on_hold"), ("on_hold", "on_hold"), ("on_hold", "in_progress")]


def test_failed_qc_goes_back_to_work_and_must_pass_again(workshop, service):
    """GIVEN a job in QC WHEN it goes back to work (QC failed) THEN READY is refused until it passes QC again."""
    res = scan(service, "U:T001", "WO:1001", "CMD:START", "CMD:QC", "CMD:START", "CMD:READY", **KIOSK)
    assert codes(res)[-1] == "qc_not_passed" and job(workshop)["qc_passed_at"] is None
    res = scan(service, "CMD:QC", "CMD:WASH", "U:SUP1", "CMD:PASS", "CMD:WASH", "CMD:READY", **KIOSK)
    assert codes(res) == [
        "status_changed",
        "qc_not_passed",
        "actor_set",
        "qc_passed",
        "status_changed",
        "status_changed",
    ]
    info = job(workshop)
    assert info["status"] == "ready" and info["qc_passed_at"] is not None


def test_cancel_needs_a_supervisor_advisor_or_foreman(workshop, service):
    """GIVEN a job WHEN a technician scans CANCEL THEN refused; WHEN an advisor does THEN cancelled, and it stays closed."""
    res = scan(service, "U:T001", "WO:1001", "CMD:CANCEL", **KIOSK)
    assert res[-1].code == "role_denied" and job(workshop)["status"] == "received"
    res = scan(service, "U:ADV1", "CMD:CANCEL", "CMD:START", **KIOSK)
    assert codes(res) == ["actor_set", "status_changed", "wo_status_closed"]
    info = job(workshop)
    assert info["status"] == "cancelled" and info["closed_at"] is not None


def test_every_move_is_recorded_with_actor_and_time(workshop, service):
    """GIVEN a job WHEN dispatched and started by scans THEN each move has its actor, scan event and time."""
    t0 = clock.now()
    scan(service, "U:T002", "WO:1001", "CMD:DISPATCH", "CMD:START", **KIOSK)
    with workshop.reading() as s:
        rows = list(s.scalars(select(WorkOrderStatusChange).order_by(WorkOrderStatusChange.id)))
        t002 = s.scalar(select(User.id).where(User.badge == "T002"))
        wo = s.scalar(select(WorkOrder).where(WorkOrder.number == "1001"))
        assert wo is not None
        assert [(r.to_status, r.actor_id) for r in rows] == [("dispatched", t002), ("in_progress", t002)]
        assert all(r.event_id is not None and r.at >= t0 - timedelta(seconds=1) for r in rows)
        assert wo.technician_id == t002 and wo.started_at == rows[1].at


def test_undo_reverts_a_status_move(workshop, service):
    """GIVEN a job moved to QC by mistake WHEN UNDO is scanned THEN it is back in progress, with the undo on record."""
    res = scan(service, "U:T001", "WO:1001", "CMD:START", "CMD:QC", "CMD:UNDO", **KIOSK)
    assert codes(res)[-1] == "undone"
    assert job(workshop)["status"] == "in_progress"
    assert history(workshop) == [("received", "in_progress"), ("in_progress", "qc"), ("qc", "in_progress")]


def test_change_status_function_for_kiosk_and_api(workshop):
    """GIVEN a job WHEN change_status is called with an illegal then a legal move THEN the first raises and
    changes nothing, the second moves the job and records actor, note and time."""
    at = clock.now()
    with workshop.writing() as s:
        wo = s.scalar(select(WorkOrder).where(WorkOrder.number == "1002"))
        adv = s.scalar(select(User).where(User.badge == "ADV1"))
        assert wo is not None and adv is not None
        with pytest.raises(WorkOrderError) as err:
            change_status(s, wo, "ready", adv, at, roles=RoleTable())
        assert err.value.code == "qc_not_passed" and wo.status == "received"
        change_status(
            s, wo, Status.ON_HOLD, adv, at, "customer to approve brake discs", hold_reason="approval", roles=RoleTable()
        )
    info = job(workshop, "1002")
    assert info["status"] == "on_hold" and info["hold_reason"] == "approval"
    assert (
        info["history"][-1]["by"] == {"name": "Liu Yang", "role": "advisor"}
        and info["history"][-1]["note"] == "customer to approve brake discs"
    )


def test_move_table_is_what_the_floor_does():
    """GIVEN the table of legal moves THEN every open status can be cancelled and nothing leaves a closed one."""
    moves = {(m.from_status, m.to_status) for m in legal_moves()}
    for s in Status:
        closed = s in (Status.DELIVERED, Status.CANCELLED)
        assert ((s.value, "cancelled") in moves) is not closed
        assert not closed or not any(f == s.value for f, _ in moves)
    assert ("qc", "in_progress") in moves and ("ready", "delivered") in moves and ("in_progress", "ready") not in moves


def test_board_flags_progress_check_and_overdue(workshop, service):
    """GIVEN job 1001 (estimate 120 min, promised 2026-11-24 17:00) started now WHEN the board is read at +80 min,
    +100 min and after the promised time THEN no flag, progress check (>75 %), then overdue too."""
    scan(service, "U:T001", "WO:1001", "CMD:START", **KIOSK)
    with workshop.reading() as s:
        started = s.scalar(select(WorkOrder.started_at).where(WorkOrder.number == "1001"))
        assert started is not None

        def row(now):
            return next(r for r in board(s, now) if r["number"] == "1001")

        assert row(started + timedelta(minutes=80))["flags"] == []
        late = row(started + timedelta(minutes=100))
        assert "progress_check" in late["flags"] and late["estimate_used_pct"] == 83
        assert late["time_in_stage_s"] == 6000
        promised = s.scalar(select(WorkOrder.promised_at).where(WorkOrder.number == "1001"))
        assert promised is not None
        if promised > started + timedelta(minutes=100):
            assert "overdue" not in late["flags"]
        assert "overdue" in row(max(promised, started) + timedelta(minutes=1))["flags"]
