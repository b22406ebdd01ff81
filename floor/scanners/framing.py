"""Line framing of a byte stream, apart from any port: terminators, partial lines, over-long lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LINE_BYTES = 4096
TERMINATORS = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}


@dataclass(frozen=True)
class Frame:
    """One line without its terminator; `dropped` counts bytes cut off beyond the limit."""

    data: bytes
    dropped: int = 0

    @property
    def overlong(self) -> bool:
        """True when the line was longer than the limit and was cut."""
        return self.dropped > 0

    def to_raw(self) -> bytes:
        """The bytes to hand to the sink.

        An over-long line keeps its first MAX bytes and gets a marker appended, so the raw
        value is always longer than the limit and the service rejects it as too long while
        the event log still shows how the line began and how much was discarded.
        """
        if not self.dropped:
            return self.data
        return self.data + b" [floor: %d more bytes discarded]" % self.dropped


class LineFramer:
    """Splits a byte stream into lines at any of the given terminators.

    Empty lines (two terminators in a row, a CR-LF pair seen by a CR framer) are skipped.
    Bytes beyond `limit` in one line are not kept, so a stream that never sends a
    terminator costs bounded memory.
    """

    def __init__(self, terminators: tuple[bytes, ...] = (b"\r",), limit: int = MAX_LINE_BYTES) -> None:
        ordered = sorted(terminators, key=len, reverse=True)
        self._re = re.compile(b"|".join(re.escape(t) for t in ordered))
        # A longer terminator may be split across reads: keep that many bytes to match later.
        self._keep = max(len(t) for t in terminators) - 1
        self.limit = limit
        self._buf = b""
        self._head: bytes | None = None
        self._dropped = 0

    def reset(self) -> None:
        """Forget any partial line (the port was reopened)."""
        self._buf = b""
        self._head = None
        self._dropped = 0

    @property
    def pending(self) -> int:
        """Bytes of the current partial line held in memory."""
        return len(self._buf) + len(self._head or b"")

    def feed(self, data: bytes) -> list[Frame]:
        """Add bytes and return every line they complete, in order."""
        buf = self._buf + data if self._buf else data
        frames: list[Frame] = []
        start = 0
        for match in self._re.finditer(buf):
            line = buf[start : match.start()]
            start = match.end()
            if self._head is not None:
                frames.append(Frame(self._head, self._dropped + len(line)))
                self._head, self._dropped = None, 0
            elif len(line) > self.limit:
                frames.append(Frame(line[: self.limit], len(line) - self.limit))
            elif line:
                frames.append(Frame(line))
        rest = buf[start:]
        cut = len(rest) - self._keep
        if self._head is not None and cut > 0:
            self._dropped += cut
            rest = rest[cut:]
        elif self._head is None and len(rest) > self.limit + self._keep:
            self._head = rest[: self.limit]
            self._dropped = cut - self.limit
            rest = rest[cut:]
        self._buf = rest
        return frames
