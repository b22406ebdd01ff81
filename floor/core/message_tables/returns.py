"""Returns: from customers, to suppliers, and their scans."""

MESSAGES: dict[str, tuple[str, str]] = {
    # floor.core.returns.customer
    "no_return_reason": ("A return needs a reason: {valid}", "退货须注明原因：{valid}"),
    "bad_return_reason": ("Unknown return reason {reason}: use {valid}", "未知退货原因 {reason}：请使用 {valid}"),
    "no_return_origin": ("A return needs the original job or sale", "退货须注明原工单或销售单"),
    "return_exceeds_sale": (
        "Job {wo} had {issued} × {part_no} (already returned {returned}); cannot return {qty}",
        "工单 {wo} 领用 {issued} × {part_no}（已退 {returned}），无法退回 {qty}",
    ),
    "not_in_quarantine": (
        "No {part_no} from a customer return is waiting in quarantine",
        "隔离区没有待检验的退货配件 {part_no}",
    ),
    "return_not_open": (
        "Return {id} is {state}: nothing left to inspect",
        "退货单 {id} {state_zh}：没有待检验的数量",
    ),
    "release_exceeds_return": (
        "Only {pending} × {part_no} of the return wait for inspection; cannot release {qty}",
        "退货中仅 {pending} × {part_no} 待检验，无法放行 {qty}",
    ),
    "bad_inspection_outcome": (
        "Unknown inspection outcome {outcome}: use {valid}",
        "未知检验结果 {outcome}：请使用 {valid}",
    ),
    "release_target_kind": (
        "Bin {code} is a {kind} bin: released parts go to a store bin",
        "库位 {code} 是 {kind} 库位：放行的配件须放入仓库库位",
    ),
    "scrap_target_kind": (
        "Bin {code} is a {kind} bin, not a scrap bin",
        "库位 {code} 是 {kind} 库位，不是报废库位",
    ),
    "unknown_return": ("No customer return {id}", "没有退货单 {id}"),
    # floor.core.returns.supplier
    "empty_shipment": (
        "A return shipment needs at least one return or core",
        "退供应商发货单至少需要一项退货或旧件",
    ),
    "shipment_exceeds_return": (
        "Return {id} has {awaiting} × {part_no} waiting for the supplier; cannot ship {qty}",
        "退货单 {id} 仅有 {awaiting} × {part_no} 待退供应商，无法发出 {qty}",
    ),
    "core_not_shippable": ("Core {serial} cannot go to the supplier: {why}", "旧件 {serial} 不能退供应商：{why}"),
    "shipment_unknown_core": ("Unknown core {serial}", "未知旧件 {serial}"),
    "unknown_shipment": ("No return shipment {id}", "没有退供应商发货单 {id}"),
    "shipment_shipped": ("Return shipment {id} was already shipped", "退供应商发货单 {id} 已发出"),
    # floor.core.returns.scans
    "return_mode_set": ("Mode {mode}: {hint}", "模式 {mode}：{hint_zh}"),
    "return_reason_set": (
        "Return reason {reason} (freight paid by {freight_payer}): scan the parts",
        "退货原因 {reason}（运费由{payer_zh}承担）：请扫描配件",
    ),
    "return_received": (
        "Return {id}: {qty} × {part_no} into quarantine {bin} ({reason})",
        "退货单 {id}：{qty} × {part_no} 已放入隔离库位 {bin}（{reason}）",
    ),
    "return_restocked": (
        "Inspected: {qty} × {part_no} back to stock in {bin}",
        "检验合格：{qty} × {part_no} 已放回库位 {bin}",
    ),
    "return_scrapped": (
        "Inspected: {qty} × {part_no} scrapped into {bin}",
        "检验不合格：{qty} × {part_no} 已报废至 {bin}",
    ),
}
