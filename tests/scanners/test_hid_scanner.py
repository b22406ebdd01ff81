"""Keyboard-wedge decoding: evdev key events to text under US and DE layouts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from evdev import InputEvent
from evdev import ecodes as e

from floor.scanners.base import DeviceReader, ReaderState
from floor.scanners.hid_scanner import HidScannerReader, KeyDecoder
from floor.scanners.memory_sink import MemorySink
from tests.scanners.conftest import device


def key(code: int, value: int) -> InputEvent:
    """One EV_KEY event (1 down, 0 up)."""
    return InputEvent(0, 0, e.EV_KEY, code, value)


def tap(*codes: int, mods: tuple[int, ...] = ()) -> list[InputEvent]:
    """Press modifiers, tap each key, release modifiers, with SYN reports like a real device."""
    events = [key(m, 1) for m in mods]
    for c in codes:
        events += [key(c, 1), InputEvent(0, 0, e.EV_SYN, 0, 0), key(c, 0)]
    return events + [key(m, 0) for m in mods]


def feed(decoder: KeyDecoder, events: list[InputEvent]) -> list[bytes]:
    """Feed events and collect completed scans."""
    return [raw for ev in events if (raw := decoder.feed(ev)) is not None]


def test_us_layout_with_shift_and_enter() -> None:
    """GIVEN the US layout
    WHEN a scanner types W, O, Shift+; (colon), 1, 0, 0, 1 and Enter
    THEN one scan "WO:1001" is completed."""
    events = (
        tap(e.KEY_W, e.KEY_O, mods=(e.KEY_LEFTSHIFT,))
        + tap(e.KEY_SEMICOLON, mods=(e.KEY_RIGHTSHIFT,))
        + tap(e.KEY_1, e.KEY_0, e.KEY_0, e.KEY_1)
        + tap(e.KEY_ENTER)
    )
    assert feed(KeyDecoder("us"), events) == [b"WO:1001"]


def test_de_layout_swaps_y_z_and_moves_symbols() -> None:
    """GIVEN the German layout
    WHEN the keys US users know as Z, Y, Shift+. (colon on DE), /, AltGr+Q are typed
    THEN the text is "yz:-@" as a German keyboard prints it."""
    events = (
        tap(e.KEY_Z, e.KEY_Y)
        + tap(e.KEY_DOT, mods=(e.KEY_LEFTSHIFT,))
        + tap(e.KEY_SLASH)
        + tap(e.KEY_Q, mods=(e.KEY_RIGHTALT,))
        + tap(e.KEY_KPENTER)
    )
    assert feed(KeyDecoder("de"), events) == [b"yz:-@"]


def test_same_keys_differ_between_layouts() -> None:
    """GIVEN identical key events
    WHEN decoded with US and with DE
    THEN the texts differ exactly where the layouts do."""
    events = tap(e.KEY_Y, e.KEY_MINUS) + tap(e.KEY_2, mods=(e.KEY_LEFTSHIFT,)) + tap(e.KEY_ENTER)
    assert feed(KeyDecoder("us"), events) == [b"y-@"]
    assert feed(KeyDecoder("de"), events) == ['zß"'.encode()]


def test_capslock_inverts_letters_only() -> None:
    """GIVEN Caps Lock switched on
    WHEN a, Shift+b and 1 are typed
    THEN letters are inverted in case and digits are unchanged."""
    events = tap(e.KEY_CAPSLOCK) + tap(e.KEY_A) + tap(e.KEY_B, mods=(e.KEY_LEFTSHIFT,)) + tap(e.KEY_1, e.KEY_ENTER)
    assert feed(KeyDecoder(), events) == [b"Ab1"]


def test_group_separator_by_ctrl_bracket_and_alt_keypad() -> None:
    """GIVEN a GS1 scan whose FNC1 separators come as Ctrl+] and as Alt+0029
    WHEN decoded
    THEN both become the GS character 0x1D."""
    events = (
        tap(e.KEY_1, e.KEY_0)
        + tap(e.KEY_RIGHTBRACE, mods=(e.KEY_LEFTCTRL,))
        + tap(e.KEY_2)
        + tap(e.KEY_KP0, e.KEY_KP0, e.KEY_KP2, e.KEY_KP9, mods=(e.KEY_LEFTALT,))
        + tap(e.KEY_3, e.KEY_ENTER)
    )
    assert feed(KeyDecoder(), events) == [b"10\x1d2\x1d3"]


def test_empty_enter_and_unmapped_keys_give_nothing() -> None:
    """GIVEN Enter with nothing typed, and a function key before a digit
    WHEN decoded
    THEN the empty Enter gives no scan and the function key is ignored."""
    events = tap(e.KEY_ENTER) + tap(e.KEY_F5, e.KEY_7, e.KEY_ENTER)
    assert feed(KeyDecoder(), events) == [b"7"]


def test_overlong_typed_scan_is_cut_and_marked() -> None:
    """GIVEN 5000 typed digits
    WHEN Enter ends the scan
    THEN the raw scan is the first 4 KiB plus the discard marker (the service rejects it as too long)."""
    raw = feed(KeyDecoder(), tap(*([e.KEY_5] * 5000), e.KEY_ENTER))[0]
    assert raw.startswith(b"5" * 4096) and raw.endswith(b"[floor: 904 more bytes discarded]")


def test_unknown_layout_is_an_error() -> None:
    """GIVEN a layout name that does not exist
    WHEN a decoder is made
    THEN a ValueError names the known layouts."""
    with pytest.raises(ValueError, match="us, de"):
        KeyDecoder("xx")


def test_reader_waits_for_missing_input_device(sink: MemorySink, running: Callable[..., DeviceReader]) -> None:
    """GIVEN a configured HID scanner that is not plugged in
    WHEN its reader starts
    THEN it reports reconnecting with the open error instead of crashing."""
    reader = running(HidScannerReader(device("/dev/input/by-id/no-such-scanner", kind="hid-scanner"), sink), wait=False)
    assert reader.wait_state(ReaderState.RECONNECTING, 2.0)
    assert "no-such-scanner" in (reader.status().last_error or "")
