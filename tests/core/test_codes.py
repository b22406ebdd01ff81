"""The scan parser: prefixes, AIM identifiers, GS1 in every form, quantities, and what it refuses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floor.core.codes import CodeError, Kind, gtin14, parse_scan


@pytest.mark.parametrize(
    "text, kind, value",
    [
        ("U:T001", Kind.BADGE, "T001"),
        ("WO:1001\r\n", Kind.WORK_ORDER, "1001"),
        ("L:A-01-03", Kind.LOCATION, "A-01-03"),
        ("P:OF-100", Kind.PART_LABEL, "OF-100"),
        ("C:C12-1", Kind.CORE, "C12-1"),
        ("CNT:7", Kind.COUNT, "7"),
        ("cmd:issue", Kind.COMMAND, "ISSUE"),
        ("4006381333931", Kind.BARCODE, "4006381333931"),
        ("]C1010703206980498815210526100329", Kind.GS1, "07032069804988"),
        ("\x1d0107032069804988\x1d10ABC\x1d3005", Kind.GS1, "07032069804988"),
        ("(01)07032069804988(21)SN9", Kind.GS1, "07032069804988"),
    ],
)
def test_kinds(text, kind, value):
    """GIVEN a scanned text WHEN parsed THEN its kind and value are right."""
    code = parse_scan(text)
    assert (code.kind, code.value) == (kind, value)


def test_aim_prefix_is_stripped_and_kept():
    """GIVEN an EAN-13 with AIM ]E0 WHEN parsed THEN the AIM is kept apart from the data."""
    code = parse_scan("]E04006381333931")
    assert code.aim == "]E0" and code.value == "4006381333931"


def test_gs1_fields():
    """GIVEN GS1 with lot, serial and count WHEN parsed THEN each lands in its field."""
    code = parse_scan("]d2010703206980498810LOT1\x1d21SER9\x1d3012")
    assert code.gs1 is not None
    assert (code.gs1.gtin, code.gs1.lot, code.gs1.serial, code.gs1.qty, code.qty) == (
        "07032069804988",
        "LOT1",
        "SER9",
        12,
        12,
    )


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty"),
        (" \t\r\n", "empty"),
        ("U:", "empty_value"),
        ("Q:0", "bad_qty"),
        ("Q:-3", "bad_qty"),
        ("Q:99999", "bad_qty"),
        ("Q:1.5", "bad_qty"),
        ("CMD:FLY", "unknown_command"),
        ("P:A\x07B", "control_chars"),
        ("]C1xyz", "gs1_invalid"),
        ("\x1d]", "gs1_invalid"),
        ("]C1\x1d10ABC", "gs1_no_gtin"),
    ],
)
def test_refusals(text, reason):
    """GIVEN bad input WHEN parsed THEN CodeError names the reason."""
    with pytest.raises(CodeError) as info:
        parse_scan(text)
    assert info.value.code == reason


def test_gtin14_forms():
    """GIVEN EAN-13, UPC-A, EAN-8 and GTIN-14 WHEN normalised THEN all become 14 digits; a bad check digit is None."""
    assert gtin14("4006381333931") == "04006381333931"
    assert gtin14("036000291452") == "00036000291452"
    assert gtin14("96385074") == "00000096385074"
    assert gtin14("4006381333932") is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_parser_never_fails_unexpectedly(text):
    """GIVEN any text WHEN parsed THEN it is a Code or a CodeError with a reason, never another exception."""
    try:
        code = parse_scan(text)
    except CodeError as exc:
        assert exc.code
    else:
        assert isinstance(code.kind, Kind) and code.value
