"""Networked RFID readers: the HTTP tag-event stream (NDJSON over a chunked GET).

The device URL is the stream endpoint, e.g. `http://10.0.0.20/api/v1/data/stream`.
Each line is one JSON event; two widespread shapes are understood:

* Impinj IoT device interface (R700):
  `{"timestamp": "2026-11-23T08:00:00.123Z", "eventType": "tagInventory",
    "tagInventoryEvent": {"epcHex": "3034...", "antennaPort": 1, "peakRssiCdbm": -5500}}`
* Zebra IoT Connector (FX series):
  `{"timestamp": "...", "type": "SIMPLE", "data": {"idHex": "3034...", "antenna": 1, "peakRssi": -55}}`

Other events (keepalives, status) are skipped. Options: token (sent as Bearer),
fold_window_s (2.0), idle_timeout_s (60: no byte at all for that long means the link is dead).
"""

from __future__ import annotations

import http.client
import json
import socket
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from floor import clock
from floor.config import DeviceConfig
from floor.core.epc import normalize_epc
from floor.core.results import ScanSink
from floor.scanners.base import DeviceGone, DeviceReader
from floor.scanners.framing import MAX_LINE_BYTES
from floor.scanners.tags import SightingLog, TagFolder, TagRead


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_tag_event(line: bytes) -> TagRead | None:
    """One NDJSON line to a TagRead; None for events that are not tag reads."""
    try:
        event = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return TagRead(epc=line.decode("utf-8", "surrogateescape").strip(), valid=False)
    if not isinstance(event, dict):
        return None
    at = _time(event.get("timestamp"))
    if isinstance(event.get("tagInventoryEvent"), dict):
        tag = event["tagInventoryEvent"]
        epc, antenna = tag.get("epcHex"), tag.get("antennaPort")
        cdbm = tag.get("peakRssiCdbm")
        rssi = cdbm / 100 if isinstance(cdbm, (int, float)) else None
    elif isinstance(event.get("data"), dict) and "idHex" in event["data"]:
        tag = event["data"]
        epc, antenna, rssi = tag.get("idHex"), tag.get("antenna"), tag.get("peakRssi")
    else:
        return None
    norm = normalize_epc(epc) if isinstance(epc, str) else None
    if norm is None:
        return TagRead(epc=str(epc), at=at, valid=False)
    return TagRead(
        epc=norm,
        antenna=antenna if isinstance(antenna, int) else None,
        rssi=float(rssi) if isinstance(rssi, (int, float)) else None,
        at=at,
    )


class RfidStreamReader(DeviceReader):
    """An `rfid-reader` whose URL is http(s)://…: follows the event stream, reconnecting when it ends."""

    kind = "rfid-reader"

    def __init__(self, device: DeviceConfig, sink: ScanSink, sightings: SightingLog | None = None) -> None:
        super().__init__(device, sink)
        self.tags = TagFolder(device.name, device.station, float(device.option("fold_window_s", 2.0)), sightings)
        self.idle_timeout_s = float(device.option("idle_timeout_s", 60.0))
        self._conn: http.client.HTTPConnection | None = None
        self._resp: http.client.HTTPResponse | None = None

    def _connect(self) -> None:
        url = urlsplit(self.device.url)
        cls = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        conn = cls(url.hostname or "localhost", url.port, timeout=self.idle_timeout_s)
        headers = {"Accept": "application/x-ndjson"}
        token = self.device.option("token")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._conn = conn
        conn.request("GET", url.path + (f"?{url.query}" if url.query else "") or "/", headers=headers)
        resp = conn.getresponse()
        self._resp = resp
        if resp.status != 200:
            raise ConnectionError(f"HTTP {resp.status} {resp.reason}")

    def _pump(self) -> None:
        resp = self._resp
        assert resp is not None
        line = resp.readline(MAX_LINE_BYTES + 1)
        if not line:
            raise DeviceGone("event stream ended")
        if len(line) > MAX_LINE_BYTES:
            # No tag event is this long: skip the rest of it rather than parse its tail.
            while line and not line.endswith(b"\n"):
                line = resp.readline(MAX_LINE_BYTES)
            return
        if not line.strip():
            return  # keepalive blank line
        read = parse_tag_event(line)
        if read is not None:
            now = clock.now()
            self.deliver(self.tags.fold([read], now), read.at or now)

    def _disconnect(self) -> None:
        conn, resp, self._conn, self._resp = self._conn, self._resp, None, None
        # The response holds its own file on the socket: close it first, or the socket
        # stays open until garbage collection.
        if resp is not None:
            resp.close()
        if conn is not None:
            conn.close()

    def _interrupt(self) -> None:
        conn = self._conn
        sock = conn.sock if conn is not None else None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
