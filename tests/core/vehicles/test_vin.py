"""The VIN rule (SPEC 10.1) against public example VINs, and a VIN's three scanned forms."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from floor.core import messages, vin
from floor.core.codes import Kind, parse_scan

DATA = Path(__file__).parents[2] / "data" / "vins_public.csv"


def _public() -> list[tuple[str, bool, bool, str]]:
    lines = [ln for ln in DATA.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    rows = list(csv.DictReader(lines))
    return [(r["vin"], r["form"] == "yes", r["check_digit"] == "yes", r["source"]) for r in rows]


PUBLIC = _public()


def test_the_data_file_holds_valid_and_invalid_examples():
    """GIVEN the transcribed public VINs THEN there are valid ones, check-digit failures and form failures."""
    assert sum(1 for _v, form, check, _s in PUBLIC if form and check) >= 5
    assert sum(1 for _v, form, check, _s in PUBLIC if form and not check) >= 4
    assert sum(1 for _v, form, _c, _s in PUBLIC if not form) >= 4
    assert all(source for *_x, source in PUBLIC)


@pytest.mark.parametrize(("text", "form", "check", "source"), PUBLIC, ids=[p[0] for p in PUBLIC])
def test_public_vins(text, form, check, source):
    """GIVEN a public example VIN WHEN it is checked with and without the check digit THEN it passes exactly when
    its form (and, when checked, its check digit) is right; a refusal names the expected digit."""
    assert vin.has_form(text) is form
    if form:
        assert vin.check_digit_ok(text) is check
        assert vin.parse_vin(text, check=False) == text
    if form and check:
        assert vin.parse_vin(text, check=True) == text
        return
    with pytest.raises(vin.VinError) as refused:
        vin.parse_vin(text, check=True)
    if not form:
        assert refused.value.code == "bad_vin"
    else:
        assert refused.value.code == "bad_vin_check"
        assert refused.value.params["expected"] == vin.check_digit(text) != text[8]
        en, zh = messages.render("bad_vin_check", refused.value.params)
        assert f"should be {vin.check_digit(text)}, not {text[8]}" in en and "校验位" in zh


def test_worked_example_gives_x():
    """GIVEN the 49 CFR 565 worked example (sum 351) THEN its check digit is X, the remainder 10."""
    assert vin.check_digit("1M8GDM9A0KP042788") == "X"


def test_people_write_vins_in_groups():
    """GIVEN a VIN typed in lower case with spaces and dashes THEN it is read as the VIN."""
    assert vin.parse_vin(" 1m8gdm9a-xkp 042788 ", check=True) == "1M8GDM9AXKP042788"
    with pytest.raises(vin.VinError):
        vin.parse_vin(12345678901234567, check=False)


@pytest.mark.parametrize(
    "scanned",
    [
        "VIN:1M8GDM9AXKP042788",  # the prefixed label
        "vin: 1M8GDM9AXKP042788",
        "I1M8GDM9AXKP042788",  # Code 39 on the door pillar, with its leading I
        "]A0I1M8GDM9AXKP042788",  # the same with the scanner's AIM identifier for Code 39
        "1M8GDM9AXKP042788",  # the DataMatrix on the door pillar: the bare 17 characters
        "]d11M8GDM9AXKP042788\r\n",
    ],
)
def test_a_scanned_vin_is_a_vehicle(scanned):
    """GIVEN a VIN in each scanned form WHEN parsed THEN it is a VIN code whose value is the VIN."""
    code = parse_scan(scanned)
    assert code.kind is Kind.VIN
    assert vin.parse_vin(code.value, check=True) == "1M8GDM9AXKP042788"


@pytest.mark.parametrize(
    "scanned",
    [
        "1M8GDM9A1KP042788",  # 17 characters whose check digit is wrong: maybe a part number, not a VIN
        "I1M8GDM9AXKP04278",  # I + 16
        "4006381333931",  # an EAN-13
        "OF100-ALT",
        "ABCDEFGHJKLMNPRST",  # 17 characters of VIN form, wrong check digit
    ],
)
def test_other_codes_stay_barcodes(scanned):
    """GIVEN codes that are not VINs by their form or check digit THEN they are still looked up as barcodes."""
    assert parse_scan(scanned).kind is Kind.BARCODE


def test_op_and_clock_commands_parse():
    """GIVEN a job card's labour line barcode and the clocking verbs THEN they parse as such."""
    assert (parse_scan("OP:42").kind, parse_scan("OP:42").value) == (Kind.OPERATION, "42")
    assert [parse_scan(f"CMD:{v}").value for v in ("STOP", "FINISH", "HOLD")] == ["STOP", "FINISH", "HOLD"]
