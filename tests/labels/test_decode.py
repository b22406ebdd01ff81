"""Every label kind, rendered as ZPL (rasterised offline), PNG and SVG, decodes back to its payloads."""

from __future__ import annotations

from collections import Counter

import pytest

from floor.db import Database
from floor.labels.model import Barcode, Label, Page, Symbology
from floor.labels.preview import sheet_png, sheet_svg, to_png, to_svg
from floor.labels.service import make_label, render_label
from floor.labels.zpl import to_zpl
from tests.labels.conftest import OBJECTS
from tests.labels.helpers import decode_zbar, decode_zxing, png_image, svg_image, zpl_images

SPEC_VERBS = [
    "ISSUE",
    "RETURN",
    "CORE",
    "RECEIVE",
    "COUNT",
    "MOVE",
    "START",
    "HOLD",
    "QC",
    "READY",
    "DELIVER",
    "REUSABLE",
    "SCRAP",
    "WARRANTY",
    "UNDO",
    "DONE",
    "STOP",
    "FINISH",
]
EXPECTED_MAIN = {
    ("part", "OF-100"): "P:OF-100",
    ("part", "04465-33480"): "P:04465-33480",
    ("bin", "A-01-01"): "L:A-01-01",
    ("wo", "1001"): "WO:1001",
    ("core", "1001-ALT-300-1"): "C:1001-ALT-300-1",
    ("badge", "T001"): "U:T001",
    ("badge", "T088"): "U:T088",
    ("count", "1"): "CNT:1",
    ("commands", "counter-1"): "CMD:ISSUE",
}


def _matrix_free(label: Label) -> list[str]:
    return [
        e.payload
        for p in label.pages
        for e in p.elements
        if isinstance(e, Barcode) and e.symbology is not Symbology.DATAMATRIX
    ]


@pytest.mark.parametrize("kind,oid", OBJECTS)
def test_zpl_decodes_to_payloads(labels_db: Database, kind: str, oid: str) -> None:
    """GIVEN an object of each kind WHEN its ZPL is rasterised offline THEN zxing and zbar read exactly its payloads."""
    with labels_db.reading() as s:
        label = make_label(s, kind, oid)
        zpl = render_label(s, kind, oid, "zpl")
    assert isinstance(zpl, str) and zpl == to_zpl(label)
    assert EXPECTED_MAIN[(kind, oid)] in label.payloads
    images = zpl_images(zpl)
    assert len(images) == len(label.pages)
    assert Counter(p for img in images for p in decode_zxing(img)) == Counter(label.payloads)
    assert Counter(p for img in images for p in decode_zbar(img)) == Counter(_matrix_free(label))


@pytest.mark.parametrize("kind,oid", OBJECTS)
def test_png_and_svg_previews_decode(labels_db: Database, kind: str, oid: str) -> None:
    """GIVEN an object of each kind WHEN previewed as PNG and SVG THEN both decode to the same payloads."""
    with labels_db.reading() as s:
        label = make_label(s, kind, oid)
        png = render_label(s, kind, oid, "png")
        svg = render_label(s, kind, oid, "svg")
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG")
    assert isinstance(svg, str) and svg.startswith("<svg")
    assert Counter(decode_zxing(png_image(png))) == Counter(label.payloads)
    assert Counter(decode_zbar(png_image(png))) == Counter(_matrix_free(label))
    assert Counter(decode_zxing(svg_image(svg))) == Counter(label.payloads)


def test_commands_sheet_has_every_verb_and_quantity(labels_db: Database) -> None:
    """GIVEN the counter's command sheet WHEN laid out THEN it carries every CMD: verb and Q:1…Q:10 once."""
    with labels_db.reading() as s:
        label = make_label(s, "commands", "counter-1")
    assert label.payloads == [f"CMD:{v}" for v in SPEC_VERBS] + [f"Q:{n}" for n in range(1, 11)]


def test_count_sheet_lists_the_bins_of_the_count(labels_db: Database) -> None:
    """GIVEN a cycle count of zone A WHEN its sheet is laid out THEN it has CNT:1 and the L: code of each zone-A bin."""
    with labels_db.reading() as s:
        label = make_label(s, "count", "CNT:1")
    assert label.payloads == ["CNT:1", "L:A-01-01", "L:A-01-02"]


def test_core_tag_says_job_part_and_date(labels_db: Database) -> None:
    """GIVEN a core due on WO 1001 WHEN its tag is rendered THEN it is a DataMatrix with job, part and issue date."""
    with labels_db.reading() as s:
        zpl = render_label(s, "core", "1001-ALT-300-1", "zpl")
    assert isinstance(zpl, str)
    assert "^BXN,5,200^FH^FDC:1001-ALT-300-1^FS" in zpl
    for text in ("WO:1001", "ALT-300", "2026-11-23"):
        assert f"^FD{text}^FS" in zpl


def test_chinese_text_prints_as_ink(labels_db: Database) -> None:
    """GIVEN a badge for 李师傅 WHEN its ZPL is rasterised THEN the name area has ink (the graphic printed)."""
    with labels_db.reading() as s:
        zpl = render_label(s, "badge", "T088", "zpl")
    assert isinstance(zpl, str) and "李" not in zpl and "^GFA," in zpl
    img = zpl_images(zpl)[0]
    name_area = img.crop((20, 20, 220, 80))
    assert name_area.getextrema()[0] == 0  # some black dots where the name is


def test_gs1_128_and_qr_round_trip() -> None:
    """GIVEN a GS1 payload and a QR payload with UTF-8 WHEN rendered to ZPL and PNG THEN both decode exactly."""
    page = Page(
        812,
        406,
        (
            Barcode(20, 20, "(01)09501101530003(10)LOT7(21)S1", Symbology.GS1_128, 2, 120),
            Barcode(20, 200, "P:配件-7", Symbology.QR, 5),
        ),
    )
    label = Label("test", "x", (page,))
    for img in (zpl_images(to_zpl(label))[0], png_image(to_png(label)), svg_image(to_svg(label))):
        assert sorted(decode_zxing(img)) == sorted(label.payloads)
    assert sorted(decode_zbar(png_image(to_png(label)))) == ["010950110153000310LOT7\x1d21S1", "P:配件-7"]


def test_a4_sheets_hold_many_labels(labels_db: Database) -> None:
    """GIVEN twelve bin labels WHEN laid out on A4 THEN each sheet decodes to its labels and none is lost."""
    with labels_db.reading() as s:
        labels = [make_label(s, "bin", "A-01-01")] * 6 + [make_label(s, "bin", "B-02-01")] * 6
    pngs, svgs = sheet_png(labels), sheet_svg(labels)
    assert len(pngs) == len(svgs) >= 2
    assert Counter(p for d in pngs for p in decode_zxing(png_image(d))) == Counter({"L:A-01-01": 6, "L:B-02-01": 6})
    assert Counter(p for d in svgs for p in decode_zxing(svg_image(d))) == Counter({"L:A-01-01": 6, "L:B-02-01": 6})
