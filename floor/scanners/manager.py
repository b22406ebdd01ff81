"""Builds and runs a reader for every configured device; used by `floor serve`, `demo` and `gateway`."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from floor.config import Config, DeviceConfig
from floor.core.results import ScanSink
from floor.scanners.base import DeviceReader, ReaderStatus
from floor.scanners.tags import SightingLog

log = logging.getLogger("floor.scanners")


def build_reader(device: DeviceConfig, sink: ScanSink, sightings: SightingLog) -> DeviceReader:
    """The reader for one device config, chosen by kind (and by URL scheme for RFID readers)."""
    # Imported here so a host without evdev or OpenCV can still run the other kinds.
    if device.kind == "serial-scanner":
        from floor.scanners.serial_scanner import SerialScannerReader

        return SerialScannerReader(device, sink)
    if device.kind == "hid-scanner":
        from floor.scanners.hid_scanner import HidScannerReader

        return HidScannerReader(device, sink)
    if device.kind == "rfid-reader":
        if device.url.startswith(("http://", "https://")):
            from floor.scanners.rfid_stream import RfidStreamReader

            return RfidStreamReader(device, sink, sightings)
        from floor.scanners.rfid import RfidSerialReader

        return RfidSerialReader(device, sink, sightings)
    if device.kind == "camera":
        from floor.scanners.camera import CameraReader

        return CameraReader(device, sink)
    raise ValueError(f"device {device.name!r}: no reader for kind {device.kind!r}")


class DeviceManager:
    """Owns the readers of a config: `start()`, `stop()`, `states()`; RFID sightings shared in `sightings`."""

    def __init__(
        self,
        cfg: Config,
        sink: ScanSink,
        *,
        stations: Iterable[str] | None = None,
        select: Callable[[DeviceConfig], bool] | None = None,
        sightings: SightingLog | None = None,
        factory: Callable[[DeviceConfig, ScanSink, SightingLog], DeviceReader] = build_reader,
    ) -> None:
        self.sightings = sightings if sightings is not None else SightingLog()
        wanted = set(stations) if stations is not None else None
        self.readers: dict[str, DeviceReader] = {}
        for name, dev in cfg.devices.items():
            if (wanted is None or dev.station in wanted) and (select is None or select(dev)):
                self.readers[name] = factory(dev, sink, self.sightings)

    def start(self) -> None:
        """Start every reader; a device that is not attached just keeps retrying."""
        for reader in self.readers.values():
            reader.start()
        log.info("device readers started: %s", ", ".join(self.readers) or "none configured")

    def stop(self) -> None:
        """Stop every reader and wait for their threads."""
        for reader in self.readers.values():
            reader._stop.set()  # signal all first so they wind down in parallel
        for reader in self.readers.values():
            reader.stop()

    def states(self) -> list[ReaderStatus]:
        """A status snapshot of each reader, in config order."""
        return [r.status() for r in self.readers.values()]

    def __enter__(self) -> DeviceManager:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
