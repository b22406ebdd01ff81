"""Text the printer has no glyphs for, drawn with Pillow and sent as a ZPL ^GF graphic."""

from __future__ import annotations

import re
from functools import lru_cache

from PIL import Image, ImageDraw

from floor.labels.fonts import cjk_font_path, font

_HEX = "0123456789ABCDEF"
_SMALL = "GHIJKLMNOPQRSTUVWXY"  # repeat counts 1..19
_LARGE = "ghijklmnopqrstuvwxyz"  # repeat counts 20, 40, ... 400


_SCRIPT_RUN = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")


@lru_cache(maxsize=4096)
def text_mask(text: str, height: int, max_width: int) -> Image.Image:
    """Render one line as a mode-'1' mask (ink = 1), `height` dots tall, clipped at max_width.

    Latin and Chinese runs are drawn with their own fonts, since CJK fonts such as
    Droid Sans Fallback carry no Latin glyphs.
    """
    size = max(8, int(height * 0.86))
    runs = [(run, font(size, cjk=not run.isascii())) for run in _SCRIPT_RUN.findall(text)]
    width = max(8, min(max_width, int(sum(f.getlength(run) for run, f in runs)) + 2))
    img = Image.new("1", (width, height), 0)
    draw = ImageDraw.Draw(img)
    x = 0.0
    for run, f in runs:
        draw.text((x, height * 0.04), run, font=f, fill=1)
        x += f.getlength(run)
    return img


def _repeat(count: int, char: str) -> str:
    """ZPL ASCII-compression prefix for `count` repetitions of one hex digit."""
    out = "z" * (count // 400)
    count %= 400
    if count >= 20:
        out += _LARGE[count // 20 - 1]
        count %= 20
    if count:
        out += _SMALL[count - 1]
    return out + char


_RUN = re.compile(r"([0-9A-F])\1{2,}")


def _compress_row(row: str) -> str:
    """Compress one row of hex: runs of 3+ become counted, trailing zeros become ','."""
    stripped = row.rstrip("0")
    tail = "," if len(stripped) < len(row) else ""
    return _RUN.sub(lambda m: _repeat(len(m.group()), m.group(1)), stripped) + tail


def gf_ascii(mask: Image.Image) -> str:
    """A mode-'1' ink mask (1 = black dot) as ^GFA with ZPL ASCII compression (',' ':' and run counts)."""
    width, height = mask.size
    bpr = (width + 7) // 8
    hexed = mask.tobytes().hex().upper()
    step = bpr * 2
    rows: list[str] = []
    prev = None
    for r in range(0, height * step, step):
        hexrow = hexed[r : r + step]
        rows.append(":" if hexrow == prev else _compress_row(hexrow))
        prev = hexrow
    total = bpr * height
    return f"^GFA,{total},{total},{bpr},{''.join(rows)}"


@lru_cache(maxsize=8192)
def text_graphic(text: str, height: int, max_width: int) -> str:
    """The ^GF command for one line of text; cached since part names and captions repeat."""
    return gf_ascii(text_mask(text, height, max_width))


def have_cjk_font() -> bool:
    """True when Chinese text can be drawn as a graphic on this machine."""
    return cjk_font_path() is not None
