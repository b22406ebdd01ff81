r"""Decoding still images with the camera reader's decoder (the handheld's frame upload, `floor decode`), and how a decoded text is printed on one line.

`floor decode` prints one line per code, `<file>TAB<AIM><text>`, with the text read in the
character set the symbol declares (ECI), else as zxing-cpp reads it. So that a line is always
one code, `escape` writes control characters as escapes: a backslash as `\\`, TAB, LF and CR
as `\t`, `\n`, `\r`, other control characters (GS1's FNC1 separator GS among them) as `\xHH`,
and the Unicode line and paragraph separators as `\u2028`, `\u2029`; the file name likewise.
`--json` prints one JSON object per line instead, `{"file", "aim", "text"}`, in ASCII with JSON's escapes.
"""

from __future__ import annotations

import json
import unicodedata

import cv2
import numpy as np

from floor.scanners.camera import Decoded, FrameDecoder

_decoder: FrameDecoder | None = None


def decode_image_bytes(data: bytes, decoder: FrameDecoder | None = None) -> list[Decoded] | None:
    """Every code in an encoded image (JPEG, PNG, WebP, ...); None when the bytes are not an image."""
    global _decoder
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if img is None:
        return None
    if decoder is None:
        _decoder = _decoder or FrameDecoder()
        decoder = _decoder
    return decoder.decode(img)


_NAMED_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape_char(char: str) -> str:
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    if unicodedata.category(char) in ("Cc", "Zl", "Zp", "Cs"):  # Cs: a file name's undecodable bytes
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return char


def escape(text: str) -> str:
    """The text on one line: backslash, control characters and line separators as escapes (see the module)."""
    if text.isprintable() and "\\" not in text:
        return text  # the common case: nothing to escape
    return "".join(_escape_char(c) for c in text)


def json_line(name: str, code: Decoded) -> str:
    """One code as a JSON object on one line, in ASCII (every other character as a JSON \\u escape)."""
    return json.dumps({"file": name, "aim": code.aim, "text": code.text})
