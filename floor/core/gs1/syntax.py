"""GS1 element strings checked against GS1's syntax rules: AIs, lengths, character sets, check digits, dates.

The rules are the AI table's (floor.core.gs1.ai_table, with its sources); this module holds the code: the
checks a component names, the checking of one AI's data, and the splitting of a message. Pure functions,
no I/O: `split_message` for element strings as scanners send them (FNC1 as GS), `split_hri` for the
bracketed form. Each raises `Gs1Invalid` naming the AI and the rule it breaks.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from floor.core.gs1.ai_table import CSET_NAMES, CSETS, SPECS, Component, Spec
from floor.core.gs1.invalid import Gs1Invalid, Rule

GS = "\x1d"
_CSET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
_CSET82_VALUE = {c: i for i, c in enumerate(_CSET82)}
_CSET32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_PAIR_WEIGHTS = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83)


# -- the checks a component names ---------------------------------------------------------------
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


CHECKS: dict[str, Callable[[str, str], None]] = {
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
        CSETS["Z"].fullmatch(p) is not None,
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

_UNKNOWN_CHECKS = {name for spec in SPECS.values() for comp in spec.components for name in comp.checks} - CHECKS.keys()
if _UNKNOWN_CHECKS:  # a typo in the AI table must not load as an AI that is never checked
    raise ValueError(f"the AI table names unknown checks {sorted(_UNKNOWN_CHECKS)}")


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
        if CSETS[comp.cset].fullmatch(part) is None:
            _bad_character(ai, comp, part, pos)
        for name in comp.checks:
            CHECKS[name](ai, part)
        pos = end


def _bad_character(ai: str, comp: Component, part: str, pos: int) -> None:
    if comp.cset == "Z" and re.fullmatch(r"[A-Za-z0-9\-_]*={1,2}", part) and len(part) % 3 == 0:
        return  # GS1's set 64 allows one or two '=' of padding at the end of data whose length divides by 3
    match = CSETS[comp.cset].match(part)
    at = match.end() if match else 0
    en, zh = CSET_NAMES[comp.cset]
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
