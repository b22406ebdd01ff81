"""The ONE place API and kiosk writes of a job say "this job changed" (scans reach the board on their own).

Today it publishes the kiosk's live `jobs` event (and `scan`, which every live
partial already listens to) in this process. The general change feed will hook here:
replace the body of `job_changed`, nothing else needs to move. A write committed by
another process (another gunicorn worker) is not seen here; the board's 60 s refresh
covers that until the feed exists.
"""

from __future__ import annotations

import logging

from floor.web.app import floor_app

log = logging.getLogger(__name__)
JOB_EVENT = "jobs"


def job_changed(number: str, what: str) -> None:
    """Call after a committed write to job `number` (`what`: reception, qc, signature, delivered, key, tag)."""
    broadcaster = floor_app().broadcaster
    if broadcaster is None:  # the kiosk is not installed in this app
        return
    log.debug("job %s changed: %s", number, what)
    broadcaster.publish(JOB_EVENT, "scan")
