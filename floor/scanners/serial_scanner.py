"""Serial barcode scanners: one scan per line, ACK/NAK bytes written back once the scan is stored."""

from __future__ import annotations

from floor.config import DeviceConfig
from floor.core.results import ScanSink
from floor.scanners.framing import TERMINATORS, Frame
from floor.scanners.serial_line import SerialLineReader


class SerialScannerReader(SerialLineReader):
    """A `serial-scanner` device: options baudrate, terminator (CR|LF|CRLF), ack, nak (hex)."""

    kind = "serial-scanner"

    def __init__(self, device: DeviceConfig, sink: ScanSink) -> None:
        term = TERMINATORS[str(device.option("terminator", "CR")).upper()]
        super().__init__(device, sink, (term,))
        self.ack = bytes.fromhex(str(device.option("ack", "06")))
        self.nak = bytes.fromhex(str(device.option("nak", "15")))

    def on_frames(self, frames: list[Frame]) -> None:
        """Submit the lines as one batch, then answer each with ACK or NAK in order.

        The answer is written only after `submit` returned, i.e. once the scans are
        durable: a beep means stored. AIM prefixes stay in the raw text for the service.
        """
        results = self.deliver([f.to_raw() for f in frames])
        self.write(b"".join(self.ack if r.ok else self.nak for r in results))
