"""EAN/UPC scans (AIM ]E0, ]E3, ]E4): the check digit of the GTIN they carry."""

from __future__ import annotations

from floor.core.gs1.invalid import Gs1Invalid, Rule
from floor.core.gs1.syntax import mod10

RETAIL_AIMS = frozenset({"]E0", "]E3", "]E4"})
# ]E3 lengths: the main code (13 digits, or 12 for a UPC-A) and a 2- or 5-digit add-on.
_WITH_ADD_ON = {15: 13, 18: 13, 14: 12, 17: 12}


def upce_to_upca(upce: str) -> str:
    """The 12-digit UPC-A a UPC-E (number system, six digits, check digit) stands for."""
    ns, d, check = upce[0], upce[1:7], upce[7]
    last = d[5]
    if last in "012":
        body = d[0:2] + last + "0000" + d[2:5]
    elif last == "3":
        body = d[0:3] + "00000" + d[3:5]
    elif last == "4":
        body = d[0:4] + "00000" + d[4]
    else:
        body = d[0:5] + "0000" + last
    return ns + body + check


def check_retail(aim: str, data: str) -> None:
    """Refuse an EAN-13, UPC-A, UPC-E or EAN-8 scan (AIM ]E0, ]E3, ]E4) whose check digit is wrong.

    Only shapes that say which symbol they are get checked: 13, 12 or 8 digits after ]E0 (EAN-13,
    UPC-A, UPC-E), 8 after ]E4 (EAN-8), a 12/13-digit code plus a 2/5-digit add-on after ]E3.
    """
    if not (data.isdigit() and data.isascii()):
        return
    n = len(data)
    if aim == "]E4" and n == 8:
        name, number = "EAN-8", data
    elif aim == "]E0" and n in (12, 13):
        name, number = ("UPC-A" if n == 12 else "EAN-13"), data
    elif aim == "]E0" and n == 8 and data[0] in "01":
        name, number = "UPC-E", upce_to_upca(data)
    elif aim == "]E3" and n in _WITH_ADD_ON:
        number = data[: _WITH_ADD_ON[n]]
        name = "EAN-13" if len(number) == 13 else "UPC-A"
    else:
        return
    expected = mod10(number[:-1])
    if ord(number[-1]) - 48 != expected:
        raise Gs1Invalid(name, Rule.CHECK_DIGIT, value=data, got=number[-1], expected=expected)
