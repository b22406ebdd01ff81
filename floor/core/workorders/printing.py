"""Queueing core tags on the station's printer, through whatever label queue the runtime passed in.

The labels feature (`floor.labels`) renders ZPL and owns the print queue; the core
only declares what it needs (`floor.core.label_queue.LabelQueue`), so it imports neither the labels ring
nor its imaging and barcode libraries. The scan service passes
`floor.labels.service.PrintQueue` in; without a queue parts are still issued, and
the core is created with no print job, which the scan's effects say.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from floor.core.label_queue import LabelQueue

log = logging.getLogger(__name__)


def queue_core_tag(labels: LabelQueue | None, session: Session, printer: str, serial: str) -> tuple[int | None, str]:
    """Queue the tag of one core on a printer; returns (print job id or None, what happened)."""
    if labels is None:
        return None, "labels feature not installed: tag not queued"
    try:
        # A savepoint, so a label that cannot be made leaves no half-written job behind.
        with session.begin_nested():
            job_id = labels.enqueue(session, printer, "core", serial)
    except Exception as exc:
        log.warning("core tag %s not queued on %s: %s", serial, printer, exc)
        return None, f"tag not queued: {exc}"[:200]
    return job_id, f"tag queued on {printer}"


def cancel_print(labels: LabelQueue | None, session: Session, job_id: int) -> bool:
    """Cancel a queued print job (e.g. the tag of a core whose issue was undone) if it has not started."""
    return labels.cancel(session, job_id) if labels is not None else False
