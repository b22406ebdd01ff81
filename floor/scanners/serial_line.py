"""A line-oriented device on any pyserial URL: open, read, frame, reopen after unplug."""

from __future__ import annotations

import abc

import serial

from floor.config import DeviceConfig
from floor.core.results import ScanSink
from floor.scanners.base import DeviceReader
from floor.scanners.framing import MAX_LINE_BYTES, Frame, LineFramer

# Short enough that stop() is prompt, long enough that an idle port costs nothing.
READ_TIMEOUT_S = 0.2
WRITE_TIMEOUT_S = 1.0


class SerialLineReader(DeviceReader):
    """Reads lines from `serial.serial_for_url(device.url)`; subclasses decide what a line means."""

    def __init__(self, device: DeviceConfig, sink: ScanSink, terminators: tuple[bytes, ...]) -> None:
        super().__init__(device, sink)
        self.baudrate = int(device.option("baudrate", 9600))
        self.framer = LineFramer(terminators, MAX_LINE_BYTES)
        self.port: serial.SerialBase | None = None

    def _connect(self) -> None:
        # A partial line from before an unplug was never acknowledged: the user rescans it.
        self.framer.reset()
        self.port = serial.serial_for_url(
            self.device.url, baudrate=self.baudrate, timeout=READ_TIMEOUT_S, write_timeout=WRITE_TIMEOUT_S
        )

    def _pump(self) -> None:
        port = self.port
        assert port is not None
        # read(1) returns as soon as one byte is there; then take whatever else is waiting.
        data = port.read(port.in_waiting or 1)
        if data:
            frames = self.framer.feed(data)
            if frames:
                self.on_frames(frames)

    def _disconnect(self) -> None:
        port, self.port = self.port, None
        if port is not None:
            try:
                port.close()
            except (OSError, serial.SerialException):
                pass  # the device is already gone

    def _interrupt(self) -> None:
        port = self.port
        if port is not None and hasattr(port, "cancel_read"):
            try:
                port.cancel_read()
            except (OSError, serial.SerialException):
                pass

    def write(self, data: bytes) -> None:
        """Write bytes back to the device (ACK/NAK, commands)."""
        port = self.port
        if port is not None and data:
            port.write(data)

    @abc.abstractmethod
    def on_frames(self, frames: list[Frame]) -> None:
        """Handle the lines completed by one read, in order."""
