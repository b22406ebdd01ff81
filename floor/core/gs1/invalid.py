"""A GS1 message that breaks a syntax rule: which AI, which rule (`Rule`), worded in English and Chinese."""

from __future__ import annotations

import enum
from functools import cache


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
