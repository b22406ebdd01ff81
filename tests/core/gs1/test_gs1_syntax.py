"""GS1 messages against GS1's syntax rules: public examples, the issue's cases, the rule table against biip's."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floor.core import messages
from floor.core.codes import CodeError, Kind, parse_scan
from floor.core.gs1.ai_table import PREDEFINED_LENGTH, SPECS
from floor.core.gs1.invalid import Gs1Invalid, Rule
from floor.core.gs1.retail import upce_to_upca
from floor.core.gs1.syntax import GS, split_hri, split_message
from floor.scanners.photos import PHOTOS

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "gs1" / "public_examples.txt"


def _examples() -> list[tuple[int, str, str, str, str]]:
    out = []
    for number, line in enumerate(EXAMPLES.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            outcome, ai, rule, data = line.split()
            out.append((number, outcome, ai, rule, data))
    return out


def _scan_text(data: str) -> str:
    """The data column as a scan: leading ^ is FNC1 in first place (AIM ]C1), later ^ is GS, \\xHH a character."""
    if data.startswith("^"):
        data = "]C1" + data[1:]
    data = data.replace("^", GS)
    return re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m[1], 16)), data)


def _outcome(data: str) -> tuple[str, str | None, str | None]:
    """What floor makes of one example: ('ok'|result code, AI named, rule)."""
    text = _scan_text(data)
    if text.startswith("("):
        try:
            split_hri(text)
        except Gs1Invalid as exc:
            return "gs1_invalid", exc.ai, exc.rule.value
        return "ok", None, None
    try:
        parse_scan(text)
    except CodeError as exc:
        return exc.code, exc.params.get("ai"), exc.params.get("rule")  # type: ignore[return-value]
    return "ok", None, None


@pytest.mark.parametrize(
    "number, outcome, ai, rule, data", _examples(), ids=[f"line{e[0]}-{e[4][:40]}" for e in _examples()]
)
def test_public_examples(number: int, outcome: str, ai: str, rule: str, data: str) -> None:
    """GIVEN a GS1 message from a public source (tests/data/gs1/public_examples.txt names each source)
    WHEN floor reads it THEN valid ones are accepted and invalid ones refused as gs1_invalid naming the AI and rule."""
    got, got_ai, got_rule = _outcome(data)
    assert got == outcome, (number, data, got, got_ai, got_rule)
    if ai != "-":
        assert got_ai == ai, (number, data, got_ai)
    if rule != "-":
        assert got_rule == rule, (number, data, got_rule)


def test_the_examples_cover_every_rule_and_both_outcomes() -> None:
    """GIVEN the public examples WHEN counted THEN there are many, valid and invalid, and every rule is exercised."""
    examples = _examples()
    assert len(examples) > 150
    assert {e[1] for e in examples} >= {"ok", "gs1_invalid", "gs1_no_gtin", "empty"}
    rules = {e[3] for e in examples if e[3] != "-"}
    assert rules >= {r.value for r in Rule} - {"repeated", "empty"}


# -- the cases (issue 24, "What the scanners send") ------------------------------------------
def _refusal(text: str) -> CodeError:
    with pytest.raises(CodeError) as info:
        parse_scan(text)
    return info.value


def test_nine_digits_in_ai_7007_are_refused_not_read_as_a_serial() -> None:
    """GIVEN AI 7007 (a date, N6, or a date range, N12) with 9 digits at the end of a GS1-128 message
    WHEN parsed THEN gs1_invalid naming AI 7007 and its lengths; no serial '1' is read from the leftover digits."""
    exc = _refusal("]C101123456789012317007211225211")
    assert exc.code == "gs1_invalid" and exc.params["ai"] == "7007" and exc.params["rule"] == "length"
    en, zh = messages.render(exc.code, exc.params)
    assert "AI (7007)" in en and "9 characters" in en and "6 or 12" in en, en
    assert "AI (7007)" in zh and "6 或 12" in zh, zh
    assert "FNC1" in en and "FNC1" in zh  # what to do next: a scanner that drops separators


def test_a_gtin_with_a_wrong_check_digit_is_refused_as_such() -> None:
    """GIVEN AI 01 with a wrong check digit WHEN parsed THEN gs1_invalid saying the check digit is wrong
    (not "Unknown part", which invites registering the misprint as an alias)."""
    exc = _refusal("]C10112345678901234")
    assert (exc.code, exc.params["ai"], exc.params["rule"]) == ("gs1_invalid", "01", "check_digit")
    en, zh = messages.render(exc.code, exc.params)
    assert "AI (01) GTIN 12345678901234 has a wrong check digit 4 (the digits before it give 1)" in en, en
    assert "do not register this number as an alias" in en
    assert "校验位 4 错误" in zh and "不要把此号码登记为别名" in zh, zh


@pytest.mark.parametrize(
    "text, symbol",
    [("]E04006381333932", "EAN-13"), ("]E0036000291453", "UPC-A"), ("]E496385075", "EAN-8")],
)
def test_ean_and_upc_scans_with_a_wrong_check_digit_are_refused(text: str, symbol: str) -> None:
    """GIVEN an EAN-13, UPC-A or EAN-8 scan whose AIM says what it is WHEN its check digit is wrong
    THEN gs1_invalid naming the symbology and the check digit; with the right digit it is a plain barcode."""
    exc = _refusal(text)
    assert (exc.code, exc.params["ai"], exc.params["rule"]) == ("gs1_invalid", symbol, "check_digit")
    good = text[:-1] + str((int(text[-1]) - 1) % 10)
    assert parse_scan(good).kind is Kind.BARCODE


def test_digits_without_an_aim_stay_a_barcode() -> None:
    """GIVEN 13 digits with a wrong check digit but no AIM WHEN parsed THEN it stays a plain barcode (it may be a
    part number; only the symbology can say it is an EAN)."""
    assert parse_scan("4006381333932").kind is Kind.BARCODE


def test_every_fault_reads_in_both_languages_with_what_to_do() -> None:
    """GIVEN one message per rule WHEN refused THEN the en and zh texts name the AI, the rule, and what to do next."""
    cases = {
        "]C101123456789012317007211225211": ("7007", "supplier", "供应商"),
        "]C10112345678901234": ("01", "alias", "别名"),
        "]C10112345678901231\x1d11131313": ("11", "supplier", "供应商"),
        "]C10112345678901231\x1d10AB CD": ("10", "FNC1", "FNC1"),
        "]C10112345678901231\x1d10A\x1d10B": ("10", "supplier", "供应商"),
        "]C1891234": ("8912", "FNC1", "FNC1"),
    }
    for text, (ai, advice, advice_zh) in cases.items():
        exc = _refusal(text)
        en, zh = messages.render(exc.code, exc.params)
        assert exc.code == "gs1_invalid" and ai in en and ai in zh, (text, en, zh)
        assert advice in en and advice_zh in zh, (text, en, zh)
        assert {"reason", "reason_zh", "advice", "advice_zh"} <= exc.params.keys()  # every template field is given


def test_the_same_ai_twice_with_different_values_is_refused() -> None:
    """GIVEN a message with AI 10 twice WHEN the values differ THEN refused (repeated); the same value twice passes."""
    with pytest.raises(Gs1Invalid) as info:
        split_message("0112345678901231" + "10A" + GS + "10B")
    assert (info.value.ai, info.value.rule) == ("10", Rule.REPEATED)
    assert split_message("0112345678901231" + "10A" + GS + "10A")[-1] == ("10", "A")


def test_fixed_length_ais_need_no_separator_variable_ones_do() -> None:
    """GIVEN GTIN then expiry then lot WHEN the fixed-length AIs run on without GS THEN the message splits right;
    a lot followed by a serial without GS is one long lot (GS1 reads it so)."""
    assert split_message("0112345678901231" + "17260704" + "10AB-123" + GS + "21S1") == [
        ("01", "12345678901231"),
        ("17", "260704"),
        ("10", "AB-123"),
        ("21", "S1"),
    ]
    assert split_message("0112345678901231" + "10AB-12321S1")[-1] == ("10", "AB-12321S1")


def test_upce_expands_as_biip_documents() -> None:
    """GIVEN biip's documented UPC-E 04252614 WHEN expanded THEN it is its UPC-A 042100005264; each layout rule holds."""
    assert upce_to_upca("04252614") == "042100005264"
    assert upce_to_upca("01234505") == "012000003455"  # last digit 0-2: manufacturer dd000, item 00ddd
    assert upce_to_upca("01234565") == "012345000065"  # last digit 5-9: manufacturer ddddd, item 0000d
    assert upce_to_upca("01234531") == "012300000451"  # last digit 3
    assert upce_to_upca("01234546") == "012340000056"  # last digit 4


def test_gs1_datamatrix_photos_of_the_public_set_parse() -> None:
    """GIVEN the GS1 DataMatrix photos of tests/data/photos (zxing-cpp's samples) WHEN their expected text is
    scanned with AIM ]d2 THEN each is a GS1 code with GTIN, serial and lot."""
    texts = [p.read_text() for p in sorted((PHOTOS / "datamatrix").glob("datamatrix-5_issue794-*.txt"))]
    assert len(texts) == 3
    for text in texts:
        code = parse_scan("]d2" + text.strip())
        assert code.kind is Kind.GS1 and code.gs1 is not None
        assert (code.value, code.gs1.lot) == ("08903819987659", "BNav4Cam2") and code.gs1.serial


# -- the table against an independent copy of GS1's AI list -------------------------------------------
def _biip_ais() -> dict[str, dict[str, object]]:
    path = resources.files("biip") / "gs1_application_identifiers" / "_application_identifiers.json"
    return {entry["ai"]: entry for entry in json.loads(path.read_text())}


def _biip_min_max(fmt: str) -> tuple[int, int]:
    """Total data length range of biip's format text, e.g. 'N4+N6[+N6]' -> (6, 12)."""
    lo = hi = 0
    body = fmt.split("+", 1)[1].replace("[-]", "[X1]").replace("-", "X1")
    for opt, n1, var, n2 in re.findall(r"(\[?)\+?[NXYZ]?(\d*)(\.\.)?[NXYZ]?(\d*)", body):
        if not (n1 or n2):
            continue
        a, b = ((int(n1) if n1 else 1), int(n2)) if var else (int(n1), int(n1))
        lo, hi = lo + (0 if opt else a), hi + b
    return lo, hi


def test_the_table_agrees_with_biips_copy_of_the_ai_list() -> None:
    """GIVEN biip's AI list (GS1's, shipped with the dependency) WHEN compared with floor's table THEN the same AIs,
    the same FNC1 rule, the same shortest and longest data (423/425 by biip's pattern, whose format text differs)."""
    biip = _biip_ais()
    assert set(biip) == set(SPECS)
    for ai, entry in biip.items():
        spec = SPECS[ai]
        assert entry["separator_required"] == (spec.predefined is None), ai
        if ai in ("423", "425"):
            pattern = re.compile(str(entry["pattern"]))
            assert {n for n in range(1, 20) if pattern.fullmatch(ai + "528" * (n // 3) + "5" * (n % 3))} == set(
                spec.lengths
            )
            continue
        assert _biip_min_max(str(entry["format"])) == (min(spec.lengths), max(spec.lengths)), ai


def test_predefined_lengths_match_the_table() -> None:
    """GIVEN the General Specifications' predefined-length prefixes WHEN checked against the table THEN every AI
    with such a prefix has exactly that one data length."""
    for ai, spec in SPECS.items():
        if ai[:2] in PREDEFINED_LENGTH:
            assert spec.lengths == {PREDEFINED_LENGTH[ai[:2]]}, ai


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789" + GS + "AZaz-/%=() "), max_size=60))
def test_splitting_never_fails_any_other_way(data: str) -> None:
    """GIVEN any string of digits, separators and symbols WHEN split THEN pairs come back or Gs1Invalid, nothing else;
    every pair's value passes its AI's format again."""
    try:
        pairs = split_message(data)
    except Gs1Invalid as exc:
        assert exc.texts()[0] and exc.texts()[1]
    else:
        assert all(len(value) in SPECS[ai].lengths for ai, value in pairs)
