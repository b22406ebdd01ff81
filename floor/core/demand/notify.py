"""Telling the counter that parts for waiting jobs arrived: a job label on the station's printer.

The label is the job's own (`wo`) label, queued through the label queue the runtime passes
in (`floor.core.label_queue.LabelQueue`), the same way core tags are, so the core ring
does not import the labels feature.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from floor.core.label_queue import LabelQueue

log = logging.getLogger(__name__)


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
