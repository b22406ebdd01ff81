"""The gateway's local durable outbox: scans are committed here (SQLite, synchronous=FULL) before any ACK."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from floor.core.results import ScanInput
from floor.db.database import make_private_sqlite

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS devices (device TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS scans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    station TEXT NOT NULL, device TEXT NOT NULL, seq INTEGER NOT NULL,
    data BLOB NOT NULL, at TEXT, queued_at REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',   -- pending | delivered | failed
    result TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 0,
    UNIQUE (device, seq)
);
CREATE INDEX IF NOT EXISTS ix_scans_state_id ON scans (state, id);
-- Batches the server refused for good: their scans are 'failed'; `reported` once the server was told.
CREATE TABLE IF NOT EXISTS quarantine (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    station TEXT NOT NULL, device TEXT NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,
    scans INTEGER NOT NULL, error TEXT NOT NULL, at REAL NOT NULL, reported INTEGER NOT NULL DEFAULT 0
);
"""


@dataclass(frozen=True)
class OutboxScan:
    """One stored scan waiting for (or past) delivery."""

    id: int
    station: str
    device: str
    seq: int
    data: bytes
    at: str | None


class Outbox:
    """A SQLite outbox shared by reader threads (add) and the delivery thread (take, mark)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            make_private_sqlite(self.path)  # it holds every scan, badges among them
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            # FULL: a committed scan survives power loss, which is what the scanner's ACK promises.
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
            # A new outbox numbers from the current time in ms, so a lost or replaced outbox can
            # never reuse a seq the server has seen (that scan would be dropped as a duplicate).
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('seq_base', ?)", (str(int(time.time() * 1000)),))
            self.seq_base = int(self._db.execute("SELECT value FROM meta WHERE key='seq_base'").fetchone()[0])

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    def last_seq(self, device: str) -> int:
        """The last seq stored for the device, or the outbox's seq base."""
        with self._lock:
            row = self._db.execute("SELECT last_seq FROM devices WHERE device=?", (device,)).fetchone()
        return int(row[0]) if row else self.seq_base

    def add(self, station: str, device: str, scans: list[ScanInput], at_default: datetime) -> list[int]:
        """Store scans in one committed transaction and return their outbox ids."""
        ids: list[int] = []
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for scan in scans:
                    if scan.seq is None:
                        raise ValueError("gateway scans need a seq")
                    at = (scan.at or at_default).isoformat()
                    cur = self._db.execute(
                        "INSERT INTO scans (station, device, seq, data, at, queued_at) VALUES (?,?,?,?,?,?) "
                        "ON CONFLICT (device, seq) DO NOTHING",
                        (station, device, scan.seq, scan.raw, at, now),
                    )
                    if cur.rowcount == 0:  # re-submitted seq: point at the stored one
                        ids.append(
                            self._db.execute(
                                "SELECT id FROM scans WHERE device=? AND seq=?", (device, scan.seq)
                            ).fetchone()[0]
                        )
                    else:
                        ids.append(int(cur.lastrowid or 0))
                    self._db.execute(
                        "INSERT INTO devices VALUES (?, ?) ON CONFLICT (device) DO UPDATE "
                        "SET last_seq = max(last_seq, excluded.last_seq)",
                        (device, scan.seq),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return ids

    def next_batch(self, limit: int = 100) -> list[OutboxScan]:
        """The oldest pending scans of one station and device, in order (one POST's worth)."""
        with self._lock:
            first = self._db.execute(
                "SELECT station, device FROM scans WHERE state='pending' ORDER BY id LIMIT 1"
            ).fetchone()
            if first is None:
                return []
            rows = self._db.execute(
                "SELECT id, station, device, seq, data, at FROM scans WHERE state='pending' "
                "AND station=? AND device=? ORDER BY id LIMIT ?",
                (*first, limit),
            ).fetchall()
        return [OutboxScan(*row) for row in rows]

    def mark_delivered(self, results: dict[int, dict[str, Any]]) -> None:
        """Record the server's result for each delivered scan id."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "UPDATE scans SET state='delivered', result=?, attempts=attempts+1 WHERE id=?",
                [(json.dumps(r), i) for i, r in results.items()],
            )
            self._db.execute("COMMIT")

    def mark_failed(self, ids: list[int], error: str) -> None:
        """Park scans the server refused outright (kept for inspection, not retried)."""
        with self._lock:
            self._db.executemany("UPDATE scans SET state='failed', error=? WHERE id=?", [(error, i) for i in ids])

    def quarantine(self, batch: list[OutboxScan], error: str) -> int:
        """Park a batch the server refused for good (its scans 'failed') and record an alert; return its id."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "UPDATE scans SET state='failed', error=?, attempts=attempts+1 WHERE id=?",
                    [(error, s.id) for s in batch],
                )
                cur = self._db.execute(
                    "INSERT INTO quarantine (station, device, first_seq, last_seq, scans, error, at) "
                    "VALUES (?,?,?,?,?,?,?)",
                    (
                        batch[0].station,
                        batch[0].device,
                        batch[0].seq,
                        batch[-1].seq,
                        len(batch),
                        error[:500],
                        time.time(),
                    ),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return int(cur.lastrowid or 0)

    def quarantined(self, only_unreported: bool = False) -> list[dict[str, Any]]:
        """The quarantine alerts, oldest first (only those the server was not told of yet, if asked)."""
        where = " WHERE reported = 0" if only_unreported else ""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, station, device, first_seq, last_seq, scans, error, at, reported FROM quarantine"
                + where
                + " ORDER BY id"
            ).fetchall()
        keys = ("id", "station", "device", "first_seq", "last_seq", "scans", "error", "at", "reported")
        return [dict(zip(keys, r)) for r in rows]

    def mark_reported(self, alert_id: int) -> None:
        """The server has recorded this quarantine alert."""
        with self._lock:
            self._db.execute("UPDATE quarantine SET reported = 1 WHERE id = ?", (alert_id,))

    def results(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        """Stored server results of the given ids that have one."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        with self._lock:
            rows = self._db.execute(
                f"SELECT id, result FROM scans WHERE id IN ({marks}) AND result IS NOT NULL", ids
            ).fetchall()
        return {i: json.loads(r) for i, r in rows}

    def counts(self) -> dict[str, int]:
        """Number of scans per state."""
        with self._lock:
            rows = self._db.execute("SELECT state, count(*) FROM scans GROUP BY state").fetchall()
        return {"pending": 0, "delivered": 0, "failed": 0, **{s: n for s, n in rows}}
