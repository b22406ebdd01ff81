"""A customer's signature must decode as a PNG and have ink on it (floor.core.signatures, issue 24)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageDraw

from floor.core import signatures
from floor.core.signatures import SignatureError, check_png


def _png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def _scrawl(mode: str = "RGBA", size: tuple[int, int] = (600, 200), width: int = 4) -> bytes:
    """A pen stroke across a pad: black on white (RGB, L) or on transparent (RGBA, LA)."""
    background = {"RGBA": (0, 0, 0, 0), "LA": (0, 0), "RGB": (255, 255, 255), "L": 255}[mode]
    ink = {"RGBA": (20, 20, 60, 255), "LA": (0, 255), "RGB": (20, 20, 60), "L": 0}[mode]
    img = Image.new(mode, size, background)
    ImageDraw.Draw(img).line([(30, 150), (120, 40), (200, 160), (320, 50), (560, 120)], fill=ink, width=width)
    return _png(img)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


@pytest.mark.parametrize("mode", ["RGBA", "LA", "RGB", "L"])
def test_a_pen_stroke_is_a_signature(mode: str) -> None:
    """GIVEN a stroke drawn on a pad, transparent or white WHEN checked THEN accepted with its size."""
    assert check_png(_scrawl(mode)) == (600, 200)


@pytest.mark.parametrize(
    "img",
    [
        Image.new("RGB", (600, 200), "white"),
        Image.new("RGBA", (600, 200), (0, 0, 0, 0)),  # all transparent, black underneath: still no ink
        Image.new("L", (600, 200), 200),  # light grey is paper, not ink
        Image.new("RGB", (600, 200), "black"),  # a filled rectangle
    ],
    ids=["white", "transparent", "light-grey", "black"],
)
def test_a_blank_or_filled_pad_is_refused(img: Image.Image) -> None:
    """GIVEN an all-white, all-transparent, light grey or all-black image WHEN checked THEN signature_blank."""
    with pytest.raises(SignatureError) as err:
        check_png(_png(img))
    assert err.value.code == "signature_blank"


def test_a_speck_is_not_a_signature() -> None:
    """GIVEN a white pad with a few dark pixels (dust, a tap) WHEN checked THEN signature_blank."""
    img = Image.new("L", (600, 200), 255)
    ImageDraw.Draw(img).rectangle([10, 10, 14, 14], fill=0)  # 25 pixels
    with pytest.raises(SignatureError) as err:
        check_png(_png(img))
    assert err.value.code == "signature_blank"
    assert signatures.MIN_INK_PIXELS > 25


def test_a_png_whose_pixels_cannot_be_decoded_is_refused() -> None:
    """GIVEN a PNG with good chunks and CRCs but an image stream that does not inflate WHEN checked THEN
    bad_signature (issue 24: it was kept as the customer's signature)."""
    ihdr = struct.pack(">IIBBBBB", 200, 80, 8, 0, 0, 0, 0)
    data = signatures.PNG_MAGIC + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"not zlib at all") + _chunk(b"IEND", b"")
    with pytest.raises(SignatureError) as err:
        check_png(data)
    assert (err.value.code, err.value.params["detail"]) == ("bad_signature", "the image cannot be decoded")


def test_a_png_with_too_few_rows_is_refused() -> None:
    """GIVEN a PNG whose IDAT inflates to fewer rows than its IHDR promises WHEN checked THEN bad_signature."""
    ihdr = struct.pack(">IIBBBBB", 200, 80, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"".join(b"\x00" + b"\x00" * 200 for _ in range(10)))
    data = signatures.PNG_MAGIC + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")
    with pytest.raises(SignatureError) as err:
        check_png(data)
    assert err.value.code == "bad_signature"


def test_the_refusals_have_both_languages() -> None:
    """GIVEN the new code WHEN rendered THEN English and Chinese text, and a 400 in the one status table."""
    from floor.core import messages
    from floor.http.errors import HTTP_STATUS

    en, zh = messages.render("signature_blank", {"detail": "0 dark pixels of 120000"})
    assert "ink" in en and "签名" in zh and HTTP_STATUS["signature_blank"] == 400
