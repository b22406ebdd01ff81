"""After-sales: complaints and follow-ups."""

MESSAGES: dict[str, tuple[str, str]] = {
    # floor.core.aftersales.errors
    "unknown_followup": ("No follow-up {id}", "没有回访 {id}"),
    "followup_closed": (
        "Follow-up {id} is {status}: no more calls are logged on it",
        "回访 {id} 已{status_zh}：不能再记录电话",
    ),
    "bad_score": (
        "A score is a whole number from 0 to 10, given only when the customer was reached (not {score})",
        "评分须为 0 至 10 的整数，且仅在联系上客户时填写（而不是 {score}）",
    ),
    "not_a_comeback": (
        "Job {of} is not a job of this vehicle delivered within {days} days before job {number} came in",
        "工单 {of} 不是本车在工单 {number} 接车前 {days} 天内交车的工单",
    ),
    "unknown_complaint": ("No complaint {id}", "没有投诉 {id}"),
    "bad_complaint_field": ("Complaint {field}: {detail}", "投诉的{field_zh}：{detail_zh}"),
    "complaint_step_order": (
        "Complaint {id} is {status}: it cannot be {step} now",
        "投诉 {id} 当前为{status_zh}：现在不能{step_zh}",
    ),
    "unknown_assignee": (
        "No active person with badge {badge} to assign the complaint to",
        "没有工牌为 {badge} 的在职人员可分派此投诉",
    ),
}
