"""GS1 element strings checked against GS1's syntax rules: AIs, lengths, character sets, check digits, dates.

The rules are facts of two public GS1 standards, transcribed into `_TABLE` below:
- the GS1 Barcode Syntax Dictionary (release of 2026-07): each AI's components (character set,
  fixed or variable length, optional parts) and the checks on them (check digit, dates, ...);
- the GS1 General Specifications: the AIs of predefined length that need no FNC1 after them
  (Figure 7.8.5-2, by the AI's first two digits), the mod-10 check digit (7.9.1), the check
  character pair (7.9.5), the character sets 82, 39 and 64 (7.11), dates YYMMDD where DD 00
  means "no day" for AIs 11-17 (7.12).
Checks not made (they need code lists or company-prefix data floor does not hold): ISO country
and currency codes, IBAN, coupon structure, media and package type codes, GS1 Company Prefix
lengths; nor AI pairing rules ("req"/"ex"), which GS1 applies to all the symbols on an item together.

Pure functions, no I/O: `split_message` for element strings as scanners send them (FNC1 as GS),
`split_hri` for the bracketed form, `check_retail` for EAN/UPC scans. Each raises `Gs1Invalid`
naming the AI and the rule it breaks.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

GS = "\x1d"

# -- the rules, by AI ----------------------------------------------------------------------------
# One line per format: the format, then the AIs that have it. A format is components joined by
# "+", each a character set (N digits, X set 82, Y set 39, Z set 64) with its length ("N6" exactly
# 6, "X..20" 1 to 20); "[...]" is an optional component; "/name" adds a check (see _CHECKS).
_TABLE = """
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

# Character sets (General Specifications 7.11): set 82, set 39, and set 64 (base64url; its '=' padding: _bad_character).
_CSETS = {
    "N": re.compile(r"[0-9]*"),
    "X": re.compile(r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*"),
    "Y": re.compile(r"[#\-/0-9A-Z]*"),
    "Z": re.compile(r"[A-Za-z0-9\-_]*"),
}
_CSET_NAMES = {
    "N": ("digits", "数字"),
    "X": ("letters, digits and !\"%&'()*+,-./:;<=>?_", "字母、数字及 !\"%&'()*+,-./:;<=>?_"),
    "Y": ("capital letters, digits and # - /", "大写字母、数字及 # - /"),
    "Z": ("letters, digits, - and _ (base64url)", "字母、数字、- 和 _（base64url）"),
}
_CSET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
_CSET82_VALUE = {c: i for i, c in enumerate(_CSET82)}
_CSET32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_PAIR_WEIGHTS = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83)


class Rule(enum.StrEnum):
    """The GS1 rule an element string breaks; `texts` gives its (en, zh) wording."""

    UNKNOWN_AI = "unknown_ai"  # 未知 AI
    LENGTH = "length"  # 长度不符
    CHARACTER = "character"  # 字符不允许
    CHECK_DIGIT = "check_digit"  # 校验位错误
    CHECK_PAIR = "check_pair"  # 校验字符对错误
    DATE = "date"  # 日期无效
    TIME = "time"  # 时间无效
    VALUE = "value"  # 取值无效
    REPEATED = "repeated"  # 同一 AI 两个不同值
    EMPTY = "empty"  # 无内容


_RULE_TEXT: dict[Rule, tuple[str, str]] = {
    Rule.UNKNOWN_AI: ("no GS1 Application Identifier starts {at!r}", "没有以 {at!r} 开头的 GS1 应用标识符"),
    Rule.LENGTH: (
        "{value!r} has {length} characters; it takes {allowed}",
        "{value!r} 有 {length} 个字符，应为 {allowed_zh} 个",
    ),
    Rule.CHARACTER: (
        "holds {char!r} at position {position}; GS1 allows only {allowed} here",
        "第 {position} 位为 {char!r}，此处 GS1 只允许{allowed_zh}",
    ),
    Rule.CHECK_DIGIT: (
        "{value} has a wrong check digit {got} (the digits before it give {expected})",
        "{value} 的校验位 {got} 错误（按前面的数字应为 {expected}）",
    ),
    Rule.CHECK_PAIR: (
        "{value} has a wrong check character pair {got} (should be {expected})",
        "{value} 的校验字符对 {got} 错误（应为 {expected}）",
    ),
    Rule.DATE: ("{value} is not a real date ({why})", "{value} 不是有效日期（{why_zh}）"),
    Rule.TIME: ("{value} is not a real time of day ({why})", "{value} 不是有效时间（{why_zh}）"),
    Rule.VALUE: ("{value}: {why}", "{value}：{why_zh}"),
    Rule.REPEATED: ("appears twice with different values", "出现两次且值不同"),
    Rule.EMPTY: ("the barcode holds no element strings", "条码中没有 GS1 数据"),
}


class Gs1Invalid(ValueError):
    """A GS1 message that breaks a rule: the AI (or symbology), the rule and its details."""

    def __init__(self, ai: str, rule: Rule, **params: object) -> None:
        super().__init__(f"{ai}: {rule}")
        self.ai = ai
        self.rule = rule
        self.params = params

    def texts(self) -> tuple[str, str]:
        """What is wrong, in English and Chinese: the AI with its title, then the broken rule."""
        en, zh = _RULE_TEXT[self.rule]
        values = {"at": self.ai, **self.params}
        name = _field_name(self.ai) if self.rule is not Rule.UNKNOWN_AI else ""
        prefix = name + " " if name else ""
        return prefix + en.format(**values), prefix + zh.format(**values)


def _field_name(ai: str) -> str:
    """'AI (7007) HARVEST DATE' for an AI, the symbology's name for an EAN/UPC check."""
    if not ai.isdigit():
        return ai
    title = _title(ai)
    return f"AI ({ai})" + (f" {title}" if title else "")


@cache
def _title(ai: str) -> str:
    # Titles come from biip's copy of GS1's AI list, read only when a message is refused.
    from biip import ParseError
    from biip.gs1_application_identifiers import GS1ApplicationIdentifier

    try:
        found = GS1ApplicationIdentifier.extract(ai)
    except ParseError:
        return ""
    return found.data_title if found.ai == ai else ""


# -- components and their checks -----------------------------------------------------------------
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
    checks = tuple(c for c in m.group(5).split("/") if c)
    unknown = [c for c in checks if c not in _CHECKS]
    if unknown:
        raise ValueError(f"unknown checks {unknown} in {text!r}")
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
    for line in _TABLE.strip().splitlines():
        fmt, *tokens = line.split()
        components = tuple(_component(part) for part in fmt.split("+"))
        for ai in (ai for token in tokens for ai in _expand(token)):
            if ai in specs:
                raise ValueError(f"AI {ai} listed twice")
            predefined = PREDEFINED_LENGTH.get(ai[:2])
            specs[ai] = Spec(components, _lengths(components), predefined)
    return specs


# -- checks ----------------------------------------------------------------------------------------
def mod10(digits: str) -> int:
    """The GS1 mod-10 check digit of `digits` (weights 3, 1, 3, ... from the right)."""
    total = 0
    weight = 3
    for d in reversed(digits):
        total += (ord(d) - 48) * weight
        weight = 4 - weight
    return -total % 10


def _check_digit(ai: str, part: str) -> None:
    expected = mod10(part[:-1])
    if ord(part[-1]) - 48 != expected:
        raise Gs1Invalid(ai, Rule.CHECK_DIGIT, value=part, got=part[-1], expected=expected)


def _check_pair(ai: str, part: str) -> None:
    # General Specifications 7.9.5: CSET 82 values weighted by primes from the right, mod 1021.
    body = part[:-2]
    total = sum(_CSET82_VALUE[c] * w for c, w in zip(reversed(body), _PAIR_WEIGHTS, strict=False)) % 1021
    expected = _CSET32[total // 32] + _CSET32[total % 32]
    if part[-2:] != expected:
        raise Gs1Invalid(ai, Rule.CHECK_PAIR, value=part, got=part[-2:], expected=expected)


_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _date(ai: str, part: str, day_zero: bool, leap: bool) -> None:
    month, day = int(part[-4:-2]), int(part[-2:])
    if not 1 <= month <= 12:
        raise Gs1Invalid(ai, Rule.DATE, value=part, why=f"month {month:02}", why_zh=f"月份 {month:02}")
    last = 28 if month == 2 and not leap else _DAYS[month - 1]
    if not (day_zero and day == 0) and not 1 <= day <= last:
        raise Gs1Invalid(ai, Rule.DATE, value=part, why=f"day {day:02}", why_zh=f"日期 {day:02}")


def _yymmdd(ai: str, part: str, day_zero: bool) -> None:
    # The century comes from a 100-year window around today (General Specifications 7.12); in
    # any such window up to 2099, YY is a leap year exactly when it divides by 4.
    _date(ai, part, day_zero, int(part[:2]) % 4 == 0)


def _yyyymmdd(ai: str, part: str) -> None:
    year = int(part[:4])
    _date(ai, part, False, year % 4 == 0 and (year % 100 != 0 or year % 400 == 0))


def _clock(ai: str, part: str, limits: tuple[int, ...], names: tuple[str, ...]) -> None:
    for i, (limit, name) in enumerate(zip(limits, names, strict=True)):
        value = int(part[2 * i : 2 * i + 2])
        if value > limit:
            zh = {"hour": "小时", "minute": "分钟", "second": "秒"}[name]
            raise Gs1Invalid(ai, Rule.TIME, value=part, why=f"{name} {value:02}", why_zh=f"{zh} {value:02}")


def _value(ai: str, part: str, ok: bool, why: str, why_zh: str) -> None:
    if not ok:
        raise Gs1Invalid(ai, Rule.VALUE, value=part, why=why, why_zh=why_zh)


def _piece(ai: str, part: str) -> None:
    half = len(part) // 2
    piece, total = int(part[:half]), int(part[half:])
    _value(ai, part, 1 <= piece <= total, "piece number must be 1 to the total", "件号须为 1 至总件数")


def _slash(ai: str, part: str) -> None:
    m = re.fullmatch(r"([1-9][0-9]*)/([1-9][0-9]*)", part)
    _value(ai, part, m is not None and int(m[1]) <= int(m[2]), "must be n/m with 1 <= n <= m", "须为 n/m 且 1 ≤ n ≤ m")


_CHECKS: dict[str, Callable[[str, str], None]] = {
    "check": _check_digit,
    "pair": _check_pair,
    "date": lambda ai, p: _yymmdd(ai, p, False),
    "date0": lambda ai, p: _yymmdd(ai, p, True),
    "date8": _yyyymmdd,
    "hhmm": lambda ai, p: _clock(ai, p, (23, 59), ("hour", "minute")),
    "hour": lambda ai, p: _clock(ai, p, (23,), ("hour",)),
    "minute": lambda ai, p: _clock(ai, p, (59,), ("minute",)),
    "second": lambda ai, p: _clock(ai, p, (59,), ("second",)),
    "zero": lambda ai, p: _value(ai, p, p == "0", "must be 0", "须为 0"),
    "nonzero": lambda ai, p: _value(ai, p, p.strip("0") != "", "must not be zero", "不能为零"),
    "yesno": lambda ai, p: _value(ai, p, p in ("0", "1"), "must be 0 or 1", "须为 0 或 1"),
    "winding": lambda ai, p: _value(ai, p, p in ("0", "1", "9"), "must be 0, 1 or 9", "须为 0、1 或 9"),
    "sex": lambda ai, p: _value(ai, p, p in ("0", "1", "2", "9"), "must be 0, 1, 2 or 9", "须为 0、1、2 或 9"),
    "hyphen": lambda ai, p: _value(ai, p, p == "-", "must be -", "须为 -"),
    "nolead0": lambda ai, p: _value(ai, p, p[0] != "0", "must not start with 0", "不能以 0 开头"),
    "letter": lambda ai, p: _value(
        ai, p, not p.isdigit(), "must hold a character other than a digit", "须含非数字字符"
    ),
    "lat": lambda ai, p: _value(ai, p, int(p) <= 1800000000, "latitude beyond 1800000000", "纬度超出 1800000000"),
    "lon": lambda ai, p: _value(ai, p, int(p) <= 3600000000, "longitude beyond 3600000000", "经度超出 3600000000"),
    "importer": lambda ai, p: _value(
        ai,
        p,
        _CSETS["Z"].fullmatch(p) is not None,
        "importer index must be a letter, digit, - or _",
        "进口商索引须为字母、数字、- 或 _",
    ),
    "piece": _piece,
    "slash": _slash,
    "pct": lambda ai, p: _value(
        ai,
        p,
        re.search(r"%(?![0-9A-Fa-f]{2})", p) is None,
        "% must be followed by two hex digits",
        "% 后须跟两位十六进制数",
    ),
}

SPECS = _build()


# -- checking data ---------------------------------------------------------------------------------
def _allowed(lengths: frozenset[int]) -> tuple[str, str]:
    """'6 or 12', '1 to 20' (and the zh) for a set of lengths."""
    runs: list[tuple[int, int]] = []
    for n in sorted(lengths):
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    runs = [r for a, b in runs for r in (((a, a), (b, b)) if b == a + 1 else ((a, b),))]
    parts = [str(a) if a == b else f"{a} to {b}" for a, b in runs]
    parts_zh = [str(a) if a == b else f"{a} 至 {b}" for a, b in runs]
    if len(parts) == 1:
        return parts[0], parts_zh[0]
    return ", ".join(parts[:-1]) + " or " + parts[-1], "、".join(parts_zh[:-1]) + " 或 " + parts_zh[-1]


def check_value(ai: str, value: str, spec: Spec | None = None) -> None:
    """Check one AI's data against its format: length, character set, then each component's checks."""
    spec = spec or SPECS.get(ai)
    if spec is None:
        raise Gs1Invalid(ai, Rule.UNKNOWN_AI)
    if len(value) not in spec.lengths:
        allowed, allowed_zh = _allowed(spec.lengths)
        raise Gs1Invalid(ai, Rule.LENGTH, value=value, length=len(value), allowed=allowed, allowed_zh=allowed_zh)
    pos = 0
    for comp in spec.components:
        if pos == len(value):
            break  # only optional components remain (the length check above says so)
        end = pos + comp.max_len if comp.min_len == comp.max_len else len(value)
        part = value[pos:end]
        if _CSETS[comp.cset].fullmatch(part) is None:
            _bad_character(ai, comp, part, pos)
        for name in comp.checks:
            _CHECKS[name](ai, part)
        pos = end


def _bad_character(ai: str, comp: Component, part: str, pos: int) -> None:
    if comp.cset == "Z" and re.fullmatch(r"[A-Za-z0-9\-_]*={1,2}", part) and len(part) % 3 == 0:
        return  # GS1's set 64 allows one or two '=' of padding at the end of data whose length divides by 3
    match = _CSETS[comp.cset].match(part)
    at = match.end() if match else 0
    en, zh = _CSET_NAMES[comp.cset]
    raise Gs1Invalid(ai, Rule.CHARACTER, char=part[at], position=pos + at + 1, allowed=en, allowed_zh=zh)


def split_message(data: str) -> list[tuple[str, str]]:
    """Split element strings as a scanner sends them (FNC1 as GS, none in front) into checked (AI, value) pairs.

    An AI of predefined length takes exactly its length and needs no GS after it; any other AI's
    data runs to the next GS or the end. A GS where none is needed (after a predefined-length AI,
    at the end) is tolerated, as GS1 allows.
    """
    pairs: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    pos, n = 0, len(data)
    while pos < n:
        if data[pos] == GS:
            pos += 1
            continue
        spec = None
        ai = ""
        for size in (2, 3, 4):
            ai = data[pos : pos + size]
            spec = SPECS.get(ai)
            if spec is not None:
                break
        if spec is None:
            raise Gs1Invalid(data[pos : pos + 4], Rule.UNKNOWN_AI)
        start = pos + len(ai)
        if spec.predefined is not None:
            end = start + spec.predefined
            gs = data.find(GS, start, end)
            if gs >= 0:
                end = gs  # cut short by a separator: the length check names it
        else:
            end = data.find(GS, start)
            if end < 0:
                end = n
        value = data[start:end]
        check_value(ai, value, spec)
        if seen.setdefault(ai, value) != value:
            raise Gs1Invalid(ai, Rule.REPEATED)
        pairs.append((ai, value))
        pos = end
    if not pairs:
        raise Gs1Invalid("", Rule.EMPTY)
    return pairs


_HRI = re.compile(r"\((\d{2,4})\)")


def split_hri(text: str) -> list[tuple[str, str]]:
    """Split and check the bracketed form '(01)09501101530003(10)AB-123'."""
    pieces = _HRI.split(text)
    if pieces[0] or len(pieces) < 3:
        raise Gs1Invalid(text[:4], Rule.UNKNOWN_AI)
    pairs: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for ai, value in zip(pieces[1::2], pieces[2::2], strict=True):
        check_value(ai, value)
        if seen.setdefault(ai, value) != value:
            raise Gs1Invalid(ai, Rule.REPEATED)
        pairs.append((ai, value))
    return pairs


# -- EAN/UPC scans ---------------------------------------------------------------------------------
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
