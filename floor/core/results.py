"""What every scan gets back, and the small interface devices deliver scans through."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass
class ScanResult:
    """The outcome of one scan: accepted or rejected, a bilingual message, its effects."""

    ok: bool
    code: str
    message: str
    message_zh: str
    seq: int | None = None
    duplicate: bool = False
    event_id: int | None = None
    effects: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The result as it appears in the `POST /api/scans` answer."""
        return {
            "seq": self.seq,
            "ok": self.ok,
            "code": self.code,
            "message": self.message,
            "message_zh": self.message_zh,
            "duplicate": self.duplicate,
            "event_id": self.event_id,
            "effects": self.effects,
        }


@dataclass(frozen=True)
class ScanInput:
    """One scan as a device delivers it: raw bytes plus optional sequence number and device time."""

    raw: bytes
    seq: int | None = None
    at: datetime | None = None


class ScanSink(Protocol):
    """Where device readers deliver scans: the local service, or a gateway's outbox."""

    def submit(self, station: str, device: str, scans: list[ScanInput]) -> list[ScanResult]:
        """Apply scans of one device in order; return one result each once they are durable."""
        ...

    def last_seq(self, device: str) -> int:
        """The highest sequence number already recorded for this device (0 if none)."""
        ...
