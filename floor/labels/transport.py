"""Printer connections opened from a URL: tcp://host:9100, any pyserial URL, a USB printer device file.

URL forms:
  tcp://HOST:PORT            raw socket (Zebra port 9100)
  /dev/usb/lpN, /dev/lpN     a USB/parallel printer device file (written, read back if it answers)
  file:///PATH               any file or FIFO, written like a device file
  anything else              pyserial `serial_for_url` (/dev/ttyUSB0, a pty, socket://, rfc2217://, loop://)
Options (from the [[printers]] table): timeout (s), baudrate.
"""

from __future__ import annotations

import os
import re
import select
import socket
import time
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlsplit

import serial

from floor.labels.hoststatus import ETX

DEFAULT_TIMEOUT = 2.0
_DEVICE_FILE = re.compile(r"^/dev/(usb/)?lp\d+$")


class PrinterOffline(OSError):
    """The printer cannot be reached (connection refused, no such device, write failed)."""


class Transport(Protocol):
    """A byte connection to one printer."""

    def write(self, data: bytes) -> None:
        """Send all of `data` or raise PrinterOffline."""
        ...

    def read_until_frames(self, frames: int, timeout: float) -> bytes:
        """Read until `frames` ETX-terminated strings arrived or `timeout` passed; return what came."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


def _collect(read: Callable[[float], bytes | None], frames: int, timeout: float) -> bytes:
    """Call `read(seconds_left)` until `frames` ETX arrived, time ran out, or it returned None (no more)."""
    buf = b""
    deadline = time.monotonic() + timeout
    while buf.count(ETX) < frames:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        chunk = read(left)
        if chunk is None:
            break
        buf += chunk
    return buf


class TcpTransport:
    """Raw TCP, as to port 9100 of a network printer."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        try:
            self.sock = socket.create_connection((host, port), timeout=timeout)
        except OSError as exc:
            raise PrinterOffline(f"cannot connect to {host}:{port}: {exc}") from None
        self.sock.settimeout(timeout)

    def write(self, data: bytes) -> None:
        """Send all bytes; a failed sendall means the trailing ^XZ never left."""
        try:
            self.sock.sendall(data)
        except OSError as exc:
            raise PrinterOffline(f"write failed: {exc}") from None

    def read_until_frames(self, frames: int, timeout: float) -> bytes:
        """Read the answer until enough ETX arrived or the timeout ran out."""
        return _collect(self._recv, frames, timeout)

    def _recv(self, left: float) -> bytes | None:
        self.sock.settimeout(left)
        try:
            return self.sock.recv(4096) or None  # b"": the printer closed the connection
        except TimeoutError:
            return None
        except OSError as exc:
            raise PrinterOffline(f"read failed: {exc}") from None

    def close(self) -> None:
        """Close the socket."""
        self.sock.close()


class SerialTransport:
    """Any pyserial URL: a serial port, a pty, socket://, rfc2217://."""

    def __init__(self, url: str, baudrate: int, timeout: float) -> None:
        try:
            self.port = serial.serial_for_url(url, baudrate=baudrate, timeout=0.05, write_timeout=timeout)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise PrinterOffline(f"cannot open {url}: {exc}") from None

    def write(self, data: bytes) -> None:
        """Write and drain all bytes."""
        try:
            self.port.write(data)
            self.port.flush()
        except (serial.SerialException, OSError) as exc:
            raise PrinterOffline(f"write failed: {exc}") from None

    def read_until_frames(self, frames: int, timeout: float) -> bytes:
        """Read the answer until enough ETX arrived or the timeout ran out."""
        try:
            return _collect(lambda _left: self.port.read(max(1, self.port.in_waiting)), frames, timeout)
        except (serial.SerialException, OSError) as exc:
            raise PrinterOffline(f"read failed: {exc}") from None

    def close(self) -> None:
        """Close the port."""
        self.port.close()


class DeviceFileTransport:
    """A printer device file (/dev/usb/lp0) or any writable path; reads back only if the device answers."""

    def __init__(self, path: str, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        try:
            self.fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)
        except IsADirectoryError:
            raise PrinterOffline(f"cannot open {path}: is a directory") from None
        except OSError:
            try:  # write-only devices and plain files
                self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK)
            except OSError as exc:
                raise PrinterOffline(f"cannot open {path}: {exc}") from None

    def write(self, data: bytes) -> None:
        """Write all bytes, waiting for the device while it is busy."""
        view = memoryview(data)
        deadline = time.monotonic() + self.timeout
        while view:
            try:
                n = os.write(self.fd, view)
                view = view[n:]
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise PrinterOffline(f"{self.path}: device did not take data within {self.timeout} s") from None
                select.select([], [self.fd], [], 0.05)
            except OSError as exc:
                raise PrinterOffline(f"write failed: {exc}") from None

    def read_until_frames(self, frames: int, timeout: float) -> bytes:
        """Read the answer until enough ETX arrived or the timeout ran out."""
        return _collect(self._read, frames, timeout)

    def _read(self, left: float) -> bytes | None:
        ready, _, _ = select.select([self.fd], [], [], left)
        if not ready:
            return None
        try:
            chunk = os.read(self.fd, 4096)
        except BlockingIOError:
            return b""
        except OSError:
            return None  # write-only: treated as no answer
        if not chunk:
            time.sleep(min(0.05, max(left, 0)))  # a plain file at EOF: nothing will come
        return chunk

    def close(self) -> None:
        """Close the file."""
        os.close(self.fd)


def open_transport(url: str, options: dict[str, Any] | None = None) -> Transport:
    """Open the printer at `url`; raise PrinterOffline when it cannot be reached."""
    opts = options or {}
    timeout = float(opts.get("timeout", DEFAULT_TIMEOUT))
    if url.startswith("tcp://"):
        parts = urlsplit(url)
        if not parts.hostname:
            raise PrinterOffline(f"no host in {url!r}")
        return TcpTransport(parts.hostname, parts.port or 9100, timeout)
    if url.startswith("file://"):
        return DeviceFileTransport(urlsplit(url).path, timeout)
    if _DEVICE_FILE.match(url) or opts.get("transport") == "file":
        return DeviceFileTransport(url, timeout)
    return SerialTransport(url, int(opts.get("baudrate", 9600)), timeout)
