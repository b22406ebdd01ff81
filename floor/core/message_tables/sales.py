"""Counter sales."""

MESSAGES: dict[str, tuple[str, str]] = {
    # floor.core.sales.errors
    # customers
    "unknown_customer": ("Unknown customer {code}", "未知客户 {code}"),
    "bad_customer_code": (
        "A customer code is 1 to 64 characters, not {code}",
        "客户编码须为 1 至 64 个字符，而不是 {code}",
    ),
    "bad_customer_kind": (
        "Customer kind must be retail or trade, not {kind}",
        "客户类型必须为 retail 或 trade，而不是 {kind}",
    ),
    # sales
    "unknown_sale": ("Unknown sale {number}", "未知销售单 {number}"),
    "sale_no_lines": ("A sale needs at least one line", "销售单至少需要一行"),
    "bad_price": (
        "Price of {part_no} must be zero or more, not {price}",
        "{part_no} 的价格必须大于或等于零，而不是 {price}",
    ),
    "no_sell_price": ("{part_no} has no sell price: give a price", "{part_no} 没有销售价：请填写价格"),
    "sale_bad_status": (
        "Sale {number} is {status}: cannot {action}",
        "销售单 {number} 状态为{status_zh}：不能{action_zh}",
    ),
    "sale_over_available": (
        "Only {available} × {part_no} available ({on_hand} on hand, {reserved} reserved), sale {number} needs {qty}",
        "{part_no} 仅可用 {available}（库存 {on_hand}，已预留 {reserved}），销售单 {number} 需要 {qty}",
    ),
    "sale_not_picked": (
        "Sale {number} is not fully picked ({picked} of {qty} units): pick every line before shipping",
        "销售单 {number} 未拣齐（已拣 {picked}/{qty}）：请拣齐所有行再发货",
    ),
    "ship_needs_carrier": (
        "Shipping needs a carrier and a tracking number, or collected: true",
        "发货需要承运商和运单号，或 collected: true（柜台自提）",
    ),
    "sale_set": (
        "Sale {number} ({customer}): {picked} of {qty} units picked — scan the parts",
        "销售单 {number}（{customer}）：已拣 {picked}/{qty} — 请扫描配件",
    ),
    "sale_picked": (
        "Picked {qty} × {part_no} for sale {number} from {bin} ({line_picked}/{line_qty})",
        "已拣 {qty} × {part_no}（销售单 {number}，库位 {bin}，{line_picked}/{line_qty}）",
    ),
    "sale_complete": (
        "Sale {number} fully picked: ready to ship or hand over",
        "销售单 {number} 已全部拣货：可发货或交付",
    ),
    "over_pick": (
        "Over-pick: sale {number} orders {ordered} × {part_no}, {picked} already picked",
        "超拣：销售单 {number} 订购 {ordered} × {part_no}，已拣 {picked}",
    ),
    "not_on_sale": ("{part_no} is not on sale {number}", "{part_no} 不在销售单 {number} 中"),
    "no_sale": ("Scan the sale first (SO:<number>)", "请先扫描销售单（SO:<编号>）"),
    "sale_return_set": (
        "Return against sale {number}: scan the parts",
        "按销售单 {number} 退货：请扫描配件",
    ),
    "sale_pick_blocked": (
        "Only {available} × {part_no} free for sale {number} ({reserved} held for others)",
        "{part_no} 仅有 {available} 可用于销售单 {number}（{reserved} 已为其他需求预留）",
    ),
    # core charges
    "core_not_charged": (
        "No core charge to refund: {what}",
        "没有可退的旧件押金：{what}",
    ),
    "core_already_refunded": (
        "Core {serial} was already refunded on {at}",
        "旧件 {serial} 已于 {at} 退还押金",
    ),
    "core_refunded": (
        "Core {serial} ({part_no}) back from sale {number}: {amount} refunded",
        "旧件 {serial}（{part_no}）已从销售单 {number} 收回：退还押金 {amount}",
    ),
    # returns against a sale
    "return_window_passed": (
        "Sale {number} was shipped {days_ago} days ago: customer returns are accepted within {days} days; "
        "a supervisor may accept this one",
        "销售单 {number} 已发货 {days_ago} 天：客户退货须在 {days} 天内办理；逾期须主管受理",
    ),
    "return_exceeds_sold": (
        "Sale {number} sold {sold} × {part_no}, {returned} already returned: cannot take back {qty}",
        "销售单 {number} 售出 {sold} × {part_no}，已退 {returned}：不能再退 {qty}",
    ),
    # warranty claims
    "unknown_claim": ("Unknown claim {id}", "未知索赔单 {id}"),
    "claim_no_cores": ("A claim needs at least one core", "索赔单至少需要一个旧件"),
    "claim_bad_amount": (
        "Claim amount must be more than zero, not {amount}",
        "索赔金额必须大于零，而不是 {amount}",
    ),
    "claim_no_taken": ("Claim number {claim_no} is already used", "索赔号 {claim_no} 已被使用"),
    "bad_claim_no": (
        "A claim number is 1 to 64 characters, not {claim_no}",
        "索赔号须为 1 至 64 个字符，而不是 {claim_no}",
    ),
    "bad_claim_filter": (
        "No claim status {status}; use draft, submitted, approved, rejected or credited",
        "没有索赔状态 {status}；请用 draft、submitted、approved、rejected 或 credited",
    ),
    "claim_core_other_job": (
        "Core {serial} belongs to job {wo}, not {claim_wo}",
        "旧件 {serial} 属于工单 {wo}，不是 {claim_wo}",
    ),
    "claim_core_claimed": (
        "Core {serial} is already on claim {claim_no}",
        "旧件 {serial} 已在索赔单 {claim_no} 中",
    ),
    "claim_core_not_returned": (
        "Core {serial} is {status}: only a returned core can be claimed",
        "旧件 {serial} 状态为 {status}：只有已收回的旧件可以索赔",
    ),
    "claim_bad_status": (
        "Claim {claim_no} is {status}: cannot {action}",
        "索赔单 {claim_no} 状态为{status_zh}：不能{action_zh}",
    ),
}
