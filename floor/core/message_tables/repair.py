"""The repair order: lines, estimates, the customer's answers."""

MESSAGES: dict[str, tuple[str, str]] = {
    # floor.core.repair.errors
    "job_closed_lines": (
        "Job {number} is {status}: its concerns and lines cannot change",
        "工单 {number} 已{status_zh}：其故障描述和项目不能再更改",
    ),
    "bad_concern_text": ("A concern {field}: {detail}", "故障描述的{field_zh}：{detail_zh}"),
    "unknown_concern": ("Job {number} has no concern {id}", "工单 {number} 没有故障描述 {id}"),
    "unknown_operation": (
        "Unknown labour operation {op}: import it (floor import operations) or pick another",
        "未知工时项目 {op}：请先导入（floor import operations）或选择其他项目",
    ),
    "bad_line_kind": ("A line is labour or part, not {kind}", "项目类型必须是工时或配件，而不是 {kind}"),
    "bad_pay_type": (
        "Pay type must be customer, warranty or internal, not {pay}",
        "付费类型必须是客户付费、三包索赔或内部，而不是 {pay}",
    ),
    "bad_line_field": ("Line {field}: {detail}", "项目{field_zh}：{detail_zh}"),
    "bad_hours": (
        "Hours must be a number above 0 and at most 999.99 (two decimals), not {hours}",
        "工时必须大于 0 且不超过 999.99（两位小数），而不是 {hours}",
    ),
    "bad_unit_price": (
        "A unit price must be a number from 0 to 99999999 (four decimals), not {price}",
        "单价必须在 0 至 99999999 之间（四位小数），而不是 {price}",
    ),
    # `no_sell_price` (a part without a sell price) is the counter sale's code and words: in sales.py.
    "no_labour_rate": (
        "Labour cannot be priced: set [billing] labour_rate in floor.toml",
        "无法为工时定价：请在 floor.toml 中设置 [billing] labour_rate",
    ),
    "unknown_line": ("Job {number} has no line {id}", "工单 {number} 没有项目 {id}"),
    "line_twice": (
        "Line {id} is named twice in one answer: the customer says yes or no to it once",
        "项目 {id} 在同一次答复中出现两次：客户只能确认或拒绝一次",
    ),
    "line_not_proposed": (
        "Line {id} is {status}: only proposed lines wait for the customer's answer",
        "项目 {id} 状态为{status_zh}：只有待确认的项目需要客户答复",
    ),
    "line_closed": (
        "Line {id} is {status}: it cannot change any more (add a new line)",
        "项目 {id} 状态为{status_zh}：不能再更改（请新增项目）",
    ),
    "no_lines_answered": (
        "Name the lines the customer said yes (lines) or no (declined) to",
        "请列出客户确认（lines）或拒绝（declined）的项目",
    ),
    "bad_consent_how": (
        "How the customer answered must be signature, phone or in_person, not {how}",
        "客户确认方式必须是签字、电话或当面，而不是 {how}",
    ),
    "signature_missing": (
        "An answer by signature needs the customer's signature",
        "签字确认需要客户签名",
    ),
    "safety_needs_signature": (
        "Line {id} is a safety item: declining it needs the customer's signature",
        "项目 {id} 涉及安全：客户拒绝需本人签字",
    ),
    "qty_below_issued": (
        "Line {id}: {issued} already issued, the quantity cannot be {qty}",
        "项目 {id}：已领用 {issued}，数量不能改为 {qty}",
    ),
    "no_authorized_line": (
        "Job {number} has no line the customer said yes to: take the customer's yes before work starts",
        "工单 {number} 没有客户已确认的项目：开工前请先取得客户确认",
    ),
    "lines_not_done": (
        "Job {number}: {count} authorized labour line(s) not done ({lines}): finish them first",
        "工单 {number}：尚有 {count} 个已确认工时项目未完工（{lines}）：请先完工",
    ),
    # accepted (writes outside scans return these codes in their answers)
    "concern_added": ("Concern {id} added to job {number}", "已为工单 {number} 添加故障描述 {id}"),
    "line_added": (
        "Line {id} ({kind}) added to job {number}: {status}",
        "已为工单 {number} 添加项目 {id}：{status_zh}",
    ),
    "lines_answered": (
        "Job {number}: {authorized} line(s) authorized, {declined} declined ({how})",
        "工单 {number}：客户确认 {authorized} 项，拒绝 {declined} 项（{how_zh}）",
    ),
}
