"""The kiosk names states from their enums (floor.models.named), in the page's language: the `state` filter and
the status/mode/request names, never from the .po catalogue."""

from __future__ import annotations

import pytest
from flask import render_template_string

from floor.models.named import display
from floor.models.workorders import Status


def _helpers():
    # Imported once the app is built: floor.kiosk.helpers imported first closes the kiosk <-> web loop the
    # "doors" branch removes (tests/architecture/doors_allowlist.py).
    from floor.kiosk import helpers

    return helpers


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_state_kind_is_named_by_its_enum(app, lang):
    """GIVEN a kiosk request in a language WHEN each member of each kind is passed through the `state` filter
    THEN it reads as the enum's name in that language; an unknown value reads as itself, none as a dash."""
    helpers = _helpers()
    with app.test_request_context(f"/kiosk/?lang={lang}"):
        assert helpers.lang() == lang
        for kind, enum in helpers.STATE_KINDS.items():
            for member in enum:
                shown = render_template_string("{{ v|state(k) }}", v=member.value, k=kind)
                assert shown == display(member, lang), (kind, member)
        assert render_template_string('{{ "parked"|state("job") }}|{{ none|state("job") }}') == "parked|–"


def test_job_status_and_mode_names_follow_the_language(app):
    """GIVEN the Chinese and the English kiosk THEN a job's stage and a scan mode are the enums' names."""
    helpers = _helpers()
    with app.test_request_context("/kiosk/?lang=zh"):
        assert helpers.status_name("in_progress") == Status.IN_PROGRESS.zh == "维修中"
        assert helpers.mode_name("ISSUE") == "领用"
    with app.test_request_context("/kiosk/?lang=en"):
        assert helpers.status_name("qc") == "Final QC" and helpers.status_name(None) == "–"
        assert helpers.mode_name("CORE") == "Core return"
