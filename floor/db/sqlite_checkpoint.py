"""SQLite WAL checkpoints off the commit path.

By default SQLite copies the WAL back into the database file inside whichever commit
pushes the WAL past 1,000 pages. With synchronous=FULL that copy ends in an fsync of
the database file, and the scan whose commit drew the short straw waited 30–70 ms for
its ACK (measured). Here the service's connections raise that threshold far out of
reach (it stays as a safety net) and one thread per database runs PASSIVE checkpoints
shortly after commits. A PASSIVE checkpoint takes no lock a writer waits on, and the
sqlite3 module releases the GIL while it runs, so scans go on meanwhile.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from typing import Any

log = logging.getLogger(__name__)
# Inline checkpoints only if the background one falls far behind (about 40 MB of WAL).
SAFETY_AUTOCHECKPOINT_PAGES = 10_000
INTERVAL_S = 0.5
IDLE_EXIT_S = 5.0  # no commits for this long: the thread ends (a later commit starts it again)


class Checkpointer:
    """Runs `PRAGMA wal_checkpoint(PASSIVE)` on its own connection after commits."""

    def __init__(self, path: str, interval_s: float = INTERVAL_S) -> None:
        self.path = path
        self.interval_s = interval_s
        self.checkpoints = 0
        self.last: tuple[int, int, int] | None = None  # (busy, WAL frames, frames checkpointed)
        self._dirty = False
        self._cv = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def note_commit(self) -> None:
        """A write was committed: checkpoint soon (starts the thread if it is not running)."""
        with self._cv:
            if self._closed:
                return
            self._dirty = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="floor-wal-checkpoint", daemon=True)
                self._thread.start()
            self._cv.notify()

    def close(self) -> None:
        """Stop the thread after one last checkpoint of what is committed."""
        with self._cv:
            self._closed = True
            thread = self._thread
            self._cv.notify()
        if thread is not None:
            thread.join(10)

    def _wait_for_work(self) -> bool:
        """Wait for a commit, then let commits gather for one interval; False: idle or closed, exit."""
        with self._cv:
            if not self._dirty and not self._closed:
                self._cv.wait(IDLE_EXIT_S)
            if not self._dirty:
                self._thread = None
                return False
            self._cv.wait_for(lambda: self._closed, self.interval_s)
            self._dirty = False
            return True

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
            while self._wait_for_work():
                self.checkpoint(conn)
        except sqlite3.Error:
            log.warning("background WAL checkpoint failed; SQLite will checkpoint inline", exc_info=True)
            with self._cv:
                self._thread = None
        finally:
            if conn is not None:
                conn.close()

    def checkpoint(self, conn: sqlite3.Connection) -> None:
        """One PASSIVE checkpoint (never blocks writers); keeps its result for `floor` diagnostics."""
        row: Any = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        self.last = (int(row[0]), int(row[1]), int(row[2]))
        self.checkpoints += 1
