"""States have one home: each is a NamedState enum carrying its English and Chinese names, and no `*_ZH` dict of
state names is left beside them."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from floor.models.named import NamedState, display
from floor.models.workorders import Status

ROOT = Path(__file__).resolve().parents[2]
FLOOR = ROOT / "floor"
CJK = re.compile(r"[\u4e00-\u9fff]")
DECLARED = re.compile(r"^class (\w+)\(NamedState\):", re.M)
ZH_DICT = re.compile(r"^\s*(\w+_ZH)\s*(?::[^=\n]+)?=\s*\{", re.M)
# `*_ZH` dicts that do not name states: HTTP reasons, and the form fields a refusal names.
NOT_STATES = {
    ("floor/http/errors.py", "HTTP_ZH"),
    ("floor/core/aftersales/errors.py", "_FIELD_ZH"),
    ("floor/core/repair/errors.py", "_FIELD_ZH"),
    ("floor/core/billing/errors.py", "_FIELD_ZH"),
}


def _sources() -> dict[str, str]:
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted(FLOOR.rglob("*.py"))}


def _state_enums() -> list[type[NamedState]]:
    """Every NamedState enum declared in floor's source, imported from its module."""
    found = []
    for path, text in _sources().items():
        names = DECLARED.findall(text)
        if names:
            module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
            found += [getattr(module, name) for name in names]
    return found


def test_every_state_has_an_english_and_a_chinese_name():
    """GIVEN every state enum in floor WHEN its members are read THEN each has a non-empty English name and a
    Chinese one (with Chinese characters), and no two members of one enum share a name in either language."""
    enums = _state_enums()
    assert len(enums) >= 40, [e.__name__ for e in enums]  # the scan found the areas' enums, not a few
    for enum in enums:
        assert issubclass(enum, NamedState)
        for member in enum:
            assert member.en.strip(), f"{enum.__name__}.{member.name} has no English name"
            assert CJK.search(member.zh), f"{enum.__name__}.{member.name} has no Chinese name: {member.zh!r}"
        for lang in ("en", "zh"):
            shown = [display(m, lang) for m in enum]
            assert len(set(shown)) == len(shown), f"{enum.__name__}: two members read alike in {lang}: {shown}"


def test_no_dict_of_state_names_is_left():
    """GIVEN floor's source WHEN `*_ZH = {` dicts are looked for THEN only the allowed ones (not states) remain."""
    found = {(path, name) for path, text in _sources().items() for name in ZH_DICT.findall(text)}
    assert found == NOT_STATES, f"name states with a NamedState enum instead: {sorted(found - NOT_STATES)}"


def test_a_member_is_its_stored_string_and_shows_in_either_language():
    """GIVEN the job status enum THEN a member equals its column value, and `display`/`shown` name it per language,
    an unknown value as itself and none as a dash."""
    assert Status.DELIVERED == "delivered" and f"{Status.DELIVERED}" == "delivered"
    assert display(Status.QC, "zh") == "质检" and display(Status.QC, "zh-CN") == "质检"
    assert display(Status.IN_PROGRESS, "en") == "In repair"
    assert Status.shown("ON_HOLD ", "en") == "On hold" and Status.shown("on_hold") == "暂停"
    assert Status.shown("parked", "en") == "parked" and Status.shown(None) == "–"


def test_a_state_needs_both_names():
    """GIVEN a state declared without its Chinese name THEN the enum cannot be made."""
    with pytest.raises(TypeError):

        class Half(NamedState):
            ONLY = "only", "only"
