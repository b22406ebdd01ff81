"""The durable print queue in `print_jobs`: plain functions over a Session (the caller commits).

Delivery is at-most-once. A job is marked 'sending' and committed before its first
byte is written, and 'printed' after the write returned. A job still 'sending' when a
worker starts may or may not have printed (the crash came between the two commits); it
becomes 'interrupted' and is never resent on its own: a duplicate core tag or bin label
on the floor is worse than a missing one, which the storekeeper sees in the queue and
reprints with one click (`reprint`). Jobs of one printer go out strictly in order; a
printer fault holds the head job (with backoff) and so the rest of its batch.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from floor import clock
from floor.core.authority import mask_badge
from floor.core.changes import LABELS, publish
from floor.models import PrintJob
from floor.models.printing import PrintStatus

MAX_BACKOFF_S = 15.0  # a printer back from paper-out should not sit idle for long
ACTIVE = (PrintStatus.QUEUED.value, PrintStatus.SENDING.value)


def backoff_s(attempts: int) -> float:
    """Seconds to wait before try number attempts+1: 0.5, 1, 2, 4 … capped at MAX_BACKOFF_S."""
    return min(MAX_BACKOFF_S, 0.5 * 2 ** max(attempts - 1, 0))


def add_job(
    session: Session,
    printer: str,
    kind: str,
    object_id: str,
    payload: str,
    batch: str | None = None,
    reprint_of: int | None = None,
) -> PrintJob:
    """Add one queued job to the session (flushed, not committed)."""
    job = PrintJob(
        printer=printer,
        kind=kind,
        object_id=object_id,
        payload=payload,
        status="queued",
        attempts=0,
        batch=batch,
        reprint_of=reprint_of,
        created_at=clock.now(),
    )
    session.add(job)
    session.flush()
    publish(session, LABELS, printer=printer)
    return job


def head(session: Session, printer: str) -> PrintJob | None:
    """The oldest queued job of a printer: the only one that may go next."""
    return session.scalars(
        select(PrintJob).where(PrintJob.printer == printer, PrintJob.status == "queued").order_by(PrintJob.id).limit(1)
    ).first()


def claim(session: Session, job_id: int, now: datetime | None = None) -> bool:
    """Mark a queued job 'sending'; False if another worker took it first."""
    res = session.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id, PrintJob.status == "queued")
        .values(status="sending", sending_at=now or clock.now(), attempts=PrintJob.attempts + 1)
    )
    publish(session, LABELS)
    return res.rowcount == 1  # type: ignore[attr-defined]


def mark_printed(session: Session, job_id: int, now: datetime | None = None) -> None:
    """The printer has taken all of the job's bytes."""
    session.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id)
        .values(status="printed", printed_at=now or clock.now(), error=None, next_try_at=None)
    )
    publish(session, LABELS)


def mark_unsent(session: Session, job_id: int, error: str, now: datetime | None = None) -> None:
    """The write failed before the whole format left: back to the head of the queue, with backoff."""
    now = now or clock.now()
    job = session.get(PrintJob, job_id)
    if job is None:
        return
    job.status = "queued"
    job.error = error
    job.next_try_at = now + timedelta(seconds=backoff_s(job.attempts))
    publish(session, LABELS, printer=job.printer)


def hold(session: Session, job_id: int, error: str, delay_s: float, now: datetime | None = None) -> None:
    """The printer is not ready: the job waits (status unchanged) and says why."""
    session.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id, PrintJob.status == "queued")
        .values(error=error, next_try_at=(now or clock.now()) + timedelta(seconds=delay_s))
    )


def recover(session: Session, printer: str) -> int:
    """At worker start: jobs left 'sending' by a crash become 'interrupted' (not resent)."""
    res = session.execute(
        update(PrintJob)
        .where(PrintJob.printer == printer, PrintJob.status == "sending")
        .values(
            status="interrupted", error="service stopped while sending; not resent automatically, reprint if missing"
        )
    )
    return res.rowcount  # type: ignore[attr-defined]


def shown_object(kind: str, object_id: str) -> str:
    """What answers and lists show of a print job's object: a badge label's badge masked (SPEC 10.6)."""
    return mask_badge(object_id) if kind == "badge" else object_id


def reprint(session: Session, job_id: int, printer: str | None = None) -> PrintJob:
    """Queue a new job with the same label as an earlier one (e.g. an interrupted one)."""
    old = session.get(PrintJob, job_id)
    if old is None:
        raise LookupError(f"no print job {job_id}")
    return add_job(session, printer or old.printer, old.kind, old.object_id, old.payload, old.batch, old.id)


def cancel(session: Session, job_id: int) -> bool:
    """Cancel a job that has not started sending."""
    res = session.execute(
        update(PrintJob).where(PrintJob.id == job_id, PrintJob.status == "queued").values(status="cancelled")
    )
    publish(session, LABELS)
    return res.rowcount == 1  # type: ignore[attr-defined]


def depth(session: Session, printer: str | None = None) -> dict[str, int]:
    """Jobs queued or being sent, per printer."""
    q = select(PrintJob.printer, func.count()).where(PrintJob.status.in_(ACTIVE)).group_by(PrintJob.printer)
    if printer is not None:
        q = q.where(PrintJob.printer == printer)
    return {name: int(n) for name, n in session.execute(q).all()}


def counts(session: Session, printer: str) -> dict[str, int]:
    """Jobs of one printer by status."""
    rows = session.execute(
        select(PrintJob.status, func.count()).where(PrintJob.printer == printer).group_by(PrintJob.status)
    ).all()
    return {status: int(n) for status, n in rows}
