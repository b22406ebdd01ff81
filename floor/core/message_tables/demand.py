"""Parts demand: request lines, their scans, arrivals and notices."""

MESSAGES: dict[str, tuple[str, str]] = {
    # floor.core.demand.lines
    "bad_request_qty": (
        "{where} must be a whole number from 1 to 100000, not {qty}",
        "{where} 必须为 1 至 100000 的整数，而不是 {qty}",
    ),
    # floor.core.demand.scans
    "needs_approval": (
        "Issuing {qty} × {part_no} to job {wo} is worth {value}, over the approval limit {limit}: request it "
        "(CMD:REQUEST) and have a supervisor approve the line first",
        "向工单 {wo} 领用 {qty} × {part_no} 价值 {value}，超过审批限额 {limit}：请先申领（CMD:REQUEST）并经主管审批",
    ),
    "requested_reserved": (
        "Requested {qty} × {part_no} for {wo}: reserved",
        "已为 {wo} 申领 {qty} × {part_no}：已预留",
    ),
    "requested_partial": (
        "Requested {qty} × {part_no} for {wo}: {reserved} reserved, the rest on backorder",
        "已为 {wo} 申领 {qty} × {part_no}：预留 {reserved}，其余缺货待订",
    ),
    "requested_backordered": (
        "Requested {qty} × {part_no} for {wo}: none in stock, on backorder",
        "已为 {wo} 申领 {qty} × {part_no}：无库存，已缺货待订",
    ),
    "requested_awaiting_approval": (
        "Requested {qty} × {part_no} for {wo}: waits for a supervisor's approval",
        "已为 {wo} 申领 {qty} × {part_no}：金额超限，待主管审批",
    ),
    "reserved_for_other": (
        "Cannot issue {qty} × {part_no}: only {available} free for this job, the rest is reserved for {held_by}",
        "无法领用 {qty} × {part_no}：本工单可用仅 {available}，其余已为 {held_by} 预留",
    ),
    "not_authorized": (
        "{part_no} for job {wo} is on a line the customer has not said yes to: not issued (ask the advisor)",
        "工单 {wo} 的 {part_no} 所在项目未经客户确认：不能领用（请联系服务顾问）",
    ),
    "request_awaiting_approval": (
        "{part_no} for {wo} waits for a supervisor's approval (request {id}): not issued",
        "{wo} 的 {part_no} 申领单（{id}）待主管审批，不能领用",
    ),
    "no_lines": ("A request needs at least one line", "申领单至少需要一行"),
    "too_many_lines": ("At most {max} lines per request", "每张申领单最多 {max} 行"),
    "unknown_request": ("No request line {id}", "没有申领行 {id}"),
    "request_closed": ("Request line {id} is {status}: nothing to change", "申领行 {id} 已{status}，无法更改"),
    "not_awaiting_approval": (
        "Request line {id} is {status}, not awaiting approval",
        "申领行 {id} 状态为 {status}，无需审批",
    ),
    "reservation_other_part": (
        "Request lines {id} and {to} are for different parts",
        "申领行 {id} 与 {to} 不是同一配件",
    ),
    "reservation_same_line": ("A reservation cannot move to its own line ({id})", "预留不能转到同一行（{id}）"),
    "reservation_not_needed": ("Request line {to} needs nothing more", "申领行 {to} 无需更多预留"),
    "special_order_empty": (
        "No backordered parts of supplier {supplier} to order",
        "供应商 {supplier} 没有缺货待订的配件",
    ),
    # floor.core.demand.arrivals
    "received_reserved": (
        "{before} — reserved for waiting jobs: {jobs}",
        "{before_zh} —— 已为等待的工单预留：{jobs_zh}",
    ),
    "special_order_arrived": (
        "{part_no} arrived for waiting jobs: reserved for {jobs}",
        "{part_no} 已到货：已为等待的工单预留 {jobs_zh}",
    ),
    # floor.core.demand.notify
    "freed_reserved_for_waiting": (
        "{part_no} freed ({why}) — reserved for waiting jobs: {jobs}",
        "{part_no} 已释放（{why_zh}）——已为等待的工单预留：{jobs_zh}",
    ),
    "stock_reserved_for_waiting": (
        "{part_no} in stock — reserved for waiting jobs: {jobs}",
        "{part_no} 已有库存——已为等待的工单预留：{jobs_zh}",
    ),
    # Why units were freed (the {why} above).
    "freed_by_request_cancel": ("request {id} cancelled", "申领行 {id} 已取消"),
    "freed_by_release": ("released from request {id}", "申领行 {id} 的预留已释放"),
    "freed_by_job_delivered": ("job {number} delivered", "工单 {number} 已交车"),
    "freed_by_job_cancelled": ("job {number} cancelled", "工单 {number} 已取消"),
    "freed_by_appointment_cancel": ("appointment {id} cancelled", "预约 {id} 已取消"),
    "freed_by_sale_cancel": ("sale {number} cancelled", "销售单 {number} 已取消"),
    "freed_by_sale_ship": ("sale {number} shipped", "销售单 {number} 已发货"),
    "freed_by_return": ("returned from job {number}", "工单 {number} 退回"),
    "freed_by_undo": ("a scan undone", "扫描已撤销"),
}
