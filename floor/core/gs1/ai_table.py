"""The GS1 Application Identifiers floor checks, as data: each AI's format and the character sets.

The rules are facts of two public GS1 standards, transcribed into `TABLE` below:
- the GS1 Barcode Syntax Dictionary (release of 2026-07): each AI's components (character set,
  fixed or variable length, optional parts) and the checks on them (check digit, dates, ...);
- the GS1 General Specifications: the AIs of predefined length that need no FNC1 after them
  (Figure 7.8.5-2, by the AI's first two digits), the mod-10 check digit (7.9.1), the check
  character pair (7.9.5), the character sets 82, 39 and 64 (7.11), dates YYMMDD where DD 00
  means "no day" for AIs 11-17 (7.12).
Checks not made (they need code lists or company-prefix data floor does not hold): ISO country
and currency codes, IBAN, coupon structure, media and package type codes, GS1 Company Prefix
lengths; nor AI pairing rules ("req"/"ex"), which GS1 applies to all the symbols on an item together.

`SPECS` maps each AI to its `Spec` (components, every length they allow, the predefined length); the checks
a component names ("/check", "/date" …) are code, in floor.core.gs1.syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# -- the rules, by AI ----------------------------------------------------------------------------
# One line per format: the format, then the AIs that have it. A format is components joined by
# "+", each a character set (N digits, X set 82, Y set 39, Z set 64) with its length ("N6" exactly
# 6, "X..20" 1 to 20); "[...]" is an optional component; "/name" adds a check (see floor.core.gs1.syntax.CHECKS).
TABLE = """
N18/check                       00 8017 8018
N14/check                       01 02 03
N6/date0                        11 12 13 15 16 17
N2                              20 7241
N6                              MEASURES 3950-3955 8005
N..8                            30 37
N..15                           3900-3909 3920-3929
N3+N..15                        3910-3919 3930-3939
N4                              3940-3943 8111
N..6                            242
N..4                            7004
N..10                           8019
N..12/nolead0                   8011
N13/check                       410-417
N13/check+[X..17]               253
N13/check+[N..12]               255
N17/check                       402
N13                             7001
N15                             8040 8041
N32                             8042
N18+[N..2]                      8043
N3                              422 424 426
N3+X..9                         421
N3+[N3]+[N3]+[N3]+[N3]          423 425
N3+X..27                        7030-7039
N1/yesno                        4321-4323
N1/sex                          7252
N10/lat+N10/lon                 4309
N6/date                         4326 7006
N6/date0+N4/hhmm                4324 4325
N6/date+N4/hhmm                 7003
N6/date+[N6/date]               7007
N6/date+[N4/hhmm]               7011
N6/date+N2/hour+[N2/minute]+[N2/second]  8008
N8/date8                        7250
N8/date8+N4/hhmm                7251
N6+[X1/hyphen]                  4330-4333
N1/zero+N13/check+[X..16]       8003
N14/check+N4/piece              8006 8026
N4/nonzero+N5/nonzero+N3/nonzero+N1/winding+N1  8001
N1+X1+X1+X1/importer            7040
X..2                            7010
X..3                            427 7008
X..4                            7041
X..10                           7009 7255
X..12                           7005
X..20                           10 21 22 243 254 420 4318 7020-7022 710-717 7240 8002 8012
X..25                           7242 8020
X..25/pair                      8013
X..25/pair/letter               8014
X..28                           235
X..30                           240 241 250 251 400 401 403 4308 4319 7002 7023 8004 90
X..34                           8007
X..35/pct                       4300 4301 4310 4311 4320
X..40/pct                       7253 7254 7259
X..50                           8009
X..70                           8110 8112 8200
X..70/pct                       4302-4306 4312-4316 7257
X..90                           91-99
X..90/pct                       7256
X2                              4307 4317
X2+X..28                        7230-7239
X3/slash                        7258
Y..30                           8010
Z..90                           8030
"""
# Net and gross measures: AI 3abd, d (0-5) the decimal point's place.
_MEASURES = [
    f"{p}{d}" for r in ((310, 316), (320, 337), (340, 357), (360, 369)) for p in range(r[0], r[1] + 1) for d in range(6)
]

# General Specifications Figure 7.8.5-2: AIs starting with these digits have a predefined data
# length and need no FNC1 after them; every other AI is followed by FNC1 unless it ends the message.
PREDEFINED_LENGTH = {
    "00": 18, "01": 14, "02": 14, "03": 14, "04": 16, "11": 6, "12": 6, "13": 6, "14": 6, "15": 6,
    "16": 6, "17": 6, "18": 6, "19": 6, "20": 2, "31": 6, "32": 6, "33": 6, "34": 6, "35": 6, "36": 6, "41": 13,
}  # fmt: skip

# Character sets (General Specifications 7.11): set 82, set 39, and set 64 (base64url; its '=' padding: syntax._bad_character).
CSETS = {
    "N": re.compile(r"[0-9]*"),
    "X": re.compile(r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*"),
    "Y": re.compile(r"[#\-/0-9A-Z]*"),
    "Z": re.compile(r"[A-Za-z0-9\-_]*"),
}
CSET_NAMES = {
    "N": ("digits", "数字"),
    "X": ("letters, digits and !\"%&'()*+,-./:;<=>?_", "字母、数字及 !\"%&'()*+,-./:;<=>?_"),
    "Y": ("capital letters, digits and # - /", "大写字母、数字及 # - /"),
    "Z": ("letters, digits, - and _ (base64url)", "字母、数字、- 和 _（base64url）"),
}


# -- the table read into specs --------------------------------------------------------------------
@dataclass(frozen=True)
class Component:
    """One part of an AI's data: character set, length range, optional or not, checks."""

    cset: str
    min_len: int
    max_len: int
    optional: bool
    checks: tuple[str, ...]


@dataclass(frozen=True)
class Spec:
    """An AI's format: its components and every data length they allow."""

    components: tuple[Component, ...]
    lengths: frozenset[int]
    predefined: int | None  # the data length of an AI that needs no FNC1 after it


_COMPONENT = re.compile(r"^(\[)?([NXYZ])(\.\.)?(\d+)((?:/[a-z0-9]+)*)(\])?$")


def _component(text: str) -> Component:
    m = _COMPONENT.match(text)
    if m is None or bool(m.group(1)) != bool(m.group(6)):
        raise ValueError(f"bad component {text!r}")
    size = int(m.group(4))
    checks = tuple(c for c in m.group(5).split("/") if c)  # each a name in floor.core.gs1.syntax.CHECKS
    return Component(m.group(2), 1 if m.group(3) else size, size, bool(m.group(1)), checks)


def _lengths(components: tuple[Component, ...]) -> frozenset[int]:
    # Every total length: each optional component may end the data (only the last may vary).
    out: set[int] = set()
    fixed = 0
    for comp in components:
        if comp.optional:
            out.add(fixed)
        if comp.min_len == comp.max_len:
            fixed += comp.max_len
        else:
            out.update(range(fixed + comp.min_len, fixed + comp.max_len + 1))
    if components[-1].min_len == components[-1].max_len:
        out.add(fixed)
    out.discard(0)
    return frozenset(out)


def _expand(token: str) -> list[str]:
    if token == "MEASURES":
        return _MEASURES
    if "-" not in token:
        return [token]
    lo, hi = token.split("-")
    return [str(n).zfill(len(lo)) for n in range(int(lo), int(hi) + 1)]


def _build() -> dict[str, Spec]:
    specs: dict[str, Spec] = {}
    for line in TABLE.strip().splitlines():
        fmt, *tokens = line.split()
        components = tuple(_component(part) for part in fmt.split("+"))
        for ai in (ai for token in tokens for ai in _expand(token)):
            if ai in specs:
                raise ValueError(f"AI {ai} listed twice")
            predefined = PREDEFINED_LENGTH.get(ai[:2])
            specs[ai] = Spec(components, _lengths(components), predefined)
    return specs


SPECS = _build()
