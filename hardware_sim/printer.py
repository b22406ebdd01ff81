"""A simulated ZPL label printer on a pty and/or a TCP port, with fault injection.

It records every complete format (^XA…^XZ) it receives, "prints" it unless a fault
holds it in the buffer, and answers ~HS with the three-line host status. Out of paper
and head open make it go silent, as real printers do; paused still answers.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from floor.labels.hoststatus import HostStatus, format_host_status
from hardware_sim.pty_device import PtyDevice


class SimPrinter:
    """The printer itself, independent of how bytes reach it: feed() bytes, get answer bytes."""

    def __init__(
        self,
        paper_out_after: int | None = None,
        label_length: int = 1218,
        on_print: Callable[[bytes], None] | None = None,
    ) -> None:
        self.received: list[bytes] = []  # every complete format, in arrival order
        self.printed: list[bytes] = []  # formats that came out of the printer
        self.buffer: list[bytes] = []  # formats held while paused or faulted
        self.paper_out_after = paper_out_after
        self.label_length = label_length
        self.on_print = on_print
        self.mute = False  # never answers anything (a dead back channel)
        self.answer_delay_s = 0.0  # a busy printer: answers (~HS) leave this much later
        self._state = HostStatus()
        self._pending = b""
        self._cond = threading.Condition()

    # -- faults ----------------------------------------------------------
    @property
    def state(self) -> HostStatus:
        """The current status flags."""
        with self._cond:
            return replace(self._state, formats_in_buffer=len(self.buffer))

    def set_fault(self, **flags: bool) -> None:
        """Set status flags (paper_out, head_open, paused, ribbon_out, buffer_full, ...); clearing prints the buffer."""
        with self._cond:
            self._state = replace(self._state, **flags)  # type: ignore[arg-type]
            self._drain()

    def load_paper(self) -> None:
        """Clear paper out (and the automatic paper-out countdown)."""
        self.paper_out_after = None
        self.set_fault(paper_out=False)

    @property
    def silent(self) -> bool:
        """True when the printer will not answer ~HS (paper out, head open, or muted)."""
        s = self._state
        return self.mute or s.paper_out or s.head_open

    # -- the byte stream -------------------------------------------------
    def feed(self, data: bytes) -> bytes:
        """Take bytes from the host; return what the printer answers (b"" mostly)."""
        answer = b""
        with self._cond:
            self._pending += data
            while True:
                buf = self._pending
                start = buf.find(b"^XA")
                tilde = buf.find(b"~")
                if tilde != -1 and (start == -1 or tilde < start):
                    if len(buf) < tilde + 3:
                        break
                    answer += self._control(buf[tilde : tilde + 3].upper())
                    self._pending = buf[tilde + 3 :]
                    continue
                if start == -1:
                    self._pending = buf[-2:] if buf.endswith((b"^", b"^X")) else b""
                    break
                end = buf.find(b"^XZ", start)
                if end == -1:
                    self._pending = buf[start:]
                    break
                self._format(buf[start : end + 3])
                self._pending = buf[end + 3 :]
            self._cond.notify_all()
        return answer

    def respond(self, data: bytes, send: Callable[[bytes], None]) -> None:
        """Feed the host's bytes and send the answer back, after `answer_delay_s` if set.

        A delayed answer is sent from a timer thread, so the printer keeps reading meanwhile;
        if the host has gone by then, the answer is lost, as on a real wire.
        """
        answer = self.feed(data)
        if not answer:
            return
        if self.answer_delay_s <= 0:
            send(answer)
            return

        def late() -> None:
            try:
                send(answer)
            except OSError:
                pass  # the host closed the port or the connection meanwhile

        timer = threading.Timer(self.answer_delay_s, late)
        timer.daemon = True
        timer.start()

    def _control(self, cmd: bytes) -> bytes:
        if cmd == b"~HS":
            if self.silent:
                return b""
            return format_host_status(self.state, self.label_length)
        if cmd == b"~PS":
            self._state = replace(self._state, paused=False)
            self._drain()
        elif cmd == b"~PP":
            self._state = replace(self._state, paused=True)
        elif cmd == b"~JA":
            self.buffer.clear()
        return b""

    def _format(self, fmt: bytes) -> None:
        self.received.append(fmt)
        self.buffer.append(fmt)
        self._drain()

    def _drain(self) -> None:
        while self.buffer and self._state.ready:
            fmt = self.buffer.pop(0)
            self.printed.append(fmt)
            if self.on_print:
                self.on_print(fmt)
            if self.paper_out_after is not None and len(self.printed) >= self.paper_out_after:
                # The end-of-paper sensor trips as the last label feeds out.
                self._state = replace(self._state, paper_out=True)
        self._cond.notify_all()

    def wait_received(self, count: int, timeout: float = 5.0) -> list[bytes]:
        """Wait until `count` formats have arrived; return them all."""
        with self._cond:
            self._cond.wait_for(lambda: len(self.received) >= count, timeout)
            return list(self.received)

    def wait_printed(self, count: int, timeout: float = 5.0) -> list[bytes]:
        """Wait until `count` formats have printed; return them all."""
        with self._cond:
            self._cond.wait_for(lambda: len(self.printed) >= count, timeout)
            return list(self.printed)


class PtyPrinter(PtyDevice):
    """The printer behind a pty: open `path` with any pyserial URL."""

    def __init__(self, printer: SimPrinter, link: str | os.PathLike[str] | None = None) -> None:
        self.printer = printer
        super().__init__(link)

    def on_data(self, data: bytes) -> None:
        """Feed the host's bytes to the printer and send back its answer."""
        self.printer.respond(data, self.write)


class TcpPrinter:
    """The printer on a TCP port of 127.0.0.1, as a network printer's raw port 9100."""

    def __init__(self, printer: SimPrinter, port: int = 0, host: str = "127.0.0.1") -> None:
        self.printer = printer
        self._server = socket.create_server((host, port))
        self.host, self.port = self._server.getsockname()[:2]
        self._stop = threading.Event()
        self._conns: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept_loop, name=f"sim-printer-{self.port}", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """The tcp:// URL to configure."""
        return f"tcp://{self.host}:{self.port}"

    def _accept_loop(self) -> None:
        self._server.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except (TimeoutError, OSError):
                continue
            self._conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(0.1)
        with conn:
            while not self._stop.is_set():
                try:
                    data = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not data:
                    return
                try:
                    self.printer.respond(data, conn.sendall)
                except OSError:
                    return

    def close(self) -> None:
        """Stop listening and drop every connection."""
        self._stop.set()
        self._server.close()
        for c in self._conns:
            try:
                c.close()
            except OSError:
                pass
        self._thread.join(2.0)


class RunningPrinter:
    """A simulated printer started in-process on a pty and/or TCP; close() stops it."""

    def __init__(
        self, pty: bool = True, tcp_port: int | None = 0, link: str | None = None, **printer_options: Any
    ) -> None:
        self.printer = SimPrinter(**printer_options)
        self.pty = PtyPrinter(self.printer, link) if pty else None
        self.tcp = TcpPrinter(self.printer, tcp_port) if tcp_port is not None else None

    @property
    def pty_path(self) -> str | None:
        """The pty path (a pyserial URL) or None."""
        return self.pty.path if self.pty else None

    @property
    def tcp_url(self) -> str | None:
        """The tcp:// URL or None."""
        return self.tcp.url if self.tcp else None

    def close(self) -> None:
        """Stop both endpoints."""
        if self.pty:
            self.pty.close()
        if self.tcp:
            self.tcp.close()

    def __enter__(self) -> RunningPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_printer(pty: bool = True, tcp_port: int | None = 0, **printer_options: Any) -> RunningPrinter:
    """Start a simulated printer in this process (threads); see RunningPrinter."""
    return RunningPrinter(pty=pty, tcp_port=tcp_port, **printer_options)
