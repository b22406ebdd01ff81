"""Keyboard-wedge (HID) scanners read through evdev, grabbed so no keystroke reaches the desktop.

The device URL is the event device path, best a stable one: `/dev/input/by-id/…-event-kbd`
or a udev symlink `/dev/floor/…`. Options: layout ("us" | "de", default "us").
Enter (or keypad Enter) ends a scan. GS1 group separators arrive as Ctrl+] or as the
Alt+keypad code Alt+0029, both of which scanners offer; both give "\x1d".
"""

from __future__ import annotations

import select

import evdev
from evdev import ecodes as e

from floor.config import DeviceConfig
from floor.core.results import ScanSink
from floor.scanners.base import DeviceReader
from floor.scanners.framing import MAX_LINE_BYTES, Frame
from floor.scanners.keymaps import KEYPAD, LAYOUTS

_SHIFT = {e.KEY_LEFTSHIFT, e.KEY_RIGHTSHIFT}
_CTRL = {e.KEY_LEFTCTRL, e.KEY_RIGHTCTRL}
_ENTER = {e.KEY_ENTER, e.KEY_KPENTER}
KEY_UP, KEY_DOWN = 0, 1


class KeyDecoder:
    """Turns a stream of evdev key events into scanned texts, one per Enter."""

    def __init__(self, layout: str = "us", limit: int = MAX_LINE_BYTES) -> None:
        try:
            self.keymap = LAYOUTS[layout.lower()]
        except KeyError:
            raise ValueError(f"unknown keyboard layout {layout!r}; known: {', '.join(LAYOUTS)}") from None
        self.limit = limit
        self._held: set[int] = set()
        self._caps = False
        self._chars: list[str] = []
        self._alt_code: str | None = None

    def feed(self, event: evdev.InputEvent) -> bytes | None:
        """Take one input event; return the scan's raw bytes when Enter completes it."""
        if event.type != e.EV_KEY:
            return None
        code, value = event.code, event.value
        if value == KEY_UP:
            self._held.discard(code)
            if code == e.KEY_LEFTALT and self._alt_code:
                self._add(chr(int(self._alt_code) % 256))
            if code == e.KEY_LEFTALT:
                self._alt_code = None
            return None
        if value == KEY_DOWN:
            self._held.add(code)
        if code == e.KEY_CAPSLOCK and value == KEY_DOWN:
            self._caps = not self._caps
        elif code == e.KEY_LEFTALT and value == KEY_DOWN:
            self._alt_code = ""
        elif code in _ENTER:
            return self._finish()
        elif self._alt_code is not None and code in KEYPAD:
            self._alt_code += KEYPAD[code]
        else:
            self._type(code)
        return None

    def _type(self, code: int) -> None:
        keys = self.keymap.get(code)
        if keys is None:
            return  # function keys and the like carry no data
        plain, shifted, altgr = keys
        if e.KEY_RIGHTALT in self._held:
            ch = altgr
        elif self._held & _CTRL:
            # Ctrl+letter or Ctrl+[\]^_ are the ASCII control characters (Ctrl+] is GS).
            base = shifted if self._held & _SHIFT else plain
            ch = chr(ord(base.upper()) & 0x1F) if base and "@" <= base.upper() <= "_" else ""
        else:
            shift = bool(self._held & _SHIFT)
            if self._caps and plain.isalpha():
                shift = not shift
            ch = shifted if shift else plain
        self._add(ch)

    def _add(self, ch: str) -> None:
        if ch:
            self._chars.append(ch)

    def _finish(self) -> bytes | None:
        text, self._chars = "".join(self._chars), []
        if not text:
            return None
        data = text.encode("utf-8")
        return Frame(data[: self.limit], max(0, len(data) - self.limit)).to_raw()


class HidScannerReader(DeviceReader):
    """A `hid-scanner` device: the input device is grabbed while the reader runs."""

    kind = "hid-scanner"

    def __init__(self, device: DeviceConfig, sink: ScanSink) -> None:
        super().__init__(device, sink)
        self.layout = str(device.option("layout", "us"))
        self.decoder = KeyDecoder(self.layout)
        self._dev: evdev.InputDevice | None = None

    def _connect(self) -> None:
        dev = evdev.InputDevice(self.device.url)
        try:
            dev.grab()  # exclusive: the scan must not also be typed into whatever has focus
        except OSError:
            dev.close()
            raise
        self.decoder = KeyDecoder(self.layout)
        self._dev = dev

    def _pump(self) -> None:
        dev = self._dev
        assert dev is not None
        ready, _, _ = select.select([dev.fd], [], [], 0.2)
        if not ready:
            return
        scans = [raw for ev in dev.read() if (raw := self.decoder.feed(ev)) is not None]
        self.deliver(scans)

    def _disconnect(self) -> None:
        dev, self._dev = self._dev, None
        if dev is not None:
            try:
                dev.ungrab()
            except OSError:
                pass  # unplugged: the grab went with it
            dev.close()
