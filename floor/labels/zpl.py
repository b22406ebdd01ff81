"""ZPL II for a Label (pure apart from drawing Chinese text as a graphic).

Chinese text: `^CI28` only says the field bytes are UTF-8; the glyphs must still be in
a printer font, and the resident fonts (0, A-H) have none. CJK fonts (SimSun, Andale
Asian) are optional downloads that differ per model, so by default text that is not
ASCII is drawn here with a CJK TrueType font and sent as a `^GF` graphic: it prints the
same on every ZPL printer and matches the preview. A printer that has a CJK font can
name it (`cjk_font = "E:SIMSUN.TTF"` in its config) to get `^A@` text instead.
"""

from __future__ import annotations

from floor.labels.model import Barcode, Box, Label, Page, Symbology, Text
from floor.labels.symbology import check
from floor.labels.textgfx import have_cjk_font, text_graphic

# ZPL field data: ^ and ~ start commands, so fields that may hold them use ^FH with
# the default '_' hex indicator; '_' itself must then be escaped too.
_FH = str.maketrans({"_": "_5F", "^": "_5E", "~": "_7E"})
# Code 128 data has its own escapes (invocation codes): '>' starts one. '><' is value
# 62 (subset B '^'), '>=' is value 94 ('~'), '>0' is value 30 ('>').
_BC = str.maketrans({">": ">0", "^": "><", "~": ">="})


def field_hex(text: str) -> str:
    """Escape text for a ^FH field: '_', '^' and '~' as hex."""
    return text.translate(_FH)


def code128_data(payload: str) -> str:
    """Escape a payload for ^BC field data with Code 128 invocation codes."""
    return payload.translate(_BC)


def text_zpl(t: Text, cjk_font: str | None = None) -> str:
    """One line of text: resident font 0 for ASCII, else a ^GF graphic (or ^A@ with a named CJK font)."""
    if t.text.isascii():
        return f"^FO{t.x},{t.y}^A0N,{t.height},{t.height}^FH^FD{field_hex(t.text)}^FS"
    if cjk_font or not have_cjk_font():
        return f"^FO{t.x},{t.y}^A@N,{t.height},{t.height},{cjk_font or 'E:SIMSUN.TTF'}^FH^FD{field_hex(t.text)}^FS"
    return f"^FO{t.x},{t.y}{text_graphic(t.text, t.height, t.max_width)}^FS"


def barcode_zpl(b: Barcode) -> str:
    """One symbol: ^BC (automatic subsets), ^BC mode D for GS1-128, ^BQ or ^BX; no printed interpretation line."""
    check(b.payload, b.symbology)
    if b.symbology is Symbology.CODE128:
        return f"^FO{b.x},{b.y}^BY{b.module}^BCN,{b.height},N,N,N,A^FD{code128_data(b.payload)}^FS"
    if b.symbology is Symbology.GS1_128:
        # Mode D: the printer starts with FNC1 and adds FNC1 after variable-length AIs.
        return f"^FO{b.x},{b.y}^BY{b.module}^BCN,{b.height},N,N,N,D^FD{b.payload}^FS"
    if b.symbology is Symbology.QR:
        return f"^FO{b.x},{b.y}^BQN,2,{b.module}^FH^FDQA,{field_hex(b.payload)}^FS"
    # ^BX quality 200 treats '_' as its own escape character; '__' is a literal underscore.
    data = field_hex(b.payload.replace("_", "__"))
    return f"^FO{b.x},{b.y}^BXN,{b.module},200^FH^FD{data}^FS"


def box_zpl(b: Box) -> str:
    """A rectangle or rule."""
    return f"^FO{b.x},{b.y}^GB{b.width},{b.height},{b.thickness}^FS"


def page_zpl(page: Page, cjk_font: str | None = None) -> str:
    """One label format, ^XA…^XZ, UTF-8 (^CI28), origin at the top left."""
    parts = [f"^XA^CI28^PW{page.width}^LL{page.height}^LH0,0"]
    for e in page.elements:
        if isinstance(e, Text):
            if e.text:
                parts.append(text_zpl(e, cjk_font))
        elif isinstance(e, Barcode):
            parts.append(barcode_zpl(e))
        else:
            parts.append(box_zpl(e))
    parts.append("^XZ")
    return "".join(parts)


def to_zpl(label: Label, cjk_font: str | None = None) -> str:
    """The whole label as ZPL: one format per page, each ending in a newline."""
    return "".join(page_zpl(p, cjk_font) + "\n" for p in label.pages)
