"""Use cases of label printing (SPEC 10.6 for badge labels), for the JSON API and the kiosk alike.

Each door finds who acts in its own words (the API's token and badge, the kiosk's badge with its kiosk
wording) and notes the write for the one after-request audit entry (`floor.http.principal.mark_write`), so
its rows stay `labels.<action>` and `kiosk.<action>` as before; the use case then opens the write
transaction, checks the person against the site's role table again, checks the PIN where the door asks it
(a badge label is a copy of a credential), and queues the jobs. Waking the printer stays with the door,
after the commit: a worker must not look for a job that is not yet there.
Refusals: `NotAllowed`, `PinError` (each wrong PIN kept, `pin_failures_kept`), `LabelError` and its kinds
for an unknown printer, object or unencodable text, `LookupError` for an unknown job to reprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from floor import clock
from floor.application.pins import pin_failures_kept
from floor.config import Config
from floor.core.pins import verify_pin
from floor.db import Database
from floor.labels import queue
from floor.labels.service import enqueue_labels, enqueue_zone_bins
from floor.models import PrintJob, User


def print_action(kind: str) -> str:
    """The role-table action of printing labels of `kind`: badge labels are a supervisor's (`print_badges`)."""
    return "print_badges" if kind == "badge" else "print_labels"


@dataclass(frozen=True)
class Queued:
    """One job a print queued, as both doors show it."""

    job: int
    id: str
    status: str

    def as_json(self) -> dict[str, Any]:
        """The job as the API answers it."""
        return {"job": self.job, "id": self.id, "status": self.status}


def _check(session: Session, cfg: Config, actor: User | None, action: str, pin: str | None) -> None:
    """The person (when the door names one) allowed `action` by the site's table, with their PIN when asked."""
    if actor is None:  # an API token alone: the door checked it against the same table
        return
    user = session.get(User, actor.id) or actor
    cfg.role_table().require(user, action)
    if pin is not None:
        verify_pin(session, user, pin, now=clock.now(), action=action)


def print_labels(
    db: Database,
    cfg: Config,
    printer: str,
    kind: str,
    ids: list[str],
    actor: User | None,
    *,
    zone: str | None = None,
    pin: str | None = None,
) -> list[Queued]:
    """Queue labels of `kind` for `ids` (or every active bin of `zone`) on `printer`; the PIN checked when given."""
    with pin_failures_kept(db), db.writing() as s:
        _check(s, cfg, actor, print_action(kind), pin)
        if zone:
            jobs = enqueue_zone_bins(s, printer, zone, printers=cfg.printers)
        else:
            jobs = enqueue_labels(s, printer, kind, ids, printers=cfg.printers)
        return [Queued(j.id, queue.shown_object(j.kind, j.object_id), j.status) for j in jobs]


def reprint_action(db: Database, job_id: int) -> str:
    """The action reprinting a job needs: `print_badges` for a badge label, else (an unknown job too) `print_labels`."""
    with db.reading() as s:
        old = s.get(PrintJob, job_id)
        return print_action(old.kind if old is not None else "")


def reprint(db: Database, cfg: Config, job_id: int, actor: User | None, *, pin: str | None = None) -> dict[str, Any]:
    """Queue an earlier job again (e.g. one interrupted or failed) on its printer; LookupError for no such job."""
    with pin_failures_kept(db), db.writing() as s:
        old = s.get(PrintJob, job_id)
        _check(s, cfg, actor, print_action(old.kind if old is not None else ""), pin)
        job = queue.reprint(s, job_id)
        return {"job": job.id, "printer": job.printer, "status": job.status, "reprint_of": job_id}
