"""The scan wiring (floor/core/wiring.py) is whole: what a station may enter or a sheet prints, something handles."""

from __future__ import annotations

from floor.config import STATION_KINDS
from floor.core.scanning.session_handlers import MODE_VERBS
from floor.core.wiring import SCAN_WIRING
from floor.labels.kinds import COMMANDS as PRINTED_COMMANDS


def test_every_mode_a_station_may_enter_has_a_part_handler():
    """GIVEN the modes each station kind may enter THEN a part scan in each of them has a handler."""
    enterable = set().union(*SCAN_WIRING.station_modes.values())
    assert enterable - set(SCAN_WIRING.modes) == set()
    assert set(SCAN_WIRING.station_modes) <= set(STATION_KINDS)


def test_every_mode_verb_and_printed_command_has_a_handler():
    """GIVEN the mode verbs and the command sheet's barcodes THEN each `CMD:` verb has a handler."""
    verbs = set(MODE_VERBS) | {verb for verb, _en, _zh in PRINTED_COMMANDS}
    assert verbs - set(SCAN_WIRING.commands) == set()
