"""The scan path's codes beyond the results in `floor.core.messages`: parsing, stock moves, the engine."""

MESSAGES: dict[str, tuple[str, str]] = {
    # floor.core.codes
    "gs1_invalid": ("GS1 barcode refused: {reason}. {advice}", "GS1 条码不合规，已拒收：{reason_zh}。{advice_zh}"),
    # floor.core.stockflow
    "no_quarantine_bin": (
        "No quarantine bin: add a bin of kind quarantine",
        "没有隔离库位：请添加类型为 quarantine 的库位",
    ),
    "not_quarantine_bin": (
        "Bin {code} is a {kind} bin, not a quarantine bin",
        "库位 {code} 是 {kind} 库位，不是隔离库位",
    ),
    # floor.core.scanning.engine
    "unreadable": (
        "Barcode could not be read ({detail}): scan another label or key it in",
        "无法识别该条码（{detail}）：请扫描其他标签或手工输入",
    ),
}
