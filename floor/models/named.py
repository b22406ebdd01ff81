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
        member = str.__new__(cls, value)
        member._value_ = value
        member.en = en or value
        member.zh = zh or value
        return member

    @classmethod
    def parse(cls, text: object) -> Self | None:
        """The member named by a client's text (any case, spaces trimmed), or None."""
        if not isinstance(text, str):
            return None
        try:
            return cls(text.strip().lower())
        except ValueError:
            return None

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """Every member's value, in declaration order (for messages listing the valid ones)."""
        return tuple(m.value for m in cls)
