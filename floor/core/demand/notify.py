"""Telling the counter that stock went to waiting jobs: who got it, an alert, and for receipts a job label.

A receipt scan tells the counter in its own scan event (`received_reserved`, shown by every page
with the station's last scan and by the pick page) and queues a job label: the parts in hand go
to the job. Units reaching waiting lines any other way (a hold ended, a return, an UNDO, an API
stock write) are already on a shelf, so there is nothing new to label: the counter gets the same
alert as a `DemandNotice` row (the pick page lists both) and the scan's effects when a scan freed them.

The label is the job's own (`wo`) label, queued through the label queue the runtime passes
in (`floor.core.label_queue.LabelQueue`), the same way core tags are, so the core ring
does not import the labels feature.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core import changes, messages
from floor.core.label_queue import LabelQueue
from floor.models import Appointment, DemandNotice, Part, PartRequest, WorkOrder

log = logging.getLogger(__name__)

# (en, zh) of why units were freed, as a release path names it: messages.render(code, params).
Why = tuple[str, str]


def served(session: Session, got: Sequence[tuple[PartRequest, int]]) -> list[dict[str, Any]]:
    """Who got stock: each line's job number, or its appointment (id and plate) while it has none."""
    wo_ids = {r.work_order_id for r, _ in got if r.work_order_id is not None}
    appt_ids = {r.appointment_id for r, _ in got if r.work_order_id is None}
    numbers: dict[int, str] = {}
    plates: dict[int, str | None] = {}
    if wo_ids:
        stmt = select(WorkOrder.id, WorkOrder.number).where(WorkOrder.id.in_(wo_ids))
        numbers = {wo_id: number for wo_id, number in session.execute(stmt)}
    if appt_ids:
        found = select(Appointment.id, Appointment.plate).where(Appointment.id.in_(appt_ids))
        plates = {appt_id: plate for appt_id, plate in session.execute(found)}
    out = []
    for r, n in got:
        row: dict[str, Any] = {"workorder": None, "appointment": None, "qty": n, "id": r.id, "status": r.status}
        if r.work_order_id is not None:
            row["workorder"] = numbers[r.work_order_id]
        else:
            assert r.appointment_id is not None  # a line has a job or an appointment
            row["appointment"] = {"id": r.appointment_id, "plate": plates.get(r.appointment_id)}
        out.append(row)
    return out


def name(row: dict[str, Any], lang: str) -> str:
    """A served line's owner as the counter reads it: the job number, or "appointment <id> <plate>"."""
    appt = row["appointment"]
    if appt is None:
        return str(row["workorder"])
    word = "预约" if lang == "zh" else "appointment"
    return f"{word} {appt['id']}" + (f" {appt['plate']}" if appt["plate"] else "")


def jobs_text(rows: Sequence[dict[str, Any]]) -> tuple[str, str]:
    """Who got how many, in English and Chinese: "1001 (3), appointment 4 (1)"."""
    return (
        ", ".join(f"{name(x, 'en')} ({x['qty']})" for x in rows),
        ", ".join(f"{name(x, 'zh')} ({x['qty']})" for x in rows),
    )


def tell_counter(
    session: Session,
    got: Sequence[tuple[PartRequest, int]],
    at: datetime,
    why: Why | None = None,
    event_id: int | None = None,
) -> list[dict[str, Any]]:
    """Units reached waiting lines outside a receipt scan: one notice per part for the pick page; the alerts.

    `why` names what freed them (a cancel, a release, a closing…); None is a stock write (more on the shelf).
    """
    if not got:
        return []
    changes.publish(session, changes.JOBS)  # the pick queue, special orders and board flags move; sent on commit
    by_part: dict[int, list[tuple[PartRequest, int]]] = {}
    for line, n in got:
        by_part.setdefault(line.part_id, []).append((line, n))
    part_nos = dict(session.execute(select(Part.id, Part.part_no).where(Part.id.in_(by_part))).tuples().all())
    alerts = []
    for part_id, lines in sorted(by_part.items()):
        rows = served(session, lines)
        jobs, jobs_zh = jobs_text(rows)
        params = {"part_no": part_nos.get(part_id, str(part_id)), "jobs": jobs, "jobs_zh": jobs_zh}
        code = "stock_reserved_for_waiting" if why is None else "freed_reserved_for_waiting"
        if why is not None:
            params["why"], params["why_zh"] = why
        en, zh = messages.render(code, params)
        session.add(DemandNotice(at=at, part_id=part_id, code=code, message=en, message_zh=zh, event_id=event_id))
        alerts.append(
            {"code": code, "message": en, "message_zh": zh, "part_no": params["part_no"], "reserved_for": rows}
        )
    return alerts


def queue_job_labels(
    labels: LabelQueue | None, session: Session, printer: str | None, reserved: list[dict[str, Any]]
) -> list[str]:
    """Queue one job label per job that got stock; returns what happened, per job."""
    if not printer:
        return ["no printer at this station"]
    if labels is None:
        return ["labels feature not installed: no label queued"]
    notes = []
    for number in dict.fromkeys(x["workorder"] for x in reserved):
        try:
            with session.begin_nested():  # a label that cannot be made leaves no half-written job
                labels.enqueue(session, printer, "wo", number)
            notes.append(f"{number}: label queued on {printer}")
        except Exception as exc:
            log.warning("job label %s not queued on %s: %s", number, printer, exc)
            notes.append(f"{number}: label not queued: {exc}"[:200])
    return notes
