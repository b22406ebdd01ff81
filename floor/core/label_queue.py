"""What the core needs from a print queue; the runtime passes the implementation in (`floor.labels.service.PrintQueue`)."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session


class LabelQueue(Protocol):
    """Renders and queues labels inside the caller's transaction."""

    def enqueue(self, session: Session, printer: str, kind: str, object_id: str) -> int:
        """Queue the label of one object on a printer; returns the print job id (raises when it cannot)."""
        ...

    def cancel(self, session: Session, job_id: int) -> bool:
        """Cancel a queued job that has not started sending; whether it was cancelled."""
        ...
