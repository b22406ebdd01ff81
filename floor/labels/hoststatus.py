"""The ZPL `~HS` host status answer: three STX…ETX strings, parsed into flags (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HS_COMMAND = b"~HS"
STX, ETX = b"\x02", b"\x03"
_FRAME = re.compile(rb"\x02([^\x02\x03]*)\x03")


class HostStatusError(ValueError):
    """The bytes are not a ~HS answer."""


@dataclass(frozen=True)
class HostStatus:
    """What a ZPL printer reports about itself."""

    paper_out: bool = False
    paused: bool = False
    head_open: bool = False
    ribbon_out: bool = False
    buffer_full: bool = False
    under_temperature: bool = False
    over_temperature: bool = False
    corrupt_ram: bool = False
    partial_format: bool = False
    formats_in_buffer: int = 0
    labels_remaining: int = 0
    label_length: int = 0
    raw: tuple[str, ...] = field(default=(), compare=False)

    @property
    def faults(self) -> list[str]:
        """Conditions that stop printing, as stable lower-case names."""
        names = (
            "paper_out",
            "paused",
            "head_open",
            "ribbon_out",
            "buffer_full",
            "under_temperature",
            "over_temperature",
            "corrupt_ram",
        )
        return [n for n in names if getattr(self, n)]

    @property
    def ready(self) -> bool:
        """True when the printer will print what it is sent."""
        return not self.faults


def frames(data: bytes) -> list[bytes]:
    """The STX…ETX framed strings in `data`, in order."""
    return _FRAME.findall(data)


def _flag(value: str) -> bool:
    value = value.strip()
    if value not in ("0", "1"):
        raise ValueError(f"flag {value!r} is not 0 or 1")
    return value == "1"


def parse_host_status(data: bytes) -> HostStatus:
    """Parse the three ~HS strings; raise HostStatusError if they are missing or malformed."""
    found = frames(data)
    if len(found) < 3:
        raise HostStatusError(f"~HS answer needs 3 framed strings, got {len(found)}: {data[:80]!r}")
    try:
        s1 = found[0].decode("ascii").split(",")
        s2 = found[1].decode("ascii").split(",")
        if len(s1) < 12 or len(s2) < 11:
            raise ValueError("short string")
        return HostStatus(
            paper_out=_flag(s1[1]),
            paused=_flag(s1[2]),
            label_length=int(s1[3]),
            formats_in_buffer=int(s1[4]),
            buffer_full=_flag(s1[5]),
            partial_format=_flag(s1[7]),
            corrupt_ram=_flag(s1[9]),
            under_temperature=_flag(s1[10]),
            over_temperature=_flag(s1[11]),
            head_open=_flag(s2[2]),
            ribbon_out=_flag(s2[3]),
            labels_remaining=int(s2[8]),
            raw=tuple(f.decode("ascii") for f in found[:3]),
        )
    except (UnicodeDecodeError, ValueError, IndexError) as exc:
        raise HostStatusError(f"malformed ~HS answer {data[:120]!r}: {exc}") from None


def format_host_status(s: HostStatus, label_length: int | None = None) -> bytes:
    """The ~HS answer a printer in state `s` sends (what the simulator and tests use)."""

    def b(v: object) -> str:
        return "1" if v else "0"

    length = s.label_length if label_length is None else label_length
    s1 = (
        f"030,{b(s.paper_out)},{b(s.paused)},{length:04d},{s.formats_in_buffer:03d},{b(s.buffer_full)},0,"
        f"{b(s.partial_format)},000,{b(s.corrupt_ram)},{b(s.under_temperature)},{b(s.over_temperature)}"
    )
    s2 = f"001,0,{b(s.head_open)},{b(s.ribbon_out)},0,2,6,0,{s.labels_remaining:08d},1,000"
    s3 = "1234,0"
    return b"".join(STX + x.encode("ascii") + ETX + b"\r\n" for x in (s1, s2, s3))
