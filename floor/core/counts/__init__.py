"""Cycle counts and stocktakes: ABC classes, count plans, counting by scans, variance, approval.

Modules: `settings` (the [counts] config table), `abc` (classification and its
scheduler), `plans` (due list, creating sessions), `handlers` (scan handlers,
wired in `floor.core.wiring`), `variance` (expected as of the moment
counted, one set-based query), `approval` (supervisor approval posts
adjustments), `charts` (Pareto curve and progress as SVG).
"""

from __future__ import annotations

from typing import Any

from floor.core import messages
from floor.core.refusal import Refusal

messages.register(
    {
        "count_no_locations": ("'locations' is empty", "'locations' 为空"),
        "count_too_many_bins": ("at most {max} bins per count", "每张盘点单最多 {max} 个库位"),
        "count_unknown_bins": ("unknown bins: {bins}", "未知库位：{bins}"),
        "count_zone_empty": ("zone {zone!r} has no active store bins", "区域 {zone!r} 没有启用的仓库库位"),
        "count_store_empty": ("the store has no active bins", "仓库没有启用的库位"),
        "count_nothing_due": (
            "no bins are due for counting today; name a zone or locations",
            "今天没有到期需盘点的库位；请指定区域或库位",
        ),
        "count_bad_kind": ("'kind' must be one of {valid}, not {kind!r}", "'kind' 必须是 {valid} 之一，不是 {kind!r}"),
        "count_zone_and_locations": ("give either 'zone' or 'locations', not both", "'zone' 与 'locations' 只能给一个"),
        "count_bins_busy": (
            "bins already in open count {counts}: {bins}",
            "库位已在进行中的盘点单 {counts} 中：{bins}",
        ),
        "count_bad_reason": (
            "reason must be one of {valid}, not {reason!r}",
            "原因必须是 {valid} 之一，不是 {reason!r}",
        ),
        "count_bad_line_reason": (
            "reason for {bin} {part_no} must be one of {valid}, not {reason!r}",
            "{bin} {part_no} 的原因必须是 {valid} 之一，不是 {reason!r}",
        ),
        "count_no_variance_line": (
            "no variance line {bin} {part_no} in this count",
            "本盘点单没有 {bin} {part_no} 的差异行",
        ),
        "no_such_count": ("no count {id}", "没有盘点单 {id}"),
        "count_already_closed": ("count {id} is already {state}", "盘点单 {id} 已是 {state} 状态"),
        "count_no_longer_open": (
            "count {id} is {state}: it can no longer change",
            "盘点单 {id} 为 {state} 状态：不能再修改",
        ),
        "count_uncounted": ("{n} bins not counted yet: {bins}", "还有 {n} 个库位未盘点：{bins}"),
        "count_recount_required": ("recount required in {n} bins: {bins}", "{n} 个库位需要复盘：{bins}"),
    }
)


class CountError(Refusal):
    """A count request refused by a rule: a message code with its parameters (en and zh in `floor.core.messages`).

    `details` are extra values an API answer carries besides the message (e.g. the bins concerned).
    The web ring maps the code to an HTTP status (`floor.http.errors`).
    """

    def __init__(self, code: str, /, details: dict[str, Any] | None = None, **params: Any) -> None:
        en, zh = messages.render(code, params)
        super().__init__(code, **params)
        self.args = (en,)
        self.details = details or {}
        self.message = en
        self.message_zh = zh
