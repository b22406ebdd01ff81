"""The workshop: jobs, their keys, reception, quality control, hand-over, clocking, appointments."""

MESSAGES: dict[str, tuple[str, str]] = {
    # floor.core.workorders.texts
    # accepted
    "status_changed": ("Job {number}: {from_status} → {status}", "工单 {number}：{from_zh} → {status_zh}"),
    "status_held": ("Job {number} on hold: {reason_en}", "工单 {number} 暂停：{reason_zh}"),
    "core_returned": (
        "Core {serial} ({part_no}) returned from job {wo}",
        "旧件 {serial}（{part_no}）已从工单 {wo} 回收",
    ),
    "cores_returned": (
        "Returned {qty} × {part_no} core(s) from job {wo}: {serials}",
        "已回收工单 {wo} 的 {qty} × {part_no} 旧件：{serials}",
    ),
    "disposition_set": (
        "Judge cores as {disposition}: scan the core tags",
        "旧件判定为{disposition_zh}：请扫描旧件标签",
    ),
    "core_disposed": (
        "Core {serial} ({part_no}) judged {disposition}",
        "旧件 {serial}（{part_no}）判定为{disposition_zh}",
    ),
    "cores_waived": ("Waived {count} core(s) of job {wo}", "已豁免工单 {wo} 的 {count} 个旧件"),
    "tag_seen": ("Tag {code} ({kind}): job {number}", "标签 {code}（{kind}）：工单 {number}"),
    # rejected
    "wo_status_closed": (
        "Job {number} is {from_status}: its status cannot change",
        "工单 {number} 已{from_zh}：状态不能再更改",
    ),
    "illegal_move": (
        "Job {number} cannot go from {from_status} to {status}; next: {allowed}",
        "工单 {number} 不能从{from_zh}转为{status_zh}；可转为：{allowed}",
    ),
    "already_in_status": ("Job {number} is already {status}", "工单 {number} 已是{status_zh}状态"),
    "qc_not_passed": (
        "Job {number} has not passed final inspection: a foreman or supervisor scans PASS first",
        "工单 {number} 未通过总检：请车间主管或主管先扫描合格",
    ),
    "cores_due": (
        "Job {number} still owes {count} core(s) ({serials}): return them or have a supervisor waive them",
        "工单 {number} 还有 {count} 个旧件未交回（{serials}）：请交回旧件或由主管豁免",
    ),
    "bad_status": ("Unknown job status {status}; valid: {valid}", "未知工单状态 {status}；可用：{valid}"),
    "bad_hold_reason": ("Unknown hold reason {reason}; valid: {valid}", "未知暂停原因 {reason}；可用：{valid}"),
    "unknown_core": ("Unknown core tag {serial}", "未知旧件标签 {serial}"),
    "core_already_returned": ("Core {serial} was already returned ({at})", "旧件 {serial} 已于 {at} 交回"),
    "core_waived": ("Core {serial} was waived: nothing to do", "旧件 {serial} 已豁免：无需处理"),
    "core_wrong_job": (
        "Core {serial} belongs to job {wo}, not {session_wo}",
        "旧件 {serial} 属于工单 {wo}，不是 {session_wo}",
    ),
    "no_core_due": ("Job {wo} has no {part_no} core due", "工单 {wo} 没有待交回的 {part_no} 旧件"),
    "core_qty_exceeds": (
        "Job {wo} owes only {due} × {part_no} core(s); cannot return {qty}",
        "工单 {wo} 仅有 {due} × {part_no} 旧件待交回，无法回收 {qty}",
    ),
    "core_not_returned": (
        "Core {serial} has not been returned yet: scan C:{serial} first",
        "旧件 {serial} 尚未交回：请先扫描 C:{serial}",
    ),
    "core_already_disposed": (
        "Core {serial} is already judged {disposition}",
        "旧件 {serial} 已判定为{disposition_zh}",
    ),
    "bad_disposition": (
        "Unknown core disposition {disposition}; valid: {valid}",
        "未知旧件处置 {disposition}；可用：{valid}",
    ),
    "no_core_location": ("No core bin is set up (a bin of kind core)", "未设置旧件库位（类型为 core 的库位）"),
    "no_cores_due": ("Job {wo} owes no cores", "工单 {wo} 没有待交回的旧件"),
    "dispose_needs_core": (
        "Judging cores as {disposition}: scan a core tag (C:…), not a part",
        "正在判定旧件为{disposition_zh}：请扫描旧件标签（C:…），而不是配件",
    ),
    "bad_tag": (
        "{code} cannot be a tag: use the fob's or folder's own code",
        "{code} 不能作为标签：请使用钥匙牌或文件夹自身的编码",
    ),
    "bad_tag_kind": ("Unknown tag kind {kind}; valid: {valid}", "未知标签类型 {kind}；可用：{valid}"),
    "tag_in_use": ("Tag {code} is bound to {owner}", "标签 {code} 已绑定到 {owner}"),
    "tag_conflict": (
        "{code} cannot be a tag: it is already {what}, and a scan of it would select the job instead",
        "{code} 不能作为标签：它已是{what_zh}，扫描时会选中工单而不是它",
    ),
    "code_is_tag": (
        "{code} is already {what}: a scan of it would select that tag's job or bin instead",
        "{code} 已是{what_zh}：扫描时会选中该标签的工单或库位",
    ),
    "signature_required": (
        "Job {number} cannot be delivered without the customer's signature",
        "工单 {number} 需要客户签字后才能交车",
    ),
    "tag_unbound": ("Tag {code} is not bound to a job or bin", "标签 {code} 未绑定工单或库位"),
    # floor.core.workorders.keys
    "key_out": ("Key of job {number} ({plate}) out to {name}", "工单 {number}（{plate}）的钥匙已借给 {name}"),
    "key_in": ("Key of job {number} ({plate}) back in the cabinet", "工单 {number}（{plate}）的钥匙已归还钥匙柜"),
    "key_already_in": ("Key of job {number} is already in the cabinet", "工单 {number} 的钥匙已在钥匙柜中"),
    "key_job_closed": (
        "Key tag {code} belongs to job {number}, which is {status}: unbind or rebind the tag",
        "钥匙牌 {code} 属于已{status_zh}的工单 {number}：请解绑或重新绑定",
    ),
    "not_a_key_tag": ("Tag {code} is a {kind} tag, not a key", "标签 {code} 是{kind}标签，不是钥匙牌"),
    # floor.core.workorders.reception
    "mileage_negative": ("Mileage {mileage} is below zero", "里程 {mileage} 小于零"),
    "mileage_bad": ("Mileage must be a whole number of km, not {mileage}", "里程必须是整数公里，而不是 {mileage}"),
    "mileage_below_last": (
        "Mileage {mileage} km is below the last visit of {plate} ({last} km, job {number}): check the odometer",
        "里程 {mileage} 公里低于 {plate} 上次进厂（{last} 公里，工单 {number}）：请核对里程表",
    ),
    "fuel_out_of_range": ("Fuel must be 0–100 %, not {fuel}", "油量必须在 0–100% 之间，而不是 {fuel}"),
    "bad_old_parts": (
        "Old parts must be return or dispose, not {value}",
        "旧件处理必须是带走或不带走，而不是 {value}",
    ),
    "bad_wash": ("Wash must be yes or no, not {value}", "洗车必须是是或否，而不是 {value}"),
    "bad_reception_field": ("Reception field {field}: {detail}", "接车信息 {field}：{detail}"),
    "wo_exists": ("Job {number} already exists", "工单 {number} 已存在"),
    # floor.core.workorders.qc
    "qc_passed": ("Job {number} passed final inspection", "工单 {number} 总检合格"),
    "qc_failed": (
        "Job {number} failed final inspection (rework {rework}): back to in progress",
        "工单 {number} 总检不合格（第 {rework} 次返工）：退回维修中",
    ),
    "qc_not_in_qc": (
        "Job {number} is {status}, not in QC: scan QC first",
        "工单 {number} 当前为{status_zh}，不在质检：请先扫描质检",
    ),
    "qc_already_passed": ("Job {number} has already passed final inspection", "工单 {number} 已通过总检"),
    "own_work": (
        "{name} worked on job {number}: final inspection must be someone else",
        "{name} 参与了工单 {number} 的维修：总检必须由其他人完成",
    ),
    "qc_reason_needed": ("Say why job {number} failed", "请说明工单 {number} 不合格的原因"),
    # floor.core.workorders.handover
    "signature_saved": ("Signature kept with job {number}", "签名已保存到工单 {number}"),
    "delivered": ("Job {number} delivered", "工单 {number} 已交车"),
    # floor.core.clocking.clocks
    "unknown_op_line": (
        "No labour line {id}: scan the OP: barcode printed on the job card",
        "没有工时项目 {id}：请扫描工单上打印的 OP: 条码",
    ),
    "not_labour_line": (
        "Line {id} is a part line: clock onto a labour line",
        "项目 {id} 是配件项目：请选择工时项目",
    ),
    "line_of_other_job": (
        "Line {id} belongs to job {other}, not to job {number} in session",
        "项目 {id} 属于工单 {other}，不属于当前工单 {number}",
    ),
    "job_not_working": (
        "Job {number} is {status}: start it (CMD:START) before clocking on",
        "工单 {number} 状态为{status_zh}：请先开工（CMD:START）再打卡",
    ),
    "line_declined": (
        "Line {id} was declined by the customer: no work is clocked on it",
        "项目 {id} 已被客户拒绝：不能在其上打卡",
    ),
    "line_not_authorized": (
        "Line {id} waits for the customer's yes: no work before it",
        "项目 {id} 尚待客户确认：确认前不能施工",
    ),
    "line_done": (
        "Line {id} is done: a foreman reopens it for rework",
        "项目 {id} 已完工：返工需车间主管重新打开",
    ),
    "not_clocked_on": ("{name} is not clocked onto a line", "{name} 当前未在任何项目上打卡"),
    "line_not_done": (
        "Line {id} is {status}, not done: nothing to reopen",
        "项目 {id} 状态为{status_zh}，未完工：无需重新打开",
    ),
    # floor.application.workshop (the technician's page)
    "not_your_page": (
        "This is {owner}'s page, and the badge is {name}'s: open your own page",
        "这是 {owner} 的页面，而工牌属于 {name}：请打开您自己的页面",
    ),
    "bad_action": ("Clock on, stop or finish ({action}?)", "请选择开始、停止或完工（{action}？）"),
    # accepted
    "clocked_on": ("{name} on line {id} ({op}) of job {number}", "{name} 开始项目 {id}（{op}），工单 {number}"),
    "already_on": ("{name} is already on line {id} of job {number}", "{name} 已在工单 {number} 的项目 {id} 上"),
    "clocked_off": ("{name} off line {id} of job {number}", "{name} 已停止工单 {number} 的项目 {id}"),
    "line_finished": ("Line {id} of job {number} done ({name})", "工单 {number} 的项目 {id} 已完工（{name}）"),
    "job_clocked_off": (
        "Job {number} on hold: {count} technician(s) clocked off",
        "工单 {number} 暂停：{count} 名技师已停止计时",
    ),
    # floor.core.appointments
    "appointment_in_past": (
        "The appointment time {at} is in the past (now {now})",
        "预约时间 {at} 已经过去（现在 {now}）",
    ),
    "appointment_too_far": ("The appointment time {at} is more than a year ahead", "预约时间 {at} 超过一年以后"),
    "bad_appointment_day": (
        "The day must be a date like 2026-11-24 between 1970 and 2999, not {date}",
        "日期须为 1970 至 2999 年之间的日期，如 2026-11-24，而不是 {date}",
    ),
    "bad_appointment_time": (
        "The appointment time must be a date and time like 2026-11-24T09:30, not {at}",
        "预约时间必须是日期和时间，如 2026-11-24T09:30，而不是 {at}",
    ),
    "bad_appointment_field": ("{field}: {detail}", "字段 {field}：{detail_zh}"),
    "unknown_appointment": ("No appointment {id}", "没有预约 {id}"),
    "appointment_cancelled": ("Appointment {id} was cancelled", "预约 {id} 已取消"),
    "appointment_arrived": (
        "Appointment {id} has already arrived as job {number}",
        "预约 {id} 已经到店，工单 {number}",
    ),
}
