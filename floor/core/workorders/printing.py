"""Queueing core tags on the station's printer, through the labels feature when it is installed.

The labels feature (`floor.labels`) renders ZPL and owns the print queue. It is
looked up at call time, so the core ring does not import it (nor its imaging
and barcode libraries) and a build without it still issues parts: the core is
then created with no print job, which the scan's effects say.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

log = logging.getLogger(__name__)


def _function(module: str, name: str) -> Callable[..., Any] | None:
    try:
        return getattr(importlib.import_module(module), name, None)  # type: ignore[no-any-return]
    except ImportError:
        return None


def queue_core_tag(session: Session, printer: str, serial: str, printers: Any = None) -> tuple[int | None, str]:
    """Queue the tag of one core on a printer; returns (print job id or None, what happened)."""
    enqueue = _function("floor.labels", "enqueue_label")
    if enqueue is None:
        return None, "labels feature not installed: tag not queued"
    try:
        # A savepoint, so a label that cannot be made leaves no half-written job behind.
        with session.begin_nested():
            job = enqueue(session, printer, "core", serial, printers=printers)
    except Exception as exc:
        log.warning("core tag %s not queued on %s: %s", serial, printer, exc)
        return None, f"tag not queued: {exc}"[:200]
    return int(job.id), f"tag queued on {printer}"


def cancel_print(session: Session, job_id: int) -> bool:
    """Cancel a queued print job (e.g. the tag of a core whose issue was undone) if it has not started."""
    cancel = _function("floor.labels.queue", "cancel")
    return bool(cancel(session, job_id)) if cancel is not None else False
