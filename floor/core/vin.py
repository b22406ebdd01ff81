"""The one home of the VIN rule (SPEC 10.1): 17 characters, no I, O or Q, and the check digit in position 9.

The check digit is the one 49 CFR 565.15 (North America) and GB 16735 (China) define, computed
over the ISO 3779 VIN: each character's value (digits as themselves, letters by the table
below) times its position's weight, summed, modulo 11; a remainder of 10 is written `X`.
ISO 3779 itself leaves position 9 to the region, so a site outside those regions turns the
check off (`[vehicles] vin_check_digit = false`); the 17 characters are checked always.

Scanned VINs (`parse_scanned`): `VIN:<vin>`, the Code 39 on the door pillar or windscreen
with its leading `I` (18 characters: the `I` marks the VIN, which itself has no I), or the
bare 17 characters of a DataMatrix. A pure module (no database, no other core module): the
scan parser, reception and the vehicle file all call it.
"""

from __future__ import annotations

import re

LENGTH = 17
CHECK_POSITION = 9  # 1-based
# A VIN's characters: digits and capitals without I, O and Q (ISO 3779).
_VIN = re.compile(r"[A-HJ-NPR-Z0-9]{17}")
_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9))),
    **dict(zip("JKLMN", range(1, 6))),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10))),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
CODE39_MARK = "I"


class VinError(ValueError):
    """A text is not a VIN: `bad_vin` (its form) or `bad_vin_check` (its check digit); `params` for the message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def normalise(text: str) -> str:
    """A VIN as stored and compared: capitals, no spaces or dashes (people write them in groups)."""
    return re.sub(r"[\s\-]", "", text).upper()


def has_form(vin: str) -> bool:
    """Whether a (normalised) text has a VIN's form: 17 digits and capitals without I, O and Q."""
    return _VIN.fullmatch(vin) is not None


def check_digit(vin: str) -> str:
    """The check digit a VIN of valid form should carry in position 9 ('0'-'9' or 'X')."""
    total = sum(_VALUES[c] * w for c, w in zip(vin, _WEIGHTS))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def check_digit_ok(vin: str) -> bool:
    """Whether a VIN of valid form carries its check digit."""
    return vin[CHECK_POSITION - 1] == check_digit(vin)


def parse_vin(text: object, *, check: bool) -> str:
    """A client's VIN, normalised; raises VinError `bad_vin` (form) or, with `check`, `bad_vin_check`."""
    if not isinstance(text, str):
        raise VinError("bad_vin", vin=str(text)[:20])
    vin = normalise(text)
    if not has_form(vin):
        raise VinError("bad_vin", vin=vin[:20] or "-")
    if check and not check_digit_ok(vin):
        raise VinError("bad_vin_check", vin=vin, expected=check_digit(vin), found=vin[CHECK_POSITION - 1])
    return vin


def parse_scanned(text: str) -> str | None:
    """The VIN a scanned text without a prefix carries (AIM identifier and whitespace stripped), or None.

    (`VIN:<vin>` is a prefix like `WO:`, read by floor.core.codes; its handler checks the VIN with `parse_vin`.)
    A Code 39 VIN (`I` + 17 characters of VIN form) is a VIN by its form. A bare 17-character text is a VIN
    only when its check digit is right: part numbers and makers' codes of 17 characters exist, and only the
    check digit tells a VIN from them (a site without check digits scans the Code 39 or `VIN:`).
    """
    if len(text) == LENGTH + 1 and text[0] == CODE39_MARK and has_form(text[1:]):
        return text[1:]
    if len(text) == LENGTH and has_form(text) and check_digit_ok(text):
        return text
    return None
