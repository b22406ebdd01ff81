"""Invoices, payments, deposits, credit notes."""

MESSAGES: dict[str, tuple[str, str]] = {
    # floor.core.billing.errors
    "job_not_ready": (
        "Job {number} is {status}: a job is invoiced once it is READY",
        "工单 {number} 状态为{status_zh}：工单需完工待交车后才能开票",
    ),
    "nothing_to_invoice": (
        "Job {number} has nothing to invoice: no lines and no parts issued",
        "工单 {number} 没有可开票内容：无维修项目，也未领用配件",
    ),
    "already_invoiced": (
        "Job {number} is already invoiced ({invoice}): a credit note must reverse it first",
        "工单 {number} 已开票（{invoice}）：须先开具红字发票冲销",
    ),
    "unknown_invoice": ("No invoice {number}", "没有发票 {number}"),
    "bad_next_service": (
        'next_service is {{"due_at": "YYYY-MM-DD", "due_km": whole km}} (either may be left out), not {value}',
        'next_service 须为 {{"due_at": "YYYY-MM-DD", "due_km": 整数公里}}（可只填其一），而不是 {value}',
    ),
    "unknown_invoice_line": ("Invoice {number} has no line {line}", "发票 {number} 没有第 {line} 行"),
    "bad_amount": (
        "{field} must be a number above 0 with at most two decimals, in plain digits, not {value}",
        "{field_zh}必须是大于 0、最多两位小数的数字（半角数字），而不是 {value}",
    ),
    "bad_pct": (
        "A discount percentage must be a number above 0 and at most 100, not {value}",
        "折扣百分比必须大于 0 且不超过 100，而不是 {value}",
    ),
    "discount_pct_or_amount": (
        "A discount is given as pct or as amount (one of them)",
        "折扣须填写百分比（pct）或金额（amount）之一",
    ),
    "discount_not_customer": (
        "Line {line} is paid by {pay}: only what the customer pays can be discounted",
        "第 {line} 行由{pay_zh}承担：只有客户付费部分可以打折",
    ),
    "discount_too_large": (
        "A discount of {amount} is more than the {left} left on {target}",
        "折扣 {amount} 超过{target_zh}剩余金额 {left}",
    ),
    "nothing_to_discount": (
        "Invoice {number} has nothing the customer pays: there is nothing to discount",
        "发票 {number} 没有客户付费部分：无可打折金额",
    ),
    "discount_below_paid": (
        "A discount of {amount} would bring invoice {number} below the {paid} already paid",
        "折扣 {amount} 将使发票 {number} 低于已付金额 {paid}",
    ),
    "invoice_not_open": (
        "Invoice {number} is {status}: nothing more can be paid or discounted on it",
        "发票 {number} 状态为{status_zh}：不能再收款或打折",
    ),
    "invoice_credited": (
        "Invoice {number} is credited ({credit_note}): it cannot change any more",
        "发票 {number} 已红冲（{credit_note}）：不能再更改",
    ),
    "overpayment": (
        "{amount} is more than the {balance} still owed on invoice {number}",
        "金额 {amount} 超过发票 {number} 的未付余额 {balance}",
    ),
    "bad_pay_method": (
        "Payment method must be cash, card, transfer or account, not {method}",
        "付款方式必须是现金（cash）、刷卡（card）、转账（transfer）或挂账（account），而不是 {method}",
    ),
    "not_trade_customer": (
        "Only a trade customer may pay on account; invoice {number} is {customer}'s",
        "只有签约客户可以挂账；发票 {number} 的客户是 {customer}",
    ),
    "bad_deposit_method": (
        "A deposit is paid by cash, card or transfer, not {method}",
        "定金须以现金、刷卡或转账支付，而不是 {method}",
    ),
    "deposit_job_closed": (
        "Job {number} is {status}: a deposit is taken on an open job",
        "工单 {number} 已{status_zh}：只有未关闭的工单可以收定金",
    ),
    "reason_required": ("Give the reason (reason)", "请填写原因（reason）"),
    "approver_required": (
        "A discount of {pct} % is above the {max} % limit: a supervisor must approve it with their PIN (approver)",
        "折扣 {pct}% 超过上限 {max}%：须由主管输入 PIN 审批（approver）",
    ),
    "not_invoiced": (
        "Job {number} is not invoiced: invoice it and take payment, or a supervisor releases the car",
        "工单 {number} 尚未开票：请开票收款，或由主管放行",
    ),
    "not_settled": (
        "Job {number}: invoice {invoice} is {status_name} ({balance} owed): take payment, "
        "or a supervisor releases the car",
        "工单 {number}：发票 {invoice} {status_zh}（欠款 {balance}）：请收款，或由主管放行",
    ),
}
