"""A simulated serial device on a pty (a stable symlink that survives replug) or in-process on `sim://<name>`."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import tempfile
import termios
import threading
import tty
from pathlib import Path

from hardware_sim.memory_link import SCHEME, MemoryLink

# Packet mode lets the device side see the host flush its input queue, which pyserial
# does on every open: that is our stand-in for the DTR line a real USB device watches.
_TIOCPKT_FLUSHREAD = 0x01


class PtyDevice:
    """The device end of a pty: write bytes to the host, collect what the host writes back.

    `path` is a symlink (by default in a fresh temp dir) that `unplug()` removes and
    `replug()` points at a brand-new pty, as udev does with /dev/floor/... names.
    With `link="sim://<name>"` there is no pty: the device lives in this process and the
    host opens `path` (that same URL) with pyserial's `serial_for_url`.
    """

    def __init__(self, link: str | os.PathLike[str] | None = None) -> None:
        self._memory: MemoryLink | None = None
        self._tmpdir: tempfile.TemporaryDirectory[str] | None = None
        self.host_opened = threading.Event()
        if isinstance(link, str) and link.lower().startswith(SCHEME):
            self._memory = MemoryLink(link, self._from_host, self.host_opened.set)
            self.path = self._memory.url
        else:
            if link is None:
                self._tmpdir = tempfile.TemporaryDirectory(prefix="floor-sim-")
                link = Path(self._tmpdir.name) / "tty"
            self.path = str(link)
        self._received = bytearray()
        self._cond = threading.Condition()
        self._master: int | None = None
        self._slave: int | None = None
        self._thread: threading.Thread | None = None
        self._running = False
        self._write_lock = threading.Lock()
        self.plug()

    # -- plugging --------------------------------------------------------
    @property
    def plugged(self) -> bool:
        """True while the device is attached."""
        return self._memory.plugged if self._memory is not None else self._master is not None

    @property
    def tty_name(self) -> str | None:
        """The current /dev/pts/N behind the symlink."""
        return os.ttyname(self._slave) if self._slave is not None else None

    def plug(self) -> None:
        """Attach: create a pty and point the symlink at it."""
        if self.plugged:
            return
        if self._memory is not None:
            self.host_opened.clear()
            self._memory.plug()
            return
        master, slave = pty.openpty()
        # Raw before anyone opens it, so nothing the device writes early is echoed or cooked.
        tty.setraw(slave)
        fcntl.ioctl(master, termios.TIOCPKT, struct.pack("i", 1))
        self._master, self._slave = master, slave
        self.host_opened.clear()
        tmp = self.path + ".new"
        if os.path.lexists(tmp):
            os.unlink(tmp)
        os.symlink(os.ttyname(slave), tmp)
        os.replace(tmp, self.path)  # atomic re-point: readers never see a half-made link
        self._running = True
        self._thread = threading.Thread(target=self._read_loop, name=f"sim-{self.path}", daemon=True)
        self._thread.start()

    def unplug(self) -> None:
        """Detach: the host's next read fails, and the symlink disappears as /dev nodes do."""
        if not self.plugged:
            return
        if self._memory is not None:
            self._memory.unplug()
            return
        self._running = False
        if self._thread is not None:
            self._thread.join(2.0)
        if os.path.lexists(self.path):
            os.unlink(self.path)
        for fd in (self._master, self._slave):
            if fd is not None:
                os.close(fd)
        self._master = self._slave = None

    def replug(self) -> None:
        """Unplug and plug again: a new pty behind the same symlink path."""
        self.unplug()
        self.plug()

    def close(self) -> None:
        """Unplug for good and remove the temp dir."""
        self.unplug()
        if self._memory is not None:
            self._memory.close()
        if self._tmpdir is not None:
            self._tmpdir.cleanup()

    def __enter__(self) -> PtyDevice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- traffic ---------------------------------------------------------
    def write(self, data: bytes) -> None:
        """Send bytes to the host as one write (a device's UART would send them back to back)."""
        if self._memory is not None:
            self._memory.device_write(bytes(data))
            return
        with self._write_lock:
            if self._master is None:
                raise OSError("device is unplugged")
            view = memoryview(data)
            while view:
                view = view[os.write(self._master, view) :]

    def wait_host(self, timeout: float = 5.0) -> bool:
        """Wait until a host has opened the port since the last plug."""
        return self.host_opened.wait(timeout)

    def received(self) -> bytes:
        """Everything the host wrote so far."""
        with self._cond:
            return bytes(self._received)

    def wait_received(self, count: int, timeout: float = 2.0) -> bytes:
        """Wait until the host has written at least `count` bytes in total; return them all."""
        with self._cond:
            self._cond.wait_for(lambda: len(self._received) >= count, timeout)
            return bytes(self._received)

    def on_data(self, data: bytes) -> None:
        """Called with each chunk the host writes (subclasses answer commands here)."""

    def _read_loop(self) -> None:
        master = self._master
        assert master is not None
        while self._running:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            if chunk[0] != 0:  # a packet-mode status byte, no data
                if chunk[0] & _TIOCPKT_FLUSHREAD:
                    self.host_opened.set()
                continue
            self._from_host(chunk[1:])

    def _from_host(self, data: bytes) -> None:
        with self._cond:
            self._received += data
            self._cond.notify_all()
        self.on_data(data)
