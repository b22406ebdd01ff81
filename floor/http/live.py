"""Live updates for kiosk pages: a thread-safe broadcaster fed by the change feed, streamed as SSE.

Every committed change (`floor.core.changes.publish`, delivered by `floor.db.feed`)
becomes named events (its topic, and `station-<name>` when it names a station) that
pages map to `hx-trigger="sse:…"` on the partials that must refresh. On PostgreSQL the
feed brings other processes' changes too (LISTEN/NOTIFY) while anyone listens. SQLite has
no such channel, so there one poller thread per process watches the newest scan_events id
once a second while anyone listens, for scans committed by another process (a device
gateway); other kinds of change cross processes only on PostgreSQL.

Streams wait either in a thread (`sse_stream`, any WSGI server) or on an asyncio loop
(`wait_async`, the `floor serve` SSE endpoint, which holds no thread per open screen).
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any

from sqlalchemy import select

from floor.core import changes as topics
from floor.core.changes import Change
from floor.db import Database
from floor.db.feed import RESYNC
from floor.models import ScanEvent

log = logging.getLogger(__name__)
HISTORY = 512  # events kept for subscribers that fell behind
POLL_S = 1.0  # how often the cross-process fallback looks at scan_events
HEARTBEAT_S = 15.0  # an SSE comment this often finds dead connections
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
# A reader that fell behind, or a feed that reconnected, refreshes everything.
EVERYTHING = (topics.SCAN, topics.JOBS, topics.MASTER, topics.COUNTS, topics.LABELS)


def event_name(kind: str, name: str = "") -> str:
    """An SSE event name safe for hx-trigger: `station-counter-1`, `scan`."""
    return f"{kind}-{_UNSAFE.sub('_', name)}" if name else kind


class Broadcaster:
    """Numbered events in a bounded history; readers wait on a condition for numbers they have not seen."""

    def __init__(self, db: Database | None = None, poll_s: float = POLL_S) -> None:
        self._cond = threading.Condition()
        self._events: deque[tuple[int, str]] = deque(maxlen=HISTORY)
        self._n = 0
        self._listeners = 0
        self._db = db
        self._poll_s = poll_s
        self._seen_scan_id = 0
        self._poller: threading.Thread | None = None
        self._wake = threading.Event()
        self._async_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    @property
    def last(self) -> int:
        """The number of the newest event (0 before the first)."""
        with self._cond:
            return self._n

    def publish(self, *names: str) -> None:
        """Send events to every listener (deduplicated, in order)."""
        with self._cond:
            for name in dict.fromkeys(names):
                self._n += 1
                self._events.append((self._n, name))
            self._cond.notify_all()
            waiters = list(self._async_waiters)
        for loop, ready in waiters:
            try:
                loop.call_soon_threadsafe(ready.set)
            except RuntimeError:  # that loop has closed; its stream is gone
                pass

    def on_changes(self, changes: list[Change]) -> None:
        """Change-feed subscriber: each committed change as its topic (and its station's) event."""
        names: list[str] = []
        for change in changes:
            if change.topic == RESYNC:
                names.extend(EVERYTHING)
                continue
            station = change.payload.get("station")
            if station:
                names.append(event_name("station", str(station)))
            names.append(change.topic)
            last_id = change.payload.get("last_id")
            if change.topic == topics.SCAN and isinstance(last_id, int):
                with self._cond:
                    self._seen_scan_id = max(self._seen_scan_id, last_id)
        self.publish(*names)

    async def wait_async(self, n: int, timeout: float) -> tuple[int, list[str]]:
        """Like `since`, awaited on an asyncio loop instead of blocking a thread."""
        loop = asyncio.get_running_loop()
        ready = asyncio.Event()
        waiter = (loop, ready)
        with self._cond:
            self._async_waiters.add(waiter)
        try:
            found = self.since(n, 0)
            if found[1]:
                return found
            try:
                await asyncio.wait_for(ready.wait(), timeout)
            except TimeoutError:
                pass
            return self.since(n, 0)
        finally:
            with self._cond:
                self._async_waiters.discard(waiter)

    def since(self, n: int, timeout: float) -> tuple[int, list[str]]:
        """Event names after number n, waiting up to timeout for the first; returns the new number."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._n <= n:
                left = deadline - time.monotonic()
                if left <= 0:
                    return n, []
                self._cond.wait(left)
            oldest = self._events[0][0] if self._events else self._n + 1
            if n + 1 < oldest:  # fell behind the history: refresh everything
                return self._n, list(EVERYTHING)
            return self._n, [name for num, name in self._events if num > n]

    # -- cross-process fallback -------------------------------------------------------------

    def attach(self) -> None:
        """A stream starts listening: make sure other processes' changes reach us."""
        if self._db is not None:
            self._db.feed.listen_remote()
        with self._cond:
            self._listeners += 1
            if self._needs_poller() and (self._poller is None or not self._poller.is_alive()):
                self._poller = threading.Thread(target=self._poll, name="kiosk-scan-poller", daemon=True)
                self._poller.start()

    def detach(self) -> None:
        """A stream stopped; when nobody listens the poller ends, and is waited for.

        Waiting matters: a poller left to finish on its own could open one more database
        connection after its database was closed (at shutdown, or between tests).
        """
        if self._db is not None:
            self._db.feed.unlisten_remote()
        with self._cond:
            self._listeners -= 1
            poller = self._poller if self._listeners <= 0 else None
        if poller is not None:
            self._wake.set()
            if poller is not threading.current_thread():
                poller.join(self._poll_s + 5)

    def _needs_poller(self) -> bool:
        # PostgreSQL's LISTEN/NOTIFY already brings other processes' scans.
        return self._db is not None and not self._db.feed.notify

    def _poll(self) -> None:
        assert self._db is not None
        with self._cond:
            first = self._seen_scan_id == 0
        while True:
            with self._cond:
                if self._listeners <= 0:
                    self._poller = None
                    return
                seen = self._seen_scan_id
            try:
                self._check(seen, first)
                first = False
            except Exception:  # the database may be busy or restarting: try again next second
                log.debug("scan poll failed", exc_info=True)
            self._wake.wait(self._poll_s)
            self._wake.clear()

    def _check(self, seen: int, first: bool) -> None:
        assert self._db is not None
        with self._db.reading() as s:
            if first:
                newest = s.scalar(select(ScanEvent.id).order_by(ScanEvent.id.desc()).limit(1)) or 0
                with self._cond:
                    self._seen_scan_id = max(self._seen_scan_id, newest)
                return
            rows = s.execute(
                select(ScanEvent.station, ScanEvent.id).where(ScanEvent.id > seen).order_by(ScanEvent.id).limit(1000)
            ).all()
        if not rows:
            return
        with self._cond:
            self._seen_scan_id = max(self._seen_scan_id, rows[-1][1])
        self.publish(*[event_name("station", st) for st, _ in rows], "scan")


def sse_stream(
    broadcaster: Broadcaster, heartbeat_s: float = HEARTBEAT_S, clock: Callable[[], float] = time.monotonic
) -> Iterator[str]:
    """The text/event-stream body: a hello, then each event by name, with heartbeat comments."""
    broadcaster.attach()
    try:
        n = broadcaster.last
        yield "retry: 1000\nevent: hello\ndata: ready\n\n"
        last_beat = clock()
        while True:
            n, names = broadcaster.since(n, 1.0)
            for name in names:
                yield f"event: {name}\ndata: {name}\n\n"
            if not names and clock() - last_beat >= heartbeat_s:
                last_beat = clock()
                yield ": keep-alive\n\n"
    finally:
        broadcaster.detach()


async def sse_asgi(
    broadcaster: Broadcaster,
    receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
    send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    heartbeat_s: float = HEARTBEAT_S,
    stopping: Callable[[], bool] = lambda: False,
) -> None:
    """The same stream as `sse_stream` as an ASGI response: it waits on the event loop, holding no thread.

    It ends within a second once `stopping()` is true (server shutdown); the page reconnects.
    """
    await asyncio.to_thread(broadcaster.attach)  # may start the LISTEN thread or the SQLite poller
    gone = asyncio.Event()

    async def watch_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        gone.set()

    watcher = asyncio.create_task(watch_disconnect())
    try:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream; charset=utf-8"),
                    (b"cache-control", b"no-cache"),
                    (b"x-accel-buffering", b"no"),  # nginx: pass each event on at once
                ],
            }
        )
        n = broadcaster.last
        await send(
            {"type": "http.response.body", "body": b"retry: 1000\nevent: hello\ndata: ready\n\n", "more_body": True}
        )
        loop = asyncio.get_running_loop()
        last_beat = loop.time()
        while not gone.is_set():
            if stopping():
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                break
            n, names = await broadcaster.wait_async(n, 1.0)
            if names:
                body = "".join(f"event: {name}\ndata: {name}\n\n" for name in names)
            elif loop.time() - last_beat >= heartbeat_s:
                last_beat, body = loop.time(), ": keep-alive\n\n"
            else:
                continue
            await send({"type": "http.response.body", "body": body.encode(), "more_body": True})
    except OSError:  # the screen went away mid-write
        pass
    finally:
        watcher.cancel()
        await asyncio.to_thread(broadcaster.detach)
