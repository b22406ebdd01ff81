"""A simulated serial barcode scanner on a pty, with fault injection."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterable

from hardware_sim.pty_device import PtyDevice

TERMINATORS = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}


class ScannerSim(PtyDevice):
    """A handheld scanner: each scan is written as one line; ACK/NAK answers are collected."""

    def __init__(
        self, link: str | os.PathLike[str] | None = None, terminator: str = "CR", aim: str | None = None
    ) -> None:
        self.terminator = TERMINATORS[terminator.upper()]
        self.aim = aim
        super().__init__(link)

    def frame(self, text: str | bytes, aim: str | None = None) -> bytes:
        """The bytes one scan puts on the wire: AIM prefix, data, terminator."""
        data = text.encode("utf-8") if isinstance(text, str) else text
        prefix = (aim if aim is not None else self.aim) or ""
        return prefix.encode("ascii") + data + self.terminator

    def scan(self, text: str | bytes, aim: str | None = None) -> None:
        """Send one scan."""
        self.write(self.frame(text, aim))

    def scan_and_wait(self, text: str | bytes, timeout: float = 2.0, aim: str | None = None) -> bytes:
        """Send one scan and return the answer bytes the host wrote back (b"" on timeout)."""
        before = len(self.received())
        self.scan(text, aim)
        return self.wait_received(before + 1, timeout)[before:]

    def burst(self, texts: Iterable[str | bytes]) -> int:
        """Send many scans in a single write, as a scanner emptying its batch memory does."""
        payload = b"".join(self.frame(t) for t in texts)
        self.write(payload)
        return payload.count(self.terminator)

    def dribble(self, text: str | bytes, pieces: int = 3, delay_s: float = 0.02) -> None:
        """Send one scan split over several writes with pauses: partial lines across reads."""
        data = self.frame(text)
        step = max(1, len(data) // pieces)
        for i in range(0, len(data), step):
            self.write(data[i : i + step])
            time.sleep(delay_s)

    def garbage(self, length: int = 24, seed: int | None = None) -> bytes:
        """Send a line of random non-UTF-8 bytes (line noise, wrong baud rate) and return it."""
        rnd = random.Random(seed)
        # 0x80-0xFF only: never a terminator, never valid UTF-8 on its own.
        data = bytes(rnd.randrange(0x80, 0x100) for _ in range(length))
        self.write(data + self.terminator)
        return data

    def overlong(self, length: int = 5000) -> None:
        """Send one line longer than any scan may be."""
        self.write(b"X" * length + self.terminator)

    def answers(self) -> bytes:
        """All ACK/NAK bytes received so far."""
        return self.received()
