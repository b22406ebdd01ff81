"""Exact ZPL fragments: escaping, each symbology, text, graphics, whole formats."""

from __future__ import annotations

import pytest
from PIL import Image

from floor.labels.model import Barcode, Box, Label, Page, Symbology, Text, UnencodableError
from floor.labels.symbology import code128_modules, fit_module, gs1_raw, is_gs1, parse_gs1
from floor.labels.textgfx import gf_ascii
from floor.labels.zpl import barcode_zpl, code128_data, field_hex, page_zpl, text_zpl, to_zpl
from tests.labels.helpers import zpl_images


def test_field_hex_escapes_command_prefixes() -> None:
    """GIVEN text with ^, ~ and _ WHEN escaped for ^FH THEN each becomes its _XX hex form."""
    assert field_hex("a^b~c_d") == "a_5Eb_7Ec_5Fd"


def test_code128_data_uses_invocation_codes() -> None:
    """GIVEN a payload with > ^ ~ WHEN escaped for ^BC THEN they become >0, ><, >= (ZPL invocation codes)."""
    assert code128_data("P:a>b^c~d") == "P:a>0b><c>=d"


def test_code128_field_exact() -> None:
    """GIVEN a Code 128 barcode element WHEN rendered THEN the ^BC field is automatic mode, no interpretation line."""
    b = Barcode(20, 92, "P:OF-100", Symbology.CODE128, 2, 100)
    assert barcode_zpl(b) == "^FO20,92^BY2^BCN,100,N,N,N,A^FDP:OF-100^FS"


def test_gs1_128_field_exact() -> None:
    """GIVEN a GS1 payload WHEN rendered THEN ^BC mode D (UCC/EAN) carries the bracketed element string."""
    b = Barcode(0, 0, "(01)09501101530003(10)AB1", Symbology.GS1_128, 2, 80)
    assert barcode_zpl(b) == "^FO0,0^BY2^BCN,80,N,N,N,D^FD(01)09501101530003(10)AB1^FS"


def test_qr_field_exact() -> None:
    """GIVEN a QR element WHEN rendered THEN ^BQ model 2 with error level Q, automatic input, ^FH escaping."""
    assert barcode_zpl(Barcode(5, 6, "WO:1_2", Symbology.QR, 4)) == "^FO5,6^BQN,2,4^FH^FDQA,WO:1_5F2^FS"


def test_datamatrix_field_exact() -> None:
    """GIVEN a DataMatrix payload with an underscore WHEN rendered THEN it is doubled for ^BX, hex for ^FH."""
    b = Barcode(20, 30, "C:A_1", Symbology.DATAMATRIX, 5)
    assert barcode_zpl(b) == "^FO20,30^BXN,5,200^FH^FDC:A_5F_5F1^FS"


def test_ascii_text_uses_resident_font() -> None:
    """GIVEN ASCII text WHEN rendered THEN it is font 0 at the given height with ^FH escaping."""
    assert text_zpl(Text(20, 12, 40, "OF-100 ^x", 400)) == "^FO20,12^A0N,40,40^FH^FDOF-100 _5Ex^FS"


def test_chinese_text_becomes_graphic() -> None:
    """GIVEN Chinese text WHEN rendered without a printer CJK font THEN it is a ^GFA graphic with no raw Chinese."""
    z = text_zpl(Text(20, 56, 28, "机油滤清器", 400))
    assert z.startswith("^FO20,56^GFA,") and z.endswith("^FS")
    assert z.isascii()


def test_chinese_text_with_printer_font() -> None:
    """GIVEN a printer that has a CJK font WHEN Chinese text is rendered THEN it is ^A@ with that font, UTF-8 data."""
    z = text_zpl(Text(1, 2, 30, "旧件", 200), cjk_font="E:SIMSUN.TTF")
    assert z == "^FO1,2^A@N,30,30,E:SIMSUN.TTF^FH^FD旧件^FS"


def test_gf_ascii_compression_exact() -> None:
    """GIVEN a 16x3 mask (full row, empty row, repeat) WHEN encoded THEN runs, ',' and ':' compress it."""
    img = Image.new("1", (16, 3), 0)
    img.paste(1, (0, 0, 16, 1))
    img.paste(1, (0, 2, 16, 3))
    assert gf_ascii(img) == "^GFA,6,6,2,JF,JF"  # row 1 'FFFF', row 2 ',' (all zero), row 3 'FFFF'
    dots = zpl_images(f"^XA^PW16^LL3^FO0,0{gf_ascii(img)}^FS^XZ")[0].crop((0, 0, 16, 3))
    assert [dots.getpixel((0, y)) for y in range(3)] == [0, 255, 0]
    img2 = Image.new("1", (16, 2), 0)
    img2.paste(1, (0, 0, 8, 2))
    assert gf_ascii(img2) == "^GFA,4,4,2,FF,:"


def test_page_exact() -> None:
    """GIVEN a page with a box and a barcode WHEN rendered THEN the format is ^XA, UTF-8, size, fields, ^XZ."""
    page = Page(400, 240, (Box(0, 0, 400, 2, 2), Barcode(10, 10, "Q:1", Symbology.CODE128, 2, 50)))
    assert page_zpl(page) == ("^XA^CI28^PW400^LL240^LH0,0^FO0,0^GB400,2,2^FS^FO10,10^BY2^BCN,50,N,N,N,A^FDQ:1^FS^XZ")


def test_multi_page_label_is_one_format_per_page() -> None:
    """GIVEN a two-page label WHEN rendered THEN there are two formats, each on its own line."""
    page = Page(100, 100, ())
    z = to_zpl(Label("x", "1", (page, page)))
    assert z == "^XA^CI28^PW100^LL100^LH0,0^XZ\n^XA^CI28^PW100^LL100^LH0,0^XZ\n"


@pytest.mark.parametrize(
    "payload,symbology,why",
    [
        ("P:配件", Symbology.CODE128, "printable ASCII only"),
        ("P:a\tb", Symbology.CODE128, "printable ASCII only"),
        ("", Symbology.CODE128, "empty"),
        ("P:" + "X" * 100, Symbology.CODE128, "too long"),
        ("C:配件", Symbology.DATAMATRIX, "ASCII only"),
        ("(01)123", Symbology.GS1_128, "invalid data"),
        ("P:x", Symbology.GS1_128, "not a GS1"),
        ("a\x00b", Symbology.QR, "control characters"),
        ("x" * 600, Symbology.QR, "too long"),
    ],
)
def test_unencodable_payloads_are_refused(payload: str, symbology: Symbology, why: str) -> None:
    """GIVEN a payload the symbology cannot carry WHEN rendered THEN UnencodableError says why."""
    with pytest.raises(UnencodableError, match=why):
        barcode_zpl(Barcode(0, 0, payload, symbology, 2, 50))


def test_gs1_helpers() -> None:
    """GIVEN GS1 element strings WHEN parsed THEN AIs split, FNC1 (GS) follows variable fields only."""
    assert is_gs1("(01)09501101530003(10)AB") and not is_gs1("P:(01)")
    assert parse_gs1("(01)09501101530003(21)S1") == [("01", "09501101530003"), ("21", "S1")]
    assert gs1_raw("(10)AB(01)09501101530003(21)x") == "10AB\x1d0109501101530003" + "21x"


def test_module_width_fits_label() -> None:
    """GIVEN a payload and a width WHEN fitting THEN the widest module that fits is chosen, or it is refused."""
    assert code128_modules("P:12345678") == 112
    assert fit_module("P:12345678", Symbology.CODE128, 400, 3) == 3
    assert fit_module("P:12345678", Symbology.CODE128, 200, 3) == 1
    with pytest.raises(UnencodableError, match="too long"):
        fit_module("P:ABCDEFGHIJKLMNOPQRST", Symbology.CODE128, 100)
