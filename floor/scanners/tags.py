"""RFID tag reads, their last-seen side channel, and the fold-then-deliver step readers share.

The scan handed to the sink is the EPC in upper-case hex and nothing else, so a tag is
just another scanned text for the service. Where it was read (reader, antenna, RSSI,
time) travels beside it in a `SightingLog`: every read updates it, folded or not, so
"last seen" is always fresh even while the sink hears about a resting tag only once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from floor.scanners.folding import RepeatFilter


@dataclass(frozen=True)
class TagRead:
    """One raw read as a reader reports it; `epc` is upper-case hex, or the raw text if unreadable."""

    epc: str
    antenna: int | None = None
    rssi: float | None = None
    at: datetime | None = None
    valid: bool = True


@dataclass(frozen=True)
class Sighting:
    """Where and when a tag was last read."""

    epc: str
    reader: str
    station: str
    antenna: int | None
    rssi: float | None
    at: datetime
    reads: int

    @property
    def where(self) -> str:
        """A short place name: the reader, and the antenna if known (e.g. `key-cabinet#2`)."""
        return f"{self.reader}#{self.antenna}" if self.antenna is not None else self.reader


Listener = Callable[[Sighting], None]


class SightingLog:
    """Thread-safe last-seen table of tags, bounded to the most recent `capacity` tags."""

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._last: OrderedDict[str, Sighting] = OrderedDict()
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        """Call `listener` with each reported (unfolded) sighting, e.g. to update Tag.last_seen_*."""
        self._listeners.append(listener)

    def record(self, read: TagRead, reader: str, station: str, at: datetime) -> Sighting:
        """Note one read of a tag and return its updated sighting."""
        with self._lock:
            prev = self._last.pop(read.epc, None)
            sighting = Sighting(
                read.epc, reader, station, read.antenna, read.rssi, read.at or at, (prev.reads if prev else 0) + 1
            )
            self._last[read.epc] = sighting
            if len(self._last) > self.capacity:
                self._last.popitem(last=False)
        return sighting

    def report(self, sighting: Sighting) -> None:
        """Tell listeners about a sighting that is being delivered to the sink."""
        for listener in self._listeners:
            listener(sighting)

    def last(self, epc: str) -> Sighting | None:
        """The latest sighting of a tag, if any."""
        with self._lock:
            return self._last.get(epc.upper())

    def recent(self, limit: int = 50) -> list[Sighting]:
        """The most recently read tags, newest first."""
        with self._lock:
            return list(reversed(self._last.values()))[:limit]


class TagFolder:
    """Folds repeated reads per tag and antenna and records every read in the sighting log."""

    def __init__(self, reader: str, station: str, window_s: float = 2.0, sightings: SightingLog | None = None) -> None:
        self.reader = reader
        self.station = station
        self.filter = RepeatFilter(window_s)
        self.sightings = sightings if sightings is not None else SightingLog()
        self.reads = 0

    def fold(self, reads: list[TagRead], now: datetime) -> list[bytes]:
        """Return the raw scans to deliver: EPC hex of each tag+antenna not read within the window."""
        out: list[bytes] = []
        for read in reads:
            self.reads += 1
            if not read.valid:
                # Unreadable lines go to the sink to be logged as rejected, folded by text.
                if self.filter.admit(("?", read.epc)):
                    out.append(read.epc.encode("utf-8", "surrogateescape"))
                continue
            sighting = self.sightings.record(read, self.reader, self.station, now)
            if self.filter.admit((read.epc, read.antenna)):
                self.sightings.report(sighting)
                out.append(read.epc.encode("ascii"))
        return out
