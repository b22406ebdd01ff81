"""The scan-event service: where every device, the API and the kiosk deliver scans.

It runs each batch in its own write transaction and retries the whole batch on
lock conflicts (PostgreSQL deadlocks or serialization failures) and on a
concurrent delivery of the same device+seq; results are returned only after
the commit, so an acknowledged scan is durable.
"""

from __future__ import annotations

import logging
import random
import time
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from floor.application.group_commit import GroupCommitter, Job
from floor.config import Config
from floor.core import changes
from floor.core.audit import record
from floor.core.label_queue import LabelQueue
from floor.core.results import ScanInput, ScanResult
from floor.core.scanning.context import ScanWiring
from floor.core.scanning.engine import NeedsCareful, ScanTxn, apply_scans
from floor.core.wiring import SCAN_WIRING
from floor.db import Database
from floor.labels.service import PrintQueue
from floor.models import ScanEvent

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def _retryable(exc: DBAPIError) -> bool:
    if isinstance(exc, IntegrityError):
        return True  # the same device+seq committed by someone else meanwhile: retry sees it as duplicate
    code = getattr(exc.orig, "sqlstate", None)
    if code in ("40P01", "40001", "55P03"):  # deadlock, serialization failure, lock not available
        return True
    return isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower()


def _announce(session: Session, station: str, results: list[ScanResult]) -> None:
    """One change-feed event per committed batch that recorded anything (a resent batch tells nothing new)."""
    new = [r for r in results if not r.duplicate]
    if new:
        ids = [r.event_id for r in new if r.event_id is not None]
        changes.publish(session, changes.SCAN, station=station, last_id=max(ids) if ids else None)


def _audit_batch(session: Session, actor: str | None, station: str, device: str, results: list[ScanResult]) -> None:
    """One audit entry per API batch that changed anything (a resent batch adds none)."""
    new = [r for r in results if not r.duplicate]
    if actor is None or not new:
        return
    record(
        session,
        actor,
        "api.scans",
        f"{station}/{device}",
        scans=len(new),
        accepted=sum(1 for r in new if r.ok),
        seqs=[new[0].seq, new[-1].seq],
    )


class ScanService:
    """Applies scans durably and exactly once; screens hear of them through the change feed (`_announce`)."""

    def __init__(
        self,
        cfg: Config,
        db: Database,
        group_commit: bool | None = None,
        labels: LabelQueue | None = None,
        wiring: ScanWiring = SCAN_WIRING,
    ) -> None:
        self.cfg = cfg
        self.db = db
        self.wiring = wiring  # what each scanned code does: floor.core.wiring, unless a test passes its own
        # Core tags are printed through the labels feature's queue unless another is passed in.
        self.labels: LabelQueue = labels if labels is not None else PrintQueue(cfg.printers)
        # SQLite serialises writers anyway: let one writer commit everyone's batches together.
        # PostgreSQL runs concurrent transactions well, so each caller commits its own.
        use_group = db.dialect == "sqlite" if group_commit is None else group_commit
        self._group: GroupCommitter[list[ScanResult]] | None = (
            GroupCommitter(self._apply_group, lambda work: self._apply(*work)) if use_group else None
        )

    def submit(
        self,
        station: str,
        device: str,
        scans: list[ScanInput],
        received_at: datetime | None = None,
        audit_actor: str | None = None,
    ) -> list[ScanResult]:
        """Apply scans of one device in order; return one result each once committed.

        With `audit_actor` (an API client), a summary of the batch goes into the audit trail
        in the same transaction as the scans: no extra commit, and never one without the other.
        """
        self.cfg.station(station)  # unknown station: ConfigError before any work
        work = (station, device, scans, received_at, audit_actor)
        return self._group.submit(work) if self._group is not None else self._apply(*work)

    def _apply(
        self, station: str, device: str, scans: list[ScanInput], received_at: datetime | None, audit_actor: str | None
    ) -> list[ScanResult]:
        """One batch in its own transaction, retried on lock conflicts."""
        careful = False
        check_prior = False  # optimistic: a re-sent seq trips the unique index, then we look them up
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with self.db.writing() as session:
                    results = apply_scans(
                        session,
                        self.cfg,
                        self.wiring,
                        station,
                        device,
                        scans,
                        received_at,
                        careful,
                        check_prior,
                        self.labels,
                    )
                    _audit_batch(session, audit_actor, station, device, results)
                    _announce(session, station, results)
                    return results
            except NeedsCareful:
                careful = True  # rolled back; once more with a savepoint per scan
            except DBAPIError as exc:
                if attempt == MAX_ATTEMPTS or not _retryable(exc):
                    raise
                check_prior = check_prior or isinstance(exc, IntegrityError)
                log.info("retrying scan batch from %s/%s after %s", station, device, type(exc.orig).__name__)
                time.sleep(random.uniform(0.001, 0.01) * attempt)
        raise AssertionError("unreachable")

    def _apply_group(self, jobs: list[Job[list[ScanResult]]]) -> None:
        """Several callers' batches, in arrival order, in one transaction with one flush."""
        with self.db.writing() as session:
            txn = ScanTxn(session, self.wiring, self.labels)
            for job in jobs:
                station, device, scans, received_at, audit_actor = job.work
                job.result = txn.apply(self.cfg, station, device, scans, received_at, check_prior=False)
                _audit_batch(session, audit_actor, station, device, job.result)
                _announce(session, station, job.result)
            txn.finish()

    def submit_text(self, station: str, device: str, text: str, audit_actor: str | None = None) -> ScanResult:
        """Apply one scan typed or scanned as text (kiosk wedge field); no sequence number."""
        return self.submit(station, device, [ScanInput(text.encode("utf-8"))], audit_actor=audit_actor)[0]

    def last_seq(self, device: str) -> int:
        """The highest sequence number recorded for a device (0 if none)."""
        with self.db.reading() as session:
            return int(session.scalar(select(func.max(ScanEvent.seq)).where(ScanEvent.device == device)) or 0)
