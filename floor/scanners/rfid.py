"""RFID readers in serial line mode: one read per line, `EPC[,antenna[,rssi]]`.

Example lines: `3034257BF7194E4000001A85`, `3034257BF7194E4000001A85,1,-55.5`.
Lines end with CR, LF or CRLF (readers differ; all are accepted). A line that is not
EPC hex is passed on as it came so the service logs it as rejected.
Options: baudrate (default 115200), fold_window_s (default 2.0).
"""

from __future__ import annotations

from floor import clock
from floor.config import DeviceConfig
from floor.core.epc import normalize_epc
from floor.core.results import ScanSink
from floor.scanners.framing import Frame
from floor.scanners.serial_line import SerialLineReader
from floor.scanners.tags import SightingLog, TagFolder, TagRead


def parse_tag_line(line: bytes) -> TagRead:
    """Parse `EPC[,antenna[,rssi]]`; an unreadable line gives a TagRead with valid=False."""
    text = line.decode("utf-8", "surrogateescape")
    fields = [f.strip() for f in text.split(",")]
    epc = normalize_epc(fields[0])
    if epc is None or len(fields) > 3:
        return TagRead(epc=text, valid=False)
    try:
        antenna = int(fields[1]) if len(fields) > 1 and fields[1] else None
        rssi = float(fields[2]) if len(fields) > 2 and fields[2] else None
    except ValueError:
        return TagRead(epc=text, valid=False)
    return TagRead(epc=epc, antenna=antenna, rssi=rssi)


class RfidSerialReader(SerialLineReader):
    """An `rfid-reader` on a serial URL: reads are folded, then delivered as EPC hex."""

    kind = "rfid-reader"

    def __init__(self, device: DeviceConfig, sink: ScanSink, sightings: SightingLog | None = None) -> None:
        opts = dict(device.options)
        opts.setdefault("baudrate", 115200)
        device = DeviceConfig(device.name, device.kind, device.url, device.station, opts)
        super().__init__(device, sink, (b"\r", b"\n"))
        self.tags = TagFolder(device.name, device.station, float(device.option("fold_window_s", 2.0)), sightings)

    def on_frames(self, frames: list[Frame]) -> None:
        """Parse, fold and deliver the lines of one read."""
        now = clock.now()
        raws = [f.to_raw() for f in frames if f.overlong]
        raws += self.tags.fold([parse_tag_line(f.data) for f in frames if not f.overlong], now)
        self.deliver(raws, now)
