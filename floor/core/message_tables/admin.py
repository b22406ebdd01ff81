"""Imports and reports."""

MESSAGES: dict[str, tuple[str, str]] = {
    # floor.core.import_runs
    "import_running": (
        "Another import ({kind}, {done} of {total} rows) is running; try again when it has finished",
        "另一个导入（{kind}，已完成 {done}/{total} 行）正在进行；请在其完成后再试",
    ),
    "unknown_import": ("No import {run}", "没有编号为 {run} 的导入"),
    "import_in_use": (
        "Import {run} ({kind}) stopped before it finished and cannot be taken back: parts it made are in use"
        " since: {parts}. Nothing was changed. To keep what it wrote, run `floor import --keep-stopped`,"
        " then import the file again",
        "导入 {run}（{kind}）未完成即中止，且无法撤回：它新建的配件此后已被使用：{parts_zh}。"
        "未做任何更改。如需保留它已写入的内容，请运行 `floor import --keep-stopped`，然后重新导入该文件",
    ),
    # floor.core.reports
    "bad_period": ("Bad period: {detail}", "时间段无效：{detail}"),
    "bad_month": ("Bad month {month}: use YYYY-MM", "月份 {month} 无效：请用 YYYY-MM"),
    "month_not_ended": (
        "Month {month} has not ended yet; it can be signed from {from_}",
        "{month} 月尚未结束，{from_} 起才能签字",
    ),
    "month_signed": (
        "Month {month} was signed by {name} at {at}; it is frozen",
        "{month} 月已由 {name} 于 {at} 签字，报表已冻结",
    ),
    "bad_proposal": ("Bad handling proposal: {detail}", "处理建议无效：{detail}"),
}
