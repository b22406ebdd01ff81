"""After-sales refusals (`AftersalesError`), the role rows they check, and the messages of their codes (en, zh)."""

from __future__ import annotations

from typing import Any

from floor.core import messages
from floor.core.authority import NotAllowed, RoleTable
from floor.core.scanning.context import Reject
from floor.models.aftersales import ComplaintStatus, FollowupStatus
from floor.models.named import NamedState

# The rows of the role table (floor.core.authority) the after-sales writes check.
FOLLOWUP_CALL = "followup_call"
DECIDE_COMEBACK = "decide_comeback"
OPEN_COMPLAINT = "open_complaint"
HANDLE_COMPLAINT = "handle_complaint"  # assign, respond, resolve
CLOSE_COMPLAINT = "close_complaint"

messages.register(
    {
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
)

_FIELD_ZH = {
    "text": "内容",
    "note": "备注",
    "category": "类别",
    "channel": "渠道",
    "customer": "客户",
    "vehicle": "车辆",
    "workorder": "工单",
    "to": "处理人",
}


class ComplaintAction(NamedState):
    """The step that brings a complaint to a status, named as a verb (现在不能结案); values are the statuses."""

    ASSIGNED = ComplaintStatus.ASSIGNED.value, "assigned", "分派"
    RESPONDED = ComplaintStatus.RESPONDED.value, "responded to", "回复"
    RESOLVED = ComplaintStatus.RESOLVED.value, "resolved", "解决"
    CLOSED = ComplaintStatus.CLOSED.value, "closed", "结案"


def _status_zh(status: object) -> str:
    # A complaint's status, or a follow-up's: only a closed follow-up is named (done, failed), never `open`.
    known = ComplaintStatus.parse(status) or FollowupStatus.parse(status)
    return known.zh if known is not None else str(status)


class AftersalesError(Reject):
    """An after-sales rule refused a change (an API 4xx by code)."""

    def __init__(self, code: str, /, **params: Any) -> None:
        if "field" in params:
            params.setdefault("field_zh", _FIELD_ZH.get(str(params["field"]), str(params["field"])))
        if "detail" in params:
            params.setdefault("detail_zh", params["detail"])
        if "status" in params:
            params.setdefault("status_zh", _status_zh(params["status"]))
        if "step" in params:
            params.setdefault("step_zh", ComplaintAction.shown(params["step"]))
        super().__init__(code, **params)


def require(table: RoleTable, who: Any, action: str) -> None:
    """The site's role table's verdict: `role_denied` (403) naming who and what."""
    try:
        table.require(who, action)
    except NotAllowed as exc:
        raise AftersalesError("role_denied", **exc.params) from None
