"""Receiving: deliveries and their scans."""

MESSAGES: dict[str, tuple[str, str]] = {
    # floor.core.receiving.deliveries
    "bad_delivery_line": ("Line {line}: {field} {message}", "第 {line} 行：{field} {message}"),
    "delivery_exists": (
        "Delivery {reference} from {supplier} was already imported",
        "供应商 {supplier} 的到货单 {reference} 已导入",
    ),
    "no_delivery_lines": ("The delivery has no lines", "到货单没有明细行"),
    "unknown_delivery": ("No open delivery {reference}", "没有未关闭的到货单 {reference}"),
    "ambiguous_delivery": (
        "{count} open deliveries have reference {reference}: select it at the kiosk",
        "{count} 张未关闭的到货单编号为 {reference}：请在终端选择",
    ),
    "delivery_closed": ("Delivery {reference} is closed", "到货单 {reference} 已关闭"),
    # floor.core.receiving.scans
    "delivery_set": (
        "Receiving delivery {reference} from {supplier}: {lines} lines expected",
        "收货：供应商 {supplier} 到货单 {reference}，共 {lines} 行",
    ),
    "received_line": (
        "Received {qty} × {part_no} into {bin}: {received} of {expected} ({state})",
        "已入库 {qty} × {part_no} 至 {bin}：{received}/{expected}（{state_zh}）",
    ),
    "received_unexpected": (
        "Received {qty} × {part_no} into {bin}: NOT on delivery {reference}",
        "已入库 {qty} × {part_no} 至 {bin}：不在到货单 {reference} 中",
    ),
}
