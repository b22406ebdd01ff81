"""Helpers of the SPEC 9.4 tests: a signature PNG and a reception body."""

from __future__ import annotations

import base64
import struct
import zlib
from typing import Any


def png(width: int = 200, height: int = 80) -> bytes:
    """A small valid greyscale PNG (a diagonal stroke), made without an image library."""
    rows = []
    for y in range(height):
        row = bytearray([255] * width)
        x = y * width // height
        row[max(0, x - 1) : x + 2] = b"\x00" * len(row[max(0, x - 1) : x + 2])
        rows.append(b"\x00" + bytes(row))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def data_url(data: bytes | None = None) -> str:
    """A PNG as the pad sends it."""
    return "data:image/png;base64," + base64.b64encode(data if data is not None else png()).decode()


def car(**over: Any) -> dict[str, Any]:
    """A reception body for a car arriving at the desk of advisor ADV1."""
    body = {
        "badge": "ADV1",
        "number": "2001",
        "vehicle": "VW Passat 2.0 TSI",
        "customer": "Qian",
        "plate": "沪B 67890",
        "vin": "LSVAB4185E2123456",
        "mileage": 45210,
        "fuel_pct": 40,
        "belongings": "child seat, umbrella",
        "old_parts": "return",
        "wash": "yes",
        "key_tag": "KEY-2001",
    }
    body.update(over)
    return body
