"""The building blocks every label layout shares: the sheet, the margin, fitted text and barcodes."""

from __future__ import annotations

from floor.labels.model import Barcode, Symbology, Text
from floor.labels.symbology import check, fit_module, is_gs1

SHEET_SIZE = (812, 1218)  # 4 x 6 in, in dots at 203 dpi
MARGIN = 20


def text_width(text: str, height: int) -> int:
    """Estimated width in dots: resident font 0 is ~0.55 h per Latin glyph, CJK glyphs are square."""
    return sum(int(height * (0.55 if c.isascii() else 1.0)) for c in text)


def fit(text: str, height: int, max_width: int) -> str:
    """Shorten text with an ellipsis so that it fits max_width dots."""
    text = " ".join(text.split())
    if text_width(text, height) <= max_width:
        return text
    while text and text_width(text + "...", height) > max_width:
        text = text[:-1]
    return text.rstrip() + "..."


def text(x: int, y: int, height: int, words: str, max_width: int) -> Text:
    """A line of text at (x, y), shortened to fit `max_width` dots."""
    return Text(x, y, height, fit(words, height, max_width), max_width)


def linear(x: int, y: int, payload: str, width: int, height: int, preferred: int = 3) -> Barcode:
    """A Code 128 (GS1-128 for a GS1 payload) barcode whose module fits `width` dots."""
    symbology = Symbology.GS1_128 if is_gs1(payload) else Symbology.CODE128
    return Barcode(x, y, payload, symbology, fit_module(payload, symbology, width, preferred), height)


def matrix(x: int, y: int, payload: str, symbology: Symbology, module: int) -> Barcode:
    """A 2-D barcode (DataMatrix, QR) of the payload, checked encodable first."""
    check(payload, symbology)
    return Barcode(x, y, payload, symbology, module)
