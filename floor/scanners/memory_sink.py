"""An in-memory ScanSink for tests, benches and dry runs: no database, same idempotency rules."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from floor.core.results import ScanInput, ScanResult
from floor.scanners.framing import MAX_LINE_BYTES


@dataclass(frozen=True)
class Received:
    """One scan as the sink recorded it."""

    station: str
    device: str
    seq: int | None
    raw: bytes
    result: ScanResult


class MemorySink:
    """Accepts any non-empty UTF-8 scan up to 4 KiB; a repeated device+seq returns its first result."""

    def __init__(self, reject_prefixes: tuple[str, ...] = ("BAD",)) -> None:
        self.reject_prefixes = reject_prefixes
        self.received: list[Received] = []
        self._by_seq: dict[tuple[str, int], ScanResult] = {}
        self._last: dict[str, int] = {}
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)

    def submit(self, station: str, device: str, scans: list[ScanInput]) -> list[ScanResult]:
        """Record scans in order and return one result each."""
        out: list[ScanResult] = []
        with self._cond:
            for scan in scans:
                key = (device, scan.seq) if scan.seq is not None else None
                if key is not None and key in self._by_seq:
                    first = self._by_seq[key]
                    out.append(
                        ScanResult(first.ok, first.code, first.message, first.message_zh, seq=scan.seq, duplicate=True)
                    )
                    continue
                result = self._judge(scan)
                if key is not None:
                    self._by_seq[key] = result
                    self._last[device] = max(self._last.get(device, 0), scan.seq or 0)
                self.received.append(Received(station, device, scan.seq, scan.raw, result))
                out.append(result)
            self._cond.notify_all()
        return out

    def last_seq(self, device: str) -> int:
        """The highest seq recorded for the device."""
        with self._lock:
            return self._last.get(device, 0)

    def texts(self, device: str | None = None) -> list[str]:
        """Accepted scan texts in arrival order."""
        with self._lock:
            return [r.raw.decode() for r in self.received if r.result.ok and device in (None, r.device)]

    def wait_count(self, count: int, timeout: float = 2.0) -> bool:
        """Wait until at least `count` scans (accepted or not) were recorded."""
        with self._cond:
            return self._cond.wait_for(lambda: len(self.received) >= count, timeout)

    def _judge(self, scan: ScanInput) -> ScanResult:
        seq = scan.seq
        if len(scan.raw) > MAX_LINE_BYTES:
            return ScanResult(False, "too_long", "Scan too long", "扫描内容过长", seq=seq)
        try:
            text = scan.raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            return ScanResult(False, "bad_encoding", "Unreadable scan", "无法识别的扫描", seq=seq)
        if not text:
            return ScanResult(False, "empty", "Empty scan", "空扫描", seq=seq)
        if text.startswith(self.reject_prefixes):
            return ScanResult(False, "unknown", "Unknown code", "未知代码", seq=seq)
        return ScanResult(True, "ok", "Accepted", "已接受", seq=seq)
