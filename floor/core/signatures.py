"""The customer's signature as the tablet's pad sends it: a PNG that decodes and has ink on it.

First the structure, without decoding: PNG signature, an IHDR of sane size, every chunk's CRC, an
IEND, and a size limit, so a garbage or oversized upload is refused before any pixel is unpacked.
Then Pillow decodes it (`bad_signature` if it cannot) and the ink is measured: the image is laid on
white paper (transparent is paper), and a pixel darker than mid-grey is ink. A signature needs at
least MIN_INK_PIXELS of them and MIN_INK_SHARE of the pad; a pad that is more than MAX_INK_SHARE ink
is a filled rectangle, not a signature (`signature_blank` either way). Used by the hand-over
(SPEC 9.4) and the customer's yes (SPEC 10.2).
"""

from __future__ import annotations

import base64
import binascii
import io
import struct
import zlib

from PIL import Image

from floor.core.scanning.context import Reject

MAX_SIGNATURE_BYTES = 300_000
MAX_SIDE = 4000
MIN_SIDE = 20
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
INK_LEVEL = 128  # a pixel darker than this (0-255 luminance on white paper) is ink
MIN_INK_PIXELS = 40  # a dot or a speck of dust is not a signature
MIN_INK_SHARE = 0.002  # at least 0.2 % of the pad is ink (a short scrawl on a 600×200 pad is ~1 %)
MAX_INK_SHARE = 0.6  # more than that is a filled or inverted image


class SignatureError(Reject):
    """A signature that is not a usable PNG (`bad_signature`, 400) or has no ink (`signature_blank`, 400)."""


def check_png(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG within the limits that decodes and has ink on it.

    Raises SignatureError: `bad_signature` (not a PNG, damaged, wrong size, does not decode) or
    `signature_blank` (all white, all transparent, a speck, or a filled rectangle)."""
    width, height = _check_structure(data)
    _check_ink(_decode(data), width * height)
    return width, height


def _decode(data: bytes) -> Image.Image:
    """The PNG's pixels laid on white paper, as 8-bit luminance; SignatureError if Pillow cannot decode it."""
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as img:
            img.load()
            rgba = img.convert("RGBA")
    except Exception:  # Pillow raises OSError, SyntaxError, ValueError, zlib.error… for a broken stream
        raise SignatureError("bad_signature", detail="the image cannot be decoded") from None
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(paper, rgba).convert("L")


def _check_ink(grey: Image.Image, pixels: int) -> None:
    ink = sum(grey.histogram()[:INK_LEVEL])
    if ink < max(MIN_INK_PIXELS, MIN_INK_SHARE * pixels):
        raise SignatureError("signature_blank", detail=f"{ink} dark pixels of {pixels}")
    if ink > MAX_INK_SHARE * pixels:
        raise SignatureError("signature_blank", detail=f"{ink * 100 // pixels} % of the pad is dark")


def _check_structure(data: bytes) -> tuple[int, int]:
    """(width, height) of a well-formed PNG within the limits, read without decoding; raises bad_signature."""
    if len(data) > MAX_SIGNATURE_BYTES:
        raise SignatureError("bad_signature", detail=f"larger than {MAX_SIGNATURE_BYTES // 1000} kB")
    if not data.startswith(PNG_MAGIC):
        raise SignatureError("bad_signature", detail="not a PNG")
    pos, size, seen_end = len(PNG_MAGIC), None, False
    header, image_data = b"", []
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
            size, header = struct.unpack(">II", body[:8]), body
        if kind == b"IDAT":
            image_data.append(body)
        if kind == b"IEND":
            seen_end = True
            break
        pos += 12 + length
    if size is None or not seen_end:
        raise SignatureError("bad_signature", detail="truncated")
    w, h = size
    if not (MIN_SIDE <= w <= MAX_SIDE and MIN_SIDE <= h <= MAX_SIDE):
        raise SignatureError("bad_signature", detail=f"{w}×{h} pixels is not a signature's size")
    _check_image_data(header, b"".join(image_data))
    return w, h


# Adam7 passes: (first column, first row, column step, row step)
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # PNG colour type -> samples per pixel


def _expected_bytes(width: int, height: int, bits: int, interlaced: bool) -> int:
    """How many bytes the image stream inflates to: each row's filter byte and its packed samples."""
    passes = _ADAM7 if interlaced else ((0, 0, 1, 1),)
    total = 0
    for x0, y0, dx, dy in passes:
        cols, rows = -(-(width - x0) // dx), -(-(height - y0) // dy)
        if cols > 0 and rows > 0:
            total += rows * (1 + -(-(cols * bits) // 8))
    return total


def _check_image_data(header: bytes, stream: bytes) -> None:
    """The IDAT stream inflates to exactly the pixels the IHDR promises (Pillow fills missing rows silently)."""
    width, height, depth, colour, _comp, _filter, interlace = struct.unpack(">IIBBBBB", header)
    if colour not in _CHANNELS or depth not in (1, 2, 4, 8, 16) or interlace not in (0, 1):
        raise SignatureError("bad_signature", detail="unknown pixel format")
    want = _expected_bytes(width, height, depth * _CHANNELS[colour], interlace == 1)
    inflater = zlib.decompressobj()
    try:  # at most one byte more than promised: a zip bomb stops here
        got = len(inflater.decompress(stream, want + 1))
    except zlib.error:
        raise SignatureError("bad_signature", detail="the image cannot be decoded") from None
    if got != want or not inflater.eof:
        raise SignatureError("bad_signature", detail="the image data is incomplete or too long")


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
