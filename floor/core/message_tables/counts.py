"""Stock counts: count sheets, recounts, approval."""

MESSAGES: dict[str, tuple[str, str]] = {
    # floor.core.counts
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
    # floor.core.counts.handlers
    "count_set": ("Count {id} ({kind}): scan a bin", "盘点单 {id}（{kind}）：请扫描库位"),
    "count_bin_set": ("Counting bin {code}", "盘点库位 {code}"),
    "counted": (
        "Counted {qty} × {part_no} in {bin} ({total} so far)",
        "已盘点 {qty} × {part_no}，库位 {bin}（累计 {total}）",
    ),
    "recount_started": (
        "Recount of bin {code}: count everything in it again",
        "库位 {code} 复盘：请重新清点库位内全部配件",
    ),
    "unknown_count": ("Unknown count sheet {id}", "未知盘点单 {id}"),
    "count_closed": ("Count {id} is {state}: no more counting", "盘点单 {id} 已{state_zh}：不能继续盘点"),
    "count_not_started": (
        "Scan time {at} is before count {id} was opened: not counted",
        "扫描时间 {at} 早于盘点单 {id} 的创建时间：未计入",
    ),
    "bin_not_in_count": ("Bin {bin} is outside count {id}", "库位 {bin} 不在盘点单 {id} 的范围内"),
    "bin_busy": ("Bin {bin} is being counted at {station}", "库位 {bin} 正由 {station} 盘点中"),
    "no_count": ("Scan a count sheet (CNT:…) first", "请先扫描盘点单（CNT:…）"),
}
