"""Finding the TrueType fonts that previews and Chinese label text are drawn with."""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

log = logging.getLogger(__name__)

# Debian package paths, most complete glyph coverage first. FLOOR_CJK_FONT overrides.
CJK_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
LATIN_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Bold.ttf",
)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=1)
def cjk_font_path() -> str | None:
    """Path of a font with Simplified Chinese glyphs, or None when the machine has none."""
    env = os.environ.get("FLOOR_CJK_FONT")
    for path in ((env,) if env else ()) + CJK_CANDIDATES:
        if Path(path).is_file():
            return path
    log.warning(
        "no Chinese font found (install fonts-noto-cjk or set FLOOR_CJK_FONT); "
        "Chinese label text will print as the printer's resident font can"
    )
    return None


@lru_cache(maxsize=1)
def latin_font_path() -> str | None:
    """Path of a bold condensed Latin font for previews, close to the printer's font 0."""
    return next((p for p in LATIN_CANDIDATES if Path(p).is_file()), None)


@lru_cache(maxsize=256)
def font(size: int, cjk: bool) -> Font:
    """A font at `size` pixels: the CJK one for text with Chinese, else the Latin one."""
    path = (cjk_font_path() if cjk else None) or latin_font_path() or cjk_font_path()
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(path, size)
