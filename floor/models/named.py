"""States with their display names beside them: an `enum.StrEnum` whose members carry an English and a Chinese name."""

from __future__ import annotations

import enum
from typing import Self


class NamedState(enum.StrEnum):
    """A state whose value is the contract's string and whose members carry `en` and `zh` display names.

    Declared as `PROPOSED = "proposed", "proposed", "待确认"`: value, English name, Chinese name.
    The member compares equal to its value, so it is stored and sent as that string.
    """

    en: str
    zh: str

    def __new__(cls, value: str, en: str = "", zh: str = "") -> Self:
        # Both names are required (the defaults only let a look-up by value type-check, `Status("qc")`):
        # a state without its Chinese name would show its code on a Chinese kiosk.
        if not en or not zh:
            raise TypeError(f"state {value!r} needs an English and a Chinese name")
        member = str.__new__(cls, value)
        member._value_ = value
        member.en = en
        member.zh = zh
        return member

    @classmethod
    def parse(cls, text: object) -> Self | None:
        """The member named by a client's text (any case, spaces trimmed), or None."""
        if not isinstance(text, str):
            return None
        text = text.strip()
        for value in (text, text.lower(), text.upper()):  # most values are lower case, scan modes upper case
            if value in cls._value2member_map_:
                return cls(value)
        return None

    @classmethod
    def shown(cls, text: object, lang: str = "zh") -> str:
        """The display name in `lang` of a state given as its text; unknown text is shown as it is ('–' for none)."""
        member = cls.parse(text)
        if member is None:
            return str(text) if text else "–"
        return display(member, lang)

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """Every member's value, in declaration order (for messages listing the valid ones)."""
        return tuple(m.value for m in cls)


def display(state: NamedState, lang: str) -> str:
    """A state's display name: Chinese for 'zh' (or any 'zh-…'), English otherwise."""
    return state.zh if lang.lower().startswith("zh") else state.en
