"""Simulated RFID readers: a serial line-mode reader on a pty and an HTTP NDJSON tag-event stream."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from floor import clock
from hardware_sim.pty_device import PtyDevice

STREAM_PATH = "/api/v1/data/stream"


def tag_line(epc: str, antenna: int | None = None, rssi: float | None = None) -> bytes:
    """One line as a serial reader prints a read: `EPC[,antenna[,rssi]]` + CRLF."""
    fields = [epc]
    if antenna is not None or rssi is not None:
        fields.append("" if antenna is None else str(antenna))
    if rssi is not None:
        fields.append(f"{rssi:g}")
    return ",".join(fields).encode("ascii") + b"\r\n"


class RfidSerialSim(PtyDevice):
    """A reader in line mode: every time a tag is in the field, one line per read."""

    def read(self, epc: str, antenna: int | None = None, rssi: float | None = None, times: int = 1) -> None:
        """Report `times` reads of a tag in one write (a tag resting in the field)."""
        self.write(tag_line(epc, antenna, rssi) * times)

    def reads(self, tags: Iterable[tuple[str, int | None, float | None]]) -> None:
        """Report many reads at once."""
        self.write(b"".join(tag_line(*t) for t in tags))


def tag_event(
    epc: str, antenna: int = 1, rssi: float = -55.0, fmt: str = "impinj", at: datetime | None = None
) -> dict[str, object]:
    """A tag-read event in the Impinj IoT (`impinj`) or Zebra IoT Connector (`zebra`) shape."""
    stamp = (at or clock.now()).isoformat().replace("+00:00", "Z")
    if fmt == "zebra":
        return {
            "timestamp": stamp,
            "type": "SIMPLE",
            "data": {"idHex": epc.lower(), "antenna": antenna, "peakRssi": rssi, "format": "epc"},
        }
    return {
        "timestamp": stamp,
        "hostname": "sim-reader",
        "eventType": "tagInventory",
        "tagInventoryEvent": {"epcHex": epc, "antennaPort": antenna, "peakRssiCdbm": int(rssi * 100)},
    }


class TagStreamServer:
    """An HTTP server on 127.0.0.1 streaming NDJSON tag events to every client of STREAM_PATH."""

    def __init__(self, port: int = 0, fmt: str = "impinj") -> None:
        self.fmt = fmt
        self._clients: list[queue.Queue[bytes | None]] = []
        self._lock = threading.Lock()
        self.connected = threading.Condition(self._lock)
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test and CLI output clean

            def do_GET(self) -> None:
                if self.path.split("?")[0] != STREAM_PATH:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                q = server._attach()
                try:
                    while (item := q.get()) is not None:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(item), item))
                        self.wfile.flush()
                    self.wfile.write(b"0\r\n\r\n")
                except OSError:
                    pass
                finally:
                    server._detach(q)
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{STREAM_PATH}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def _attach(self) -> queue.Queue[bytes | None]:
        q: queue.Queue[bytes | None] = queue.Queue()
        with self.connected:
            self._clients.append(q)
            self.connected.notify_all()
        return q

    def _detach(self, q: queue.Queue[bytes | None]) -> None:
        with self.connected:
            if q in self._clients:
                self._clients.remove(q)
            self.connected.notify_all()

    def wait_clients(self, count: int = 1, timeout: float = 3.0) -> bool:
        """Wait until `count` clients follow the stream."""
        with self.connected:
            return self.connected.wait_for(lambda: len(self._clients) >= count, timeout)

    def emit_raw(self, payload: bytes) -> None:
        """Send bytes as-is to every client (one chunk)."""
        with self._lock:
            for q in self._clients:
                q.put(payload)

    def emit(self, epc: str, antenna: int = 1, rssi: float = -55.0, times: int = 1) -> None:
        """Send `times` reads of a tag, as one chunk of NDJSON lines."""
        line = json.dumps(tag_event(epc, antenna, rssi, self.fmt)).encode() + b"\n"
        self.emit_raw(line * times)

    def drop_clients(self) -> None:
        """End every stream (a reader reboot or network blip)."""
        with self._lock:
            for q in self._clients:
                q.put(None)

    def close(self) -> None:
        """Stop serving."""
        self.drop_clients()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> TagStreamServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_reads(sim: RfidSerialSim | TagStreamServer, epcs: list[str], rate_per_s: float, seconds: float) -> int:
    """Keep reporting the given tags at about `rate_per_s` reads per second; return reads sent."""
    sent, start, i = 0, time.monotonic(), 0
    while (elapsed := time.monotonic() - start) < seconds:
        due = int(elapsed * rate_per_s) - sent
        for _ in range(max(0, due)):
            epc = epcs[i % len(epcs)]
            if isinstance(sim, TagStreamServer):
                sim.emit(epc, antenna=1 + i % 4)
            else:
                sim.read(epc, antenna=1 + i % 4, rssi=-50.0 - i % 20)
            i += 1
            sent += 1
        time.sleep(0.01)
    return sent
