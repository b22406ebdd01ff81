"""The customer's signature as the tablet's pad sends it: a PNG, checked without an image library.

PNG signature, an IHDR of sane size, every chunk's CRC, an IEND, and a size limit, so a garbage or
oversized upload is refused before it is stored (the hand-over, SPEC 9.4; the customer's yes, SPEC 10.2).
"""

from __future__ import annotations

import base64
import binascii
import struct
import zlib

from floor.core import messages
from floor.core.scanning.context import Reject

MAX_SIGNATURE_BYTES = 300_000
MAX_SIDE = 4000
MIN_SIDE = 20
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

messages.register(
    {
        "bad_signature": ("The signature is not a usable PNG image: {detail}", "签名不是有效的 PNG 图片：{detail}"),
    }
)


class SignatureError(Reject):
    """A signature that is not a usable PNG (`bad_signature`, 400)."""


def check_png(data: bytes) -> tuple[int, int]:
    """(width, height) of a well-formed PNG within the limits; raises SignatureError(bad_signature)."""
    if len(data) > MAX_SIGNATURE_BYTES:
        raise SignatureError("bad_signature", detail=f"larger than {MAX_SIGNATURE_BYTES // 1000} kB")
    if not data.startswith(PNG_MAGIC):
        raise SignatureError("bad_signature", detail="not a PNG")
    pos, size, seen_end = len(PNG_MAGIC), None, False
    while pos < len(data):
        if pos + 12 > len(data):
            raise SignatureError("bad_signature", detail="truncated")
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length or pos + 12 + length > len(data):
            raise SignatureError("bad_signature", detail="truncated")
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise SignatureError("bad_signature", detail="damaged (CRC)")
        if size is None:
            if kind != b"IHDR" or length != 13:
                raise SignatureError("bad_signature", detail="no IHDR")
            size = struct.unpack(">II", body[:8])
        if kind == b"IEND":
            seen_end = True
            break
        pos += 12 + length
    if size is None or not seen_end:
        raise SignatureError("bad_signature", detail="truncated")
    w, h = size
    if not (MIN_SIDE <= w <= MAX_SIDE and MIN_SIDE <= h <= MAX_SIDE):
        raise SignatureError("bad_signature", detail=f"{w}×{h} pixels is not a signature's size")
    return w, h


def decode_signature(value: str) -> bytes:
    """A `data:image/png;base64,…` URL (as the pad sends it) or plain base64 to bytes."""
    text = value.strip()
    if text.startswith("data:"):
        head, _, text = text.partition(",")
        if head.lower() != "data:image/png;base64":
            raise SignatureError("bad_signature", detail="not a PNG data URL")
    if len(text) > MAX_SIGNATURE_BYTES * 4 // 3 + 8:
        raise SignatureError("bad_signature", detail=f"larger than {MAX_SIGNATURE_BYTES // 1000} kB")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError("bad_signature", detail="not base64") from None
