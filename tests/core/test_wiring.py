"""The scan wiring (floor/core/wiring.py) is whole: what a station may enter or a sheet prints, something handles."""

from __future__ import annotations

from floor.config import STATION_KINDS
from floor.core.scanning.session_handlers import MODE_VERBS
from floor.core.wiring import SCAN_WIRING, SESSION_EVENTS, install_session_events
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


def test_the_session_listeners_are_installed_by_the_database_once_in_their_order(db):
    """GIVEN a database opened (which installs the listeners) WHEN they are installed twice more THEN a session
    hears each flush event once per listener, in the order of SESSION_EVENTS."""
    install_session_events()
    install_session_events()
    with db.read_session() as session:
        for name in ("before_flush", "after_flush"):
            heard = [fn for fn in getattr(session.dispatch, name) if fn.__module__.startswith("floor.")]
            assert heard == [fn for event, fn in SESSION_EVENTS if event == name]
    assert {event for event, _fn in SESSION_EVENTS} == {"before_flush", "after_flush"}
