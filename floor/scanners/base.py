"""The device reader skeleton: one thread per device, reconnect with backoff, seq numbering, state."""

from __future__ import annotations

import abc
import enum
import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from floor import clock
from floor.config import DeviceConfig
from floor.core.results import ScanInput, ScanResult, ScanSink

log = logging.getLogger("floor.scanners")


class ReaderState(enum.Enum):
    """Where a device reader is in its life."""

    STARTING = "starting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    STOPPED = "stopped"


@dataclass(frozen=True)
class ReaderStatus:
    """A snapshot of one reader for `floor devices` and the kiosk."""

    name: str
    kind: str
    url: str
    station: str
    state: ReaderState
    since: datetime
    last_error: str | None
    scans: int
    rejected: int
    last_scan_at: datetime | None

    def to_json(self) -> dict[str, object]:
        """The status as plain JSON values."""
        return {
            "name": self.name,
            "kind": self.kind,
            "url": self.url,
            "station": self.station,
            "state": self.state.value,
            "since": self.since.isoformat(),
            "last_error": self.last_error,
            "scans": self.scans,
            "rejected": self.rejected,
            "last_scan_at": self.last_scan_at.isoformat() if self.last_scan_at else None,
        }


class DeviceGone(OSError):
    """The device closed its end (end of stream, unplugged): reconnect."""


class DeviceReader(abc.ABC):
    """Runs one device in its own thread and hands its scans to a ScanSink in order.

    Subclasses implement `_connect`, `_pump` (one bounded blocking read plus delivery)
    and `_disconnect`; everything about threads, backoff and state lives here.
    """

    kind: ClassVar[str] = "device"
    backoff_min_s: ClassVar[float] = 0.05
    backoff_max_s: ClassVar[float] = 5.0

    def __init__(self, device: DeviceConfig, sink: ScanSink) -> None:
        self.device = device
        self.sink = sink
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._state = ReaderState.STOPPED
        self._since = clock.now()
        self._last_error: str | None = None
        self._scans = 0
        self._rejected = 0
        self._last_scan_at: datetime | None = None
        self._next_seq: int | None = None

    # -- lifecycle -------------------------------------------------------
    def start(self) -> None:
        """Start the reader thread (idempotent)."""
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._set_state(ReaderState.STARTING)
        self._thread = threading.Thread(target=self._run, name=f"reader-{self.device.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        """Ask the reader to stop, unblock it, and wait for its thread to end."""
        self._stop.set()
        self._interrupt()
        if self._thread is not None:
            self._thread.join(timeout)
        self._set_state(ReaderState.STOPPED)

    @property
    def stopping(self) -> bool:
        """True once stop() was called."""
        return self._stop.is_set()

    def status(self) -> ReaderStatus:
        """A consistent snapshot of the reader's state and counters."""
        with self._lock:
            return ReaderStatus(
                self.device.name,
                self.kind,
                self.device.url,
                self.device.station,
                self._state,
                self._since,
                self._last_error,
                self._scans,
                self._rejected,
                self._last_scan_at,
            )

    def wait_state(self, state: ReaderState, timeout: float) -> bool:
        """Block until the reader is in `state` (True) or the timeout passes (False)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._state is state, timeout)

    def wait_scans(self, count: int, timeout: float) -> bool:
        """Block until the reader has delivered at least `count` scans."""
        with self._changed:
            return self._changed.wait_for(lambda: self._scans >= count, timeout)

    # -- subclass hooks --------------------------------------------------
    @abc.abstractmethod
    def _connect(self) -> None:
        """Open the device; raise OSError (or a subclass) when it is not there."""

    @abc.abstractmethod
    def _pump(self) -> None:
        """Read once, blocking briefly at most, and deliver any complete scans."""

    @abc.abstractmethod
    def _disconnect(self) -> None:
        """Close the device, ignoring errors."""

    def _interrupt(self) -> None:
        """Unblock a pending read so stop() is prompt (default: reads time out by themselves)."""

    # -- delivery --------------------------------------------------------
    def deliver(self, raws: list[bytes], at: datetime | None = None) -> list[ScanResult]:
        """Number scans, submit them to the sink in one call, and count the outcome.

        If the sink fails the scans are reported rejected (the device gets a NAK) and the
        sequence is re-read from the sink, so a scan that was not stored never burns a number.
        """
        if not raws:
            return []
        at = at or clock.now()
        try:
            if self._next_seq is None:
                self._next_seq = self.sink.last_seq(self.device.name) + 1
            first = self._next_seq
            scans = [ScanInput(raw=r, seq=first + i, at=at) for i, r in enumerate(raws)]
            results = self.sink.submit(self.device.station, self.device.name, scans)
            self._next_seq = first + len(raws)
        except Exception as exc:  # the sink is another subsystem: never let it kill the reader
            log.exception("device %s: sink failed", self.device.name)
            self._next_seq = None
            with self._changed:
                self._last_error = f"sink: {exc}"
                self._rejected += len(raws)
                self._changed.notify_all()
            return [
                ScanResult(False, "sink_error", "Scan not stored, scan again", "扫描未保存，请重新扫描") for _ in raws
            ]
        with self._changed:
            self._scans += len(raws)
            self._rejected += sum(1 for r in results if not r.ok)
            self._last_scan_at = at
            self._changed.notify_all()
        return results

    # -- the thread ------------------------------------------------------
    def _set_state(self, state: ReaderState, error: str | None = None) -> None:
        with self._changed:
            if state is self._state and error == self._last_error:
                return
            old = self._state
            self._state = state
            self._since = clock.now()
            if error is not None:
                self._last_error = error
            self._changed.notify_all()
        if old is not state:
            log.info(
                "device %s (%s): %s -> %s%s",
                self.device.name,
                self.device.url,
                old.value,
                state.value,
                f" ({error})" if error else "",
            )

    def _run(self) -> None:
        delay = self.backoff_min_s
        while not self._stop.is_set():
            try:
                self._connect()
            except Exception as exc:  # a missing device is normal: keep trying with backoff
                self._disconnect()  # whatever the failed attempt opened
                self._set_state(ReaderState.RECONNECTING, f"open: {exc}")
                self._stop.wait(delay)
                delay = min(delay * 2, self.backoff_max_s)
                continue
            self._set_state(ReaderState.CONNECTED)
            delay = self.backoff_min_s
            try:
                while not self._stop.is_set():
                    self._pump()
            except Exception as exc:  # unplugged, connection reset, end of stream
                if not self._stop.is_set():
                    if not isinstance(exc, OSError):
                        log.exception("device %s: reader error", self.device.name)
                    self._set_state(ReaderState.RECONNECTING, f"lost: {exc}")
            finally:
                self._disconnect()
            self._stop.wait(delay)
        self._set_state(ReaderState.STOPPED)
