"""Short bilingual (en / zh-CN) messages for every result and refusal code: the one catalogue.

Scan results carry both languages because one result can be shown on a
Chinese kiosk and logged for an English-speaking integrator at the same time.
The scan results' texts are below; every other area's are in `floor.core.message_tables`, joined
here in the order of `TABLES`. Importing this module gives every code, whatever else was imported:
nothing is added to the catalogue at run time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from string import Formatter
from types import MappingProxyType
from typing import Any

from floor.core import authority
from floor.core.message_tables import (
    admin,
    aftersales,
    billing,
    counts,
    demand,
    doors,
    people,
    receiving,
    repair,
    returns,
    sales,
    scan,
    vehicles,
    workshop,
)

Table = dict[str, tuple[str, str]]

SCAN_RESULTS: Table = {
    # accepted
    "actor_set": ("Hello {name}", "你好，{name}"),
    "wo_set": ("Job {number} ({vehicle}) — mode {mode}", "工单 {number}（{vehicle}）— 模式 {mode_zh}"),
    "wo_selected": ("Job {number} ({vehicle}), {status}", "工单 {number}（{vehicle}），{status_zh}"),
    "location_set": ("Bin {code}", "库位 {code}"),
    "move_target_set": ("Move to bin {code}", "移至库位 {code}"),
    "qty_set": ("Quantity {qty} for the next part", "下一个配件数量 {qty}"),
    "mode_set": ("Mode {mode}", "模式 {mode_zh}"),
    "issued": (
        "Issued {qty} × {part_no} to job {wo} from {bin} ({on_hand} left)",
        "已领用 {qty} × {part_no} 至工单 {wo}，库位 {bin}（剩余 {on_hand}）",
    ),
    "returned": ("Returned {qty} × {part_no} from job {wo} to {bin}", "已退库 {qty} × {part_no}（工单 {wo}）至 {bin}"),
    "received": ("Received {qty} × {part_no} into {bin}", "已入库 {qty} × {part_no} 至 {bin}"),
    "moved": ("Moved {qty} × {part_no} from {from_bin} to {to_bin}", "已移库 {qty} × {part_no}：{from_bin} → {to_bin}"),
    "move_part_set": (
        "Moving {qty} × {part_no} from {from_bin}: scan the target bin",
        "从 {from_bin} 移出 {qty} × {part_no}：请扫描目标库位",
    ),
    "undone": ("Undone: {what}", "已撤销：{what}"),
    "session_cleared": ("Session cleared", "会话已清除"),
    # rejected: the input itself
    "empty": ("Empty scan: nothing was read", "空扫描：未读取到内容"),
    "too_long": (
        "Scan too long ({length} bytes, limit {limit}): rescan the label",
        "扫描内容过长（{length} 字节，上限 {limit}）：请重新扫描",
    ),
    "bad_encoding": (
        "Unreadable scan (not UTF-8): check the scanner's character set",
        "无法识别的扫描（非 UTF-8）：请检查扫描枪字符集设置",
    ),
    "control_chars": (
        "Scan contains control characters: check the scanner setup",
        "扫描内容含控制字符：请检查扫描枪设置",
    ),
    "empty_value": ("{prefix} label without a value", "{prefix} 标签缺少内容"),
    "bad_qty": (
        "Quantity must be a whole number from 1 to 9999, not {value}",
        "数量必须为 1 至 9999 的整数，而不是 {value}",
    ),
    "unknown_command": ("Unknown command {verb}", "未知命令 {verb}"),
    "gs1_no_gtin": ("GS1 barcode without a GTIN (AI 01)", "GS1 条码缺少 GTIN（AI 01）"),
    "unknown_code": (
        "Unknown code {text}: not a part, bin, job or badge",
        "未知条码 {text}：不是配件、库位、工单或工牌",
    ),
    "unknown_part": ("Unknown part {text}", "未知配件 {text}"),
    "unknown_badge": ("Unknown badge {badge}", "未知工牌 {badge}"),
    "unknown_wo": ("Unknown job {number}", "未知工单 {number}"),
    "unknown_location": ("Unknown bin {code}", "未知库位 {code}"),
    "bad_time": (
        "Scan time {at} is in the future: check the device clock",
        "扫描时间 {at} 晚于当前时间：请检查设备时钟",
    ),
    # rejected: the session
    "no_actor": ("Scan your badge first", "请先扫描工牌"),
    "no_wo": ("Scan a job card first", "请先扫描工单"),
    "no_location": ("Scan a bin first", "请先扫描库位"),
    "no_mode": ("Scan a job card or a command first", "请先扫描工单或命令"),
    "wo_closed": (
        "Job {number} is {status}: no parts can be booked to it",
        "工单 {number} 已{status_zh}：不能再领用或退回配件",
    ),
    "bin_not_pickable": (
        "Bin {code} is a {kind} bin: its stock cannot be issued or picked; move it to a store bin first",
        "库位 {code} 为{kind_zh}库位：其库存不可领用或拣货，请先移至存储库位",
    ),
    "insufficient_stock": (
        "Only {on_hand} × {part_no} in {bin}; cannot take {qty}",
        "库位 {bin} 中 {part_no} 仅有 {on_hand}，无法出库 {qty}",
    ),
    "return_exceeds_issue": (
        "Job {wo} has only {issued} × {part_no} issued; cannot return {qty}",
        "工单 {wo} 仅领用 {issued} × {part_no}，无法退回 {qty}",
    ),
    "same_location": ("Target bin is the source bin {code}", "目标库位与来源库位相同：{code}"),
    "nothing_to_undo": ("Nothing to undo at this station", "本工位没有可撤销的操作"),
    "undo_blocked": ("Cannot undo: {reason}", "无法撤销：{reason}"),
    "mode_not_allowed": ("{mode} is not allowed at a {station_kind} station", "{station_kind} 工位不允许 {mode}"),
    "not_supported": ("{what} is not supported here", "此处不支持 {what}"),
    # role_name / action_name: the role table's names of `role` and `action` (floor.core.authority)
    "role_denied": ("{name} ({role_name}) may not {action_name}", "{name}（{role_name_zh}）无权{action_name_zh}"),
    "internal_error": ("Scan not applied: internal error, please rescan", "扫描未生效：系统内部错误，请重新扫描"),
}

MODE_ZH = {
    "ISSUE": "领用",
    "RETURN": "退库",
    "RECEIVE": "入库",
    "MOVE": "移库",
    "COUNT": "盘点",
    "CORE": "旧件回收",
    "REQUEST": "申领",
    None: "无",
}
STATUS_ZH = {
    "received": "接车",
    "dispatched": "已派工",
    "in_progress": "维修中",
    "on_hold": "暂停",
    "qc": "质检",
    "washing": "洗车",
    "ready": "待交车",
    "delivered": "交车",
    "cancelled": "取消",
}


# Every area's table, joined in this order; a code is defined in exactly one of them.
TABLES: tuple[tuple[str, Table], ...] = (
    ("scan results", SCAN_RESULTS),
    ("scan", scan.MESSAGES),
    ("people", people.MESSAGES),
    ("counts", counts.MESSAGES),
    ("receiving", receiving.MESSAGES),
    ("returns", returns.MESSAGES),
    ("demand", demand.MESSAGES),
    ("sales", sales.MESSAGES),
    ("workshop", workshop.MESSAGES),
    ("vehicles", vehicles.MESSAGES),
    ("repair", repair.MESSAGES),
    ("billing", billing.MESSAGES),
    ("aftersales", aftersales.MESSAGES),
    ("admin", admin.MESSAGES),
    ("doors", doors.MESSAGES),
)

# Functions that add shown values to a message's parameters (a role's or an action's name in each language),
# called in this order; a given parameter wins over a derived one, and an earlier function over a later one.
DERIVED: tuple[Callable[[Mapping[str, Any]], Mapping[str, str]], ...] = (authority.names_shown,)


def join(tables: tuple[tuple[str, Table], ...]) -> Table:
    """One catalogue from named tables; a code defined in two of them (or twice) is an error, not a silent winner."""
    joined: Table = {}
    where: dict[str, str] = {}
    for name, table in tables:
        for code, pair in table.items():
            if code in joined:
                raise ValueError(f"message code {code!r} is defined in {where[code]!r} and in {name!r}")
            joined[code] = pair
            where[code] = name
    return joined


# Read-only: nothing may add a code at run time, so what a code says never depends on what was imported.
CATALOGUE: Mapping[str, tuple[str, str]] = MappingProxyType(join(TABLES))


def known(code: str) -> bool:
    """True if the code has messages."""
    return code in CATALOGUE


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


# code -> the names its two templates use, or None when they use more than plain `{name}` fields.
_FIELDS: dict[str, frozenset[str] | None] = {}


def _fields(code: str, templates: tuple[str, str]) -> frozenset[str] | None:
    if code in _FIELDS:
        return _FIELDS[code]
    names: set[str] = set()
    plain = True
    try:
        for template in templates:
            for _text, name, spec, _conv in Formatter().parse(template):
                if name is None:
                    continue
                plain = plain and name.isidentifier() and "{" not in (spec or "")  # not positional, indexed, nested
                names.add(name)
    except ValueError:  # a malformed template: the full path fails (or not) as it always did
        plain = False
    found = _FIELDS[code] = frozenset(names) if plain else None
    return found


def render(code: str, params: dict[str, Any]) -> tuple[str, str]:
    """Format the (en, zh) messages of a code with its parameters."""
    en, zh = templates = CATALOGUE.get(code, (code, code))
    fields = _fields(code, templates)
    if fields is not None and fields <= params.keys():
        # Every field is given: what `render_full` derives could not change a thing (a given value wins).
        return en.format_map(params), zh.format_map(params)
    return render_full(en, zh, params)


def render_full(en: str, zh: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """Format two templates with the parameters and the values derived from them ('?' for any missing)."""
    values = _Lenient(params)
    mode, status = params.get("mode"), params.get("status")
    values.setdefault("mode_zh", MODE_ZH.get(str(mode), mode))
    values.setdefault("status_zh", STATUS_ZH.get(str(status), status))
    for fn in DERIVED:
        for key, value in fn(params).items():
            values.setdefault(key, value)
    return en.format_map(values), zh.format_map(values)
