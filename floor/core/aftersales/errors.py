"""After-sales refusals (`AftersalesError`), the role rows they check, and the messages of their codes (en, zh)."""

from __future__ import annotations

from typing import Any

from floor.core.authority import NotAllowed, RoleTable
from floor.core.scanning.context import Reject

# The rows of the role table (floor.core.authority) the after-sales writes check.
FOLLOWUP_CALL = "followup_call"
DECIDE_COMEBACK = "decide_comeback"
OPEN_COMPLAINT = "open_complaint"
HANDLE_COMPLAINT = "handle_complaint"  # assign, respond, resolve
CLOSE_COMPLAINT = "close_complaint"

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
_STEP_ZH = {"assigned": "分派", "responded": "回复", "resolved": "解决", "closed": "结案"}
_STATUS_ZH = {
    "open": "新投诉",
    "assigned": "已分派",
    "responded": "已回复",
    "resolved": "已解决",
    "closed": "已结案",
    "done": "回访完成",
    "failed": "回访失败",
}


class AftersalesError(Reject):
    """An after-sales rule refused a change (an API 4xx by code)."""

    def __init__(self, code: str, /, **params: Any) -> None:
        if "field" in params:
            params.setdefault("field_zh", _FIELD_ZH.get(str(params["field"]), str(params["field"])))
        if "detail" in params:
            params.setdefault("detail_zh", params["detail"])
        if "status" in params:
            params.setdefault("status_zh", _STATUS_ZH.get(str(params["status"]), str(params["status"])))
        if "step" in params:
            params.setdefault("step_zh", _STEP_ZH.get(str(params["step"]), str(params["step"])))
        super().__init__(code, **params)


def require(table: RoleTable, who: Any, action: str) -> None:
    """The site's role table's verdict: `role_denied` (403) naming who and what."""
    try:
        table.require(who, action)
    except NotAllowed as exc:
        raise AftersalesError("role_denied", **exc.params) from None
