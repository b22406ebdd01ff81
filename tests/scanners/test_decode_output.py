"""`floor decode`: one line per code whatever its text holds, the text in the symbol's character set, and --json."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp
from click.testing import CliRunner

from floor.cli.main import main
from floor.scanners.camera import FrameDecoder
from floor.scanners.camera_decode import escape
from floor.scanners.photos import PHOTOS


def _unescape(line: str) -> str:
    """Undo `escape` (its escapes are Python's: \\\\, \\t, \\n, \\r, \\xHH, \\uHHHH)."""
    return line.encode("latin-1", "backslashreplace").decode("unicode_escape")


def _decode(*paths: Path, as_json: bool = False) -> list[str]:
    result = CliRunner().invoke(main, ["decode", *(["--json"] if as_json else []), *map(str, paths)])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def _expected(photo: Path) -> str:
    return photo.with_suffix(".txt").read_bytes().strip().decode("utf-8")  # as photo_set reads it: CR LF kept


# Photos of the public set (tests/data/photos) whose text holds line breaks, Latin-1 letters, control characters.
PHOTO_CASES = [
    ("qrcode/qrcode-1_17.webp", "]Q1"),  # a contact: four lines joined by CR LF
    ("qrcode/qrcode-1_18.webp", "]Q1"),
    ("qrcode/qrcode-1_20.webp", "]Q1"),
    ("code128/code128-1_6.png", "]C0"),  # Code 128 with ISO 8859-1 letters (ó)
    ("datamatrix/datamatrix-3_dm-6.webp", "]d1"),  # ISO 15434: RS, GS and EOT inside
]


@pytest.mark.parametrize("name, aim", PHOTO_CASES, ids=[c[0] for c in PHOTO_CASES])
def test_a_photographed_code_is_one_line_holding_all_its_text(name: str, aim: str) -> None:
    """GIVEN a photo of a code whose text holds CR LF, non-ASCII letters or control characters
    WHEN `floor decode` prints it THEN it is one line, and unescaped it is the whole text; --json gives it as is."""
    photo = PHOTOS / name
    want = _expected(photo)
    lines = _decode(photo)
    assert len(lines) == 1, lines
    path, _, code = lines[0].partition("\t")
    assert (path, code[:3], _unescape(code[3:])) == (str(photo), aim, want)
    assert [json.loads(x) for x in _decode(photo, as_json=True)] == [{"file": str(photo), "aim": aim, "text": want}]


def _qr(tmp_path: Path, name: str, content: str | bytes, options: str = "") -> Path:
    symbol = zxingcpp.create_barcode(content, zxingcpp.BarcodeFormat.QRCode, options=options)
    path = tmp_path / name
    assert cv2.imwrite(str(path), np.array(zxingcpp.write_barcode_to_image(symbol, scale=6)))
    return path


GENERATED = [
    # (file, content, zxing-cpp writer options, the text floor must print)
    ("sjis-eci.png", "部品コード", "eci=20", "部品コード"),  # ECI 20 declares Shift_JIS
    ("kanji.png", "部品コード", "", "部品コード"),  # QR Kanji mode: Shift_JIS by definition
    ("utf8-eci.png", "配件 P:刹车片", "eci=26", "配件 P:刹车片"),  # ECI 26: UTF-8
    ("latin1.png", "Müller-Öl", "", "Müller-Öl"),  # byte mode, no ECI: ISO 8859-1, as zxing-cpp reads it
    (
        "vcard.png",
        "BEGIN:VCARD\nFN:Li Wei\nTEL:+86 10 5555\nEND:VCARD",
        "",
        "BEGIN:VCARD\nFN:Li Wei\nTEL:+86 10 5555\nEND:VCARD",
    ),
    ("controls.png", "a\tb\\c\x07d\u2028e\rf\x1dg", "", "a\tb\\c\x07d\u2028e\rf\x1dg"),
]


@pytest.mark.parametrize("name, content, options, want", GENERATED, ids=[c[0] for c in GENERATED])
def test_generated_qr_codes_print_their_text_unambiguously(
    tmp_path: Path, name: str, content: str, options: str, want: str
) -> None:
    """GIVEN a QR code with Shift_JIS, UTF-8 or Latin-1 text (with or without ECI), line breaks or control characters
    WHEN `floor decode` prints it THEN one line whose unescaped text is the symbol's text; --json the same."""
    image = _qr(tmp_path, name, content, options)
    lines = _decode(image)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{image}\t]Q1") and _unescape(lines[0].split("\t", 1)[1][3:]) == want
    assert "\n" not in lines[0] and "\r" not in lines[0] and "\u2028" not in lines[0]
    assert json.loads(_decode(image, as_json=True)[0])["text"] == want


def test_the_escapes_are_documented_ones() -> None:
    """GIVEN text with every kind of character `escape` changes WHEN escaped THEN exactly the documented escapes."""
    assert escape("a\\b\tc\nd\re\x1df\x7fg\x85h\u2028i\u2029j 配件 ó") == (
        "a\\\\b\\tc\\nd\\re\\x1df\\x7fg\\x85h\\u2028i\\u2029j 配件 ó"
    )
    assert escape("P:OF-100") == "P:OF-100"


def test_the_camera_hands_the_scan_path_utf8_in_the_symbols_character_set(tmp_path: Path) -> None:
    """GIVEN QR codes in Shift_JIS and ISO 8859-1 WHEN the camera decoder reads them THEN the scan it would send is
    the text in UTF-8 (zxing-cpp's raw bytes were Shift_JIS / Latin-1, which the scan path refuses as not UTF-8)."""
    decoder = FrameDecoder()
    for name, content, options, want in GENERATED[:4]:
        gray = cv2.imread(str(_qr(tmp_path, name, content, options)), cv2.IMREAD_GRAYSCALE)
        assert [d.raw for d in decoder.decode(gray)] == [b"]Q1" + want.encode("utf-8")], name


def test_a_file_name_with_a_line_break_stays_on_its_line(tmp_path: Path) -> None:
    """GIVEN an image whose file name holds a newline WHEN decoded THEN the name is escaped too: still one line."""
    image = _qr(tmp_path, "two\nlines.png", "WO:1001")
    lines = _decode(image)
    assert lines == [escape(str(image)) + "\t]Q1WO:1001"] and "\\n" in lines[0]
