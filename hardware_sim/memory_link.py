"""The wire between an in-process simulated device and a host port opened as `sim://<name>`.

A pty needs the kernel and a file path; this needs neither: the simulator and the
reader live in one process (a test, a demo, a gateway dry run) and pyserial finds the
device by URL through `hardware_sim.urls.protocol_sim`. Unplugging fails the host's
open port and any new open, as a vanished /dev node does, until the device is plugged again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

_LINKS: dict[str, MemoryLink] = {}
_LINKS_LOCK = threading.Lock()
SCHEME = "sim://"


class LinkGone(OSError):
    """The simulated device was unplugged (or the host's handle belongs to an earlier plug)."""


def normalise(url: str) -> str:
    """`sim://Name/` and `SIM://name` are the same device: `sim://name`."""
    if not url.lower().startswith(SCHEME):
        raise ValueError(f"not a simulator URL: {url!r} (expected sim://<name>)")
    name = url[len(SCHEME) :].split("?", 1)[0].strip("/").lower()
    if not name:
        raise ValueError(f"simulator URL without a name: {url!r}")
    return SCHEME + name


def lookup(url: str) -> MemoryLink:
    """The simulated device registered under a URL, or LinkGone when there is none."""
    key = normalise(url)
    with _LINKS_LOCK:
        link = _LINKS.get(key)
    if link is None:
        raise LinkGone(f"no simulated device {key} in this process (sim:// devices are in-process only)")
    return link


class MemoryLink:
    """Bytes to the host are buffered until it reads them; bytes from the host go to `on_host_data`."""

    def __init__(self, url: str, on_host_data: Callable[[bytes], None], on_host_open: Callable[[], None]) -> None:
        self.url = normalise(url)
        self._on_host_data = on_host_data
        self._on_host_open = on_host_open
        self._to_host = bytearray()
        self._cv = threading.Condition()
        self._plugged = False
        self._generation = 0  # bumped by every unplug: handles from before it are dead
        self._cancel = False
        with _LINKS_LOCK:
            if self.url in _LINKS:
                raise ValueError(f"a simulated device {self.url} already exists in this process")
            _LINKS[self.url] = self

    # -- device side -------------------------------------------------------
    @property
    def plugged(self) -> bool:
        """True while the device is attached."""
        return self._plugged

    def plug(self) -> None:
        """Attach: the host may open the port."""
        with self._cv:
            self._plugged = True
            self._to_host.clear()

    def unplug(self) -> None:
        """Detach: the host's open port fails on its next read or write."""
        with self._cv:
            self._plugged = False
            self._generation += 1
            self._to_host.clear()
            self._cv.notify_all()

    def close(self) -> None:
        """Unplug and forget the URL."""
        self.unplug()
        with _LINKS_LOCK:
            if _LINKS.get(self.url) is self:
                del _LINKS[self.url]

    def device_write(self, data: bytes) -> None:
        """Bytes from the device to the host."""
        with self._cv:
            if not self._plugged:
                raise LinkGone("device is unplugged")
            self._to_host += data
            self._cv.notify_all()

    # -- host side (used by the pyserial handler) --------------------------
    def host_open(self) -> int:
        """Open from the host; returns the handle's generation. Data sent before the open is dropped."""
        with self._cv:
            if not self._plugged:
                raise LinkGone(f"{self.url}: no such device (unplugged)")
            self._to_host.clear()  # as pyserial's open flushes a real port's input
            generation = self._generation
        self._on_host_open()
        return generation

    def _check(self, generation: int) -> None:
        if generation != self._generation or not self._plugged:
            raise LinkGone(f"{self.url}: device disconnected")

    def host_waiting(self, generation: int) -> int:
        """Bytes ready for the host."""
        with self._cv:
            self._check(generation)
            return len(self._to_host)

    def host_read(self, generation: int, size: int, timeout: float | None) -> bytes:
        """Up to `size` bytes; waits for all of them until the timeout (None: forever, 0: not at all)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cv:
            self._cancel = False
            while True:
                self._check(generation)
                if len(self._to_host) >= size or self._cancel:
                    break
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    break
                self._cv.wait(left)
            data = bytes(self._to_host[:size])
            del self._to_host[:size]
            return data

    def host_flush(self, generation: int) -> None:
        """Drop bytes the host has not read."""
        with self._cv:
            self._check(generation)
            self._to_host.clear()

    def host_cancel_read(self) -> None:
        """Wake a blocked `host_read` (pyserial's cancel_read)."""
        with self._cv:
            self._cancel = True
            self._cv.notify_all()

    def host_write(self, generation: int, data: bytes) -> int:
        """Bytes from the host to the device (delivered before this returns)."""
        with self._cv:
            self._check(generation)
        self._on_host_data(bytes(data))
        return len(data)
