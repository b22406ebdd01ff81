"""PNG and SVG previews of labels (python-barcode for linear codes, zxing-cpp for matrix codes, Pillow)."""

from __future__ import annotations

import io
from functools import lru_cache
from xml.sax.saxutils import escape

import barcode
import zxingcpp
from PIL import Image

from floor.labels.model import Barcode, Box, Label, Page, Symbology, Text
from floor.labels.symbology import check, gs1_raw
from floor.labels.textgfx import text_mask

A4_DOTS = (1680, 2376)  # 210 x 297 mm at 203 dpi, so sheet tiles are labels at print size
SHEET_GAP = 24
_ZX = {Symbology.QR: zxingcpp.BarcodeFormat.QRCode, Symbology.DATAMATRIX: zxingcpp.BarcodeFormat.DataMatrix}
FONT_FAMILY = "DejaVu Sans Condensed, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"


@lru_cache(maxsize=4096)
def modules(payload: str, symbology: Symbology) -> tuple[str, ...]:
    """The symbol as rows of '1' (dark) and '0' modules; a linear code is a single row."""
    check(payload, symbology)
    if symbology is Symbology.CODE128:
        return tuple(barcode.get("code128", payload).build())
    if symbology is Symbology.GS1_128:
        # python-barcode's GS1-128 adds the leading FNC1; '\xf1' is FNC1 between fields.
        return tuple(barcode.get("gs1_128", gs1_raw(payload).replace("\x1d", "\xf1")).build())
    # Zebra's ^BQ uses level Q here and ^BX prints square symbols: match them in the preview.
    opts: dict[str, object] = {"ec_level": "Q"} if symbology is Symbology.QR else {"force_square": True}
    img = zxingcpp.create_barcode(payload, _ZX[symbology], **opts).to_image(scale=1, add_quiet_zones=False)
    h, w = img.shape
    raw = bytes(memoryview(img))  # type: ignore[arg-type]  # zxing Image has the buffer protocol
    return tuple("".join("1" if raw[r * w + c] < 128 else "0" for c in range(w)) for r in range(h))


@lru_cache(maxsize=4096)
def symbol_image(payload: str, symbology: Symbology, module: int, height: int) -> Image.Image:
    """The symbol as a mode-'1' ink mask at print size (ink = 1)."""
    rows = modules(payload, symbology)
    w = len(rows[0])
    small = Image.frombytes("L", (w, len(rows)), "".join(rows).translate({48: "\x00", 49: "\xff"}).encode("latin-1"))
    size = (w * module, height) if not symbology.is_2d else (w * module, len(rows) * module)
    return small.resize(size, Image.Resampling.NEAREST).convert("1", dither=Image.Dither.NONE)


def page_image(page: Page) -> Image.Image:
    """One label page drawn in mode '1', white background, black ink."""
    canvas = Image.new("1", (page.width, page.height), 1)
    for e in page.elements:
        if isinstance(e, Text):
            if e.text:
                canvas.paste(0, (e.x, e.y), text_mask(e.text, e.height, e.max_width))
        elif isinstance(e, Barcode):
            canvas.paste(0, (e.x, e.y), symbol_image(e.payload, e.symbology, e.module, e.height))
        else:
            _box(canvas, e)
    return canvas


def _box(canvas: Image.Image, b: Box) -> None:
    t = b.thickness
    for rect in (
        (b.x, b.y, b.x + b.width, b.y + t),
        (b.x, b.y + b.height - t, b.x + b.width, b.y + b.height),
        (b.x, b.y, b.x + t, b.y + b.height),
        (b.x + b.width - t, b.y, b.x + b.width, b.y + b.height),
    ):
        canvas.paste(0, rect)


def label_image(label: Label) -> Image.Image:
    """All pages of a label stacked top to bottom with a gap."""
    images = [page_image(p) for p in label.pages]
    if len(images) == 1:
        return images[0]
    height = sum(i.height for i in images) + SHEET_GAP * (len(images) - 1)
    out = Image.new("1", (max(i.width for i in images), height), 1)
    y = 0
    for img in images:
        out.paste(img, (0, y))
        y += img.height + SHEET_GAP
    return out


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    # compress_level 1: previews are small 1-bit images; speed matters more than bytes.
    img.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def to_png(label: Label) -> bytes:
    """The label as a PNG at print size (1 px = 1 dot)."""
    return _png(label_image(label))


def _svg_elements(page: Page, dy: int) -> list[str]:
    out: list[str] = []
    for e in page.elements:
        if isinstance(e, Text):
            if e.text:
                out.append(
                    f'<text x="{e.x}" y="{e.y + dy + int(e.height * 0.8)}" font-size="{int(e.height * 0.86)}">'
                    f"{escape(e.text)}</text>"
                )
        elif isinstance(e, Barcode):
            rows = modules(e.payload, e.symbology)
            mh = e.height if not e.symbology.is_2d else e.module
            for r, row in enumerate(rows):
                x = 0
                for run in _runs(row):
                    if run[0] == "1":
                        out.append(
                            f'<rect x="{e.x + x * e.module}" y="{e.y + dy + r * mh}" '
                            f'width="{len(run) * e.module}" height="{mh}"/>'
                        )
                    x += len(run)
        else:
            t = e.thickness
            out.append(
                f'<rect x="{e.x + t / 2}" y="{e.y + dy + t / 2}" width="{max(e.width - t, 0)}" '
                f'height="{max(e.height - t, 0)}" fill="none" stroke="#000" stroke-width="{t}"/>'
            )
    return out


def _runs(row: str) -> list[str]:
    runs: list[str] = []
    start = 0
    for i in range(1, len(row) + 1):
        if i == len(row) or row[i] != row[start]:
            runs.append(row[start:i])
            start = i
    return runs


def _svg_doc(width: int, height: int, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" shape-rendering="crispEdges">'
        f'<rect width="{width}" height="{height}" fill="#fff"/>'
        f'<g fill="#000" font-family="{FONT_FAMILY}" font-weight="bold">{"".join(body)}</g></svg>'
    )


def to_svg(label: Label) -> str:
    """The label as SVG (1 user unit = 1 dot), pages stacked top to bottom."""
    body: list[str] = []
    y = 0
    for p in label.pages:
        body += _svg_elements(p, y)
        y += p.height + SHEET_GAP
    return _svg_doc(max(p.width for p in label.pages), y - SHEET_GAP, body)


def _layout(pages: list[Page], size: tuple[int, int]) -> list[list[tuple[int, int, Page]]]:
    """Flow label pages over A4 sheets, left to right and top to bottom, at print size."""
    sheets: list[list[tuple[int, int, Page]]] = [[]]
    x = y = SHEET_GAP
    row_h = 0
    for p in pages:
        if x + p.width > size[0] - SHEET_GAP:
            x, y, row_h = SHEET_GAP, y + row_h + SHEET_GAP, 0
        if y + p.height > size[1] - SHEET_GAP and sheets[-1]:
            sheets.append([])
            x, y, row_h = SHEET_GAP, SHEET_GAP, 0
        sheets[-1].append((x, y, p))
        x += p.width + SHEET_GAP
        row_h = max(row_h, p.height)
    return sheets


def sheet_png(labels: list[Label], size: tuple[int, int] = A4_DOTS) -> list[bytes]:
    """Many labels laid out on A4 sheets (one PNG per sheet), each with a cut outline."""
    out = []
    for sheet in _layout([p for lab in labels for p in lab.pages], size):
        canvas = Image.new("1", size, 1)
        for x, y, p in sheet:
            canvas.paste(page_image(p), (x, y))
            _box(canvas, Box(x - 2, y - 2, p.width + 4, p.height + 4, 1))
        out.append(_png(canvas))
    return out


def sheet_svg(labels: list[Label], size: tuple[int, int] = A4_DOTS) -> list[str]:
    """Many labels laid out on A4 sheets, one SVG document per sheet."""
    out = []
    for sheet in _layout([p for lab in labels for p in lab.pages], size):
        body: list[str] = []
        for x, y, p in sheet:
            body.append(f'<g transform="translate({x},{y})">')
            body += _svg_elements(p, 0)
            body.append(
                f'<rect x="-2" y="-2" width="{p.width + 4}" height="{p.height + 4}" fill="none" '
                f'stroke="#999" stroke-width="1"/></g>'
            )
        out.append(_svg_doc(size[0], size[1], body))
    return out
