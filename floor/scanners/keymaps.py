"""Keyboard layouts for keyboard-wedge scanners: evdev key code to character, per modifier."""

from __future__ import annotations

import string

from evdev import ecodes as e

# (plain, shift, altgr); "" where the layout has no character.
KeyMap = dict[int, tuple[str, str, str]]


def _letters(swap_yz: bool = False) -> KeyMap:
    out: KeyMap = {}
    for ch in string.ascii_lowercase:
        code = getattr(e, f"KEY_{ch.upper()}")
        if swap_yz and ch in "yz":
            ch = "z" if ch == "y" else "y"
        out[code] = (ch, ch.upper(), "")
    return out


def _row(codes: list[int], plain: str, shift: str, altgr: str = "") -> KeyMap:
    altgr = altgr.ljust(len(codes))
    return {c: (p, s, a.strip()) for c, p, s, a in zip(codes, plain, shift, altgr)}


_DIGITS = [e.KEY_1, e.KEY_2, e.KEY_3, e.KEY_4, e.KEY_5, e.KEY_6, e.KEY_7, e.KEY_8, e.KEY_9, e.KEY_0]
_PUNCT = [
    e.KEY_MINUS,
    e.KEY_EQUAL,
    e.KEY_LEFTBRACE,
    e.KEY_RIGHTBRACE,
    e.KEY_SEMICOLON,
    e.KEY_APOSTROPHE,
    e.KEY_GRAVE,
    e.KEY_BACKSLASH,
    e.KEY_COMMA,
    e.KEY_DOT,
    e.KEY_SLASH,
    e.KEY_102ND,
]
# The numeric keypad types the same on every layout (NumLock on, as scanners assume).
KEYPAD: dict[int, str] = {
    e.KEY_KP0: "0",
    e.KEY_KP1: "1",
    e.KEY_KP2: "2",
    e.KEY_KP3: "3",
    e.KEY_KP4: "4",
    e.KEY_KP5: "5",
    e.KEY_KP6: "6",
    e.KEY_KP7: "7",
    e.KEY_KP8: "8",
    e.KEY_KP9: "9",
    e.KEY_KPMINUS: "-",
    e.KEY_KPPLUS: "+",
    e.KEY_KPASTERISK: "*",
    e.KEY_KPSLASH: "/",
    e.KEY_KPDOT: ".",
}
_COMMON: KeyMap = {e.KEY_SPACE: (" ", " ", ""), e.KEY_TAB: ("\t", "\t", "")}
_COMMON.update({c: (ch, ch, "") for c, ch in KEYPAD.items()})

US: KeyMap = {
    **_letters(),
    **_COMMON,
    **_row(_DIGITS, "1234567890", "!@#$%^&*()"),
    **_row(_PUNCT, "-=[];'`\\,./\\", '_+{}:"~|<>?|'),
}

DE: KeyMap = {
    **_letters(swap_yz=True),
    **_COMMON,
    **_row(_DIGITS, "1234567890", '!"§$%&/()=', " ²³   {[]}"),
    **_row(_PUNCT, "ß´ü+öä^#,.-<", "?`Ü*ÖÄ°';:_>", "\\  ~       |"),
}
DE[e.KEY_Q] = ("q", "Q", "@")
DE[e.KEY_E] = ("e", "E", "€")
DE[e.KEY_M] = ("m", "M", "µ")

LAYOUTS: dict[str, KeyMap] = {"us": US, "de": DE}
