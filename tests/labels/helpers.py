"""Decoding helpers for label tests: ZPL and SVG rasterised offline, symbols read back."""

from __future__ import annotations

import io
from typing import Any

import zplkit
import zxingcpp
from PIL import Image
from pyzbar import pyzbar


def zpl_images(zpl: str | bytes) -> list[Image.Image]:
    """Rasterise ZPL offline with zplkit: one greyscale image per ^XA…^XZ format."""
    doc = zplkit.render(zpl, zplkit.Options(profile="specification", dpi=203))
    out = []
    for scene in doc.labels:
        r = scene.rasterize()
        out.append(Image.frombytes("L", (r.width, r.height), r.pixels))
    return out


def decode_zxing(img: Image.Image) -> list[str]:
    """Every symbol zxing-cpp finds (linear, QR, DataMatrix), as text."""
    return [r.text for r in zxingcpp.read_barcodes(img)]


def decode_zbar(img: Image.Image) -> list[str]:
    """Every symbol zbar finds (linear and QR; zbar has no DataMatrix), as text."""
    return [r.data.decode("utf-8") for r in pyzbar.decode(img)]


def png_image(data: bytes) -> Image.Image:
    """Open PNG bytes as an image."""
    return Image.open(io.BytesIO(data))


def svg_image(svg: str) -> Image.Image:
    """Rasterise the filled rects of our own SVG, with translate() groups (text is ignored)."""
    import re
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    img = Image.new("L", (int(root.get("width", "0")), int(root.get("height", "0"))), 255)
    ns = "{http://www.w3.org/2000/svg}"

    def walk(node: ET.Element, dx: float, dy: float) -> None:
        m = re.match(r"translate\(([-\d.]+),([-\d.]+)\)", node.get("transform", ""))
        if m:
            dx, dy = dx + float(m.group(1)), dy + float(m.group(2))
        if node.tag == f"{ns}rect" and node.get("fill") not in ("#fff", "none"):
            x, y = dx + float(node.get("x", "0")), dy + float(node.get("y", "0"))
            img.paste(
                0, (int(x), int(y), int(x + float(node.get("width", "0"))), int(y + float(node.get("height", "0"))))
            )
        for child in node:
            walk(child, dx, dy)

    walk(root, 0.0, 0.0)
    return img


def as_dict(obj: Any) -> dict[str, Any]:
    """A JSON response body as a dict."""
    assert isinstance(obj, dict)
    return obj
