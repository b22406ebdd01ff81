"""pyserial's `sim://<name>` ports: the host end of an in-process simulated device.

`serial.serial_for_url("sim://scanner-1")` finds the simulator registered under that
name (see hardware_sim.memory_link) and behaves like a serial port on it: timeouts,
in_waiting, cancel_read, and a SerialException when the device is unplugged.
"""

from __future__ import annotations

from typing import Any

from serial.serialutil import PortNotOpenError, SerialBase, SerialException

from hardware_sim.memory_link import LinkGone, MemoryLink, lookup


class Serial(SerialBase):
    """A serial port on a simulated device in this process."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._link: MemoryLink | None = None
        self._generation = -1
        super().__init__(*args, **kwargs)

    def open(self) -> None:
        """Attach to the device named by the URL; fails like a missing /dev node when it is not there."""
        if self.is_open:
            raise SerialException("Port is already open.")
        if self._port is None:
            raise SerialException("Port must be configured before it can be used.")
        try:
            link = lookup(self._port)
            self._generation = link.host_open()
        except (LinkGone, ValueError) as exc:
            raise SerialException(2, f"could not open port {self._port}: {exc}") from None
        self._link = link
        self.is_open = True

    def close(self) -> None:
        """Detach (the device stays registered)."""
        self.is_open = False
        self._link = None

    def _reconfigure_port(self, *args: Any, **kwargs: Any) -> None:
        """Baud rate and framing mean nothing on an in-memory wire."""

    def _live(self) -> MemoryLink:
        if not self.is_open or self._link is None:
            raise PortNotOpenError()
        return self._link

    def _gone(self, exc: LinkGone) -> SerialException:
        return SerialException(str(exc))

    @property
    def in_waiting(self) -> int:
        """Bytes ready to read."""
        try:
            return self._live().host_waiting(self._generation)
        except LinkGone as exc:
            raise self._gone(exc) from None

    def read(self, size: int = 1) -> bytes:
        """Read up to `size` bytes, waiting at most the port's timeout."""
        try:
            return self._live().host_read(self._generation, size, self._timeout)
        except LinkGone as exc:
            raise self._gone(exc) from None

    def write(self, data: bytes) -> int:  # type: ignore[override]
        """Send bytes to the device."""
        try:
            return self._live().host_write(self._generation, bytes(data))
        except LinkGone as exc:
            raise SerialException(f"write failed: {exc}") from None

    def cancel_read(self) -> None:
        """Wake a blocked read."""
        if self._link is not None:
            self._link.host_cancel_read()

    def reset_input_buffer(self) -> None:
        """Drop bytes not yet read."""
        try:
            self._live().host_flush(self._generation)
        except LinkGone as exc:
            raise self._gone(exc) from None

    def reset_output_buffer(self) -> None:
        """Nothing is ever queued towards the device."""

    @property
    def out_waiting(self) -> int:
        """Nothing is ever queued towards the device."""
        return 0

    def _update_break_state(self) -> None:
        pass

    def _update_rts_state(self) -> None:
        pass

    def _update_dtr_state(self) -> None:
        pass

    @property
    def cts(self) -> bool:
        """Clear to send: always (no flow control on the wire)."""
        return True

    @property
    def dsr(self) -> bool:
        """Data set ready: the device is plugged."""
        return self._link is not None and self._link.plugged

    @property
    def ri(self) -> bool:
        """Ring indicator: never."""
        return False

    @property
    def cd(self) -> bool:
        """Carrier detect: the device is plugged."""
        return self.dsr
