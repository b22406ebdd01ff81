"""Delivery of the change feed (`floor.core.changes`): after commit, in this process and to every other.

Each `Database` owns one `ChangeFeed`. Its session hooks take the changes a transaction
published and, once it has committed, hand them to this process's subscribers (the kiosk
broadcaster) straight away: a single process needs no poller, on either database.

On PostgreSQL the same changes also go out with `pg_notify` inside the transaction, so
PostgreSQL itself sends them only if and when it commits. Every process that has a
listening screen keeps one connection on `LISTEN floor_changes` (started on the first
`listen_remote()`, stopped after the last `unlisten_remote()`) and delivers what other
processes sent; its own notifications, already delivered locally, are recognised by
origin and skipped. SQLite has no such channel: there, only scans committed by another
process are found, by the kiosk's scan poller (multi-process sites use PostgreSQL).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from floor.core.changes import Change, take

log = logging.getLogger(__name__)
CHANNEL = "floor_changes"
NOTIFY_LIMIT = 7900  # PostgreSQL refuses payloads of 8,000 bytes or more
RESYNC = "resync"  # delivered after the listener (re)connects: something may have been missed
Subscriber = Callable[[list[Change]], None]


class ChangeFeed:
    """Committed changes to subscribers: in-process directly, across processes by LISTEN/NOTIFY."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.origin = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.notify = engine.dialect.name == "postgresql"
        self._subs: list[Subscriber] = []
        self._lock = threading.Lock()
        self._remote_refs = 0
        self._listener: threading.Thread | None = None
        self._stop = threading.Event()
        self.listening = threading.Event()  # set while the LISTEN connection is up (tests wait on it)

    # -- wiring ---------------------------------------------------------------------------------

    def install(self, *factories: sessionmaker[Session]) -> None:
        """Hook the feed into sessions made by these factories."""
        for factory in factories:
            event.listen(factory, "before_commit", self._before_commit)
            event.listen(factory, "after_commit", self._after_commit)
            event.listen(factory, "after_rollback", self._after_rollback)

    def subscribe(self, subscriber: Subscriber) -> None:
        """Call `subscriber(changes)` after every commit that published changes, from any process."""
        with self._lock:
            self._subs.append(subscriber)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Stop calling a subscriber."""
        with self._lock:
            if subscriber in self._subs:
                self._subs.remove(subscriber)

    def deliver(self, changes: list[Change]) -> None:
        """Hand changes to every subscriber of this process; a failing subscriber never fails a commit."""
        if not changes:
            return
        with self._lock:
            subs = list(self._subs)
        for sub in subs:
            try:
                sub(changes)
            except Exception:
                log.exception("change feed subscriber failed")

    # -- session hooks --------------------------------------------------------------------------

    def _before_commit(self, session: Session) -> None:
        if not self.notify:
            return
        changes = session.info.get("floor_changes")
        if changes:
            session.connection().exec_driver_sql("SELECT pg_notify(%s, %s)", (CHANNEL, self._encode(changes)))

    def _after_commit(self, session: Session) -> None:
        self.deliver(take(session))

    def _after_rollback(self, session: Session) -> None:
        take(session)  # nothing happened: nothing to tell

    def _encode(self, changes: list[Change]) -> str:
        body = json.dumps({"o": self.origin, "c": [[c.topic, c.payload] for c in changes]}, default=str)
        if len(body.encode("utf-8")) >= NOTIFY_LIMIT:  # too much detail: the topics alone still refresh pages
            body = json.dumps({"o": self.origin, "c": [[t, {}] for t in dict.fromkeys(c.topic for c in changes)]})
        return body

    # -- other processes (PostgreSQL) -----------------------------------------------------------

    def listen_remote(self) -> None:
        """Someone wants other processes' changes: make sure the LISTEN thread runs (PostgreSQL only)."""
        if not self.notify:
            return
        with self._lock:
            self._remote_refs += 1
            if self._listener is None or not self._listener.is_alive():
                self._stop.clear()
                self._listener = threading.Thread(target=self._listen, name="floor-change-listener", daemon=True)
                self._listener.start()

    def unlisten_remote(self) -> None:
        """One fewer interested party; the last one stops the LISTEN thread and waits for it."""
        if not self.notify:
            return
        with self._lock:
            self._remote_refs -= 1
            listener = self._listener if self._remote_refs <= 0 else None
            if listener is not None:
                self._listener = None
                self._stop.set()
        if listener is not None and listener is not threading.current_thread():
            listener.join(5)

    def close(self) -> None:
        """Stop listening whatever the count (database disposal)."""
        with self._lock:
            listener, self._listener, self._remote_refs = self._listener, None, 0
            self._stop.set()
        if listener is not None:
            listener.join(5)

    def _listen(self) -> None:
        import psycopg

        dsn = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        first = True
        while not self._stop.is_set():
            try:
                with psycopg.connect(dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    if not first:  # changes sent while we were away are lost: refresh everything
                        self.deliver([Change(RESYNC)])
                    first = False
                    while not self._stop.is_set():
                        # A short wait, so that closing the feed (every test, every server stop) is not held up.
                        for note in conn.notifies(timeout=0.1):
                            self._received(note.payload)
            except Exception:  # the database restarting: try again in a second
                log.warning("change feed listener lost its connection; reconnecting", exc_info=True)
                first = False
                self._stop.wait(1.0)
            finally:
                self.listening.clear()

    def _received(self, payload: str) -> None:
        try:
            body: dict[str, Any] = json.loads(payload)
            if body.get("o") == self.origin:
                return  # ours: delivered at commit already
            changes = [Change(str(topic), dict(data)) for topic, data in body.get("c", [])]
        except (ValueError, TypeError):
            log.warning("ignoring a malformed change notification: %.200s", payload)
            return
        self.deliver(changes)
