"""Wrong PINs outlive the refusal they cause (SPEC 10.6): both doors (API and kiosk) wrap privileged writes here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from floor import clock
from floor.core.pins import PinError, record_failure
from floor.db import Database


@contextmanager
def pin_failures_kept(db: Database) -> Iterator[None]:
    """Around a write: a wrong PIN it refused is written again once its transaction has rolled back.

    The rules count a wrong try on the person's row in the write's own transaction, which the refusal rolls
    back; without this, 5 wrong tries would never lock anything. Re-raises the refusal.
    """
    try:
        yield
    except PinError as exc:
        if exc.user_id is not None and exc.failures:
            with db.writing() as s:
                record_failure(s, exc.user_id, exc.failures, now=clock.now())
        raise
