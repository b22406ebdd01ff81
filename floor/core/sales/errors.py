"""The sales error, the role check, and the bilingual messages of every sales, core-charge and claim code."""

from __future__ import annotations

from typing import Any

from floor.core.authority import NotAllowed, RoleTable
from floor.core.stockflow import StockFlowError

ACTION_ZH = {
    "confirm": "确认",
    "approve": "审批",
    "ship": "发货",
    "cancel": "取消",
    "pick": "拣货",
    "submit": "提交",
    "reject": "驳回",
    "credit": "入账",
    "list": "查询",
}
STATUS_ZH = {
    "quote": "报价",
    "awaiting_approval": "待审批",
    "approved": "已批准",
    "shipped": "已发货",
    "cancelled": "已取消",
    "draft": "草稿",
    "submitted": "已提交",
    "rejected": "已驳回",
    "credited": "已入账",
}


class SaleError(StockFlowError):
    """A sales, core-charge or claim rule refused a change: a rejected scan, or an API 4xx (status by code in `floor.http.errors`)."""

    def __init__(self, code: str, /, **params: Any) -> None:
        # The Chinese message names the action and status in Chinese.
        if "action" in params:
            params.setdefault("action_zh", ACTION_ZH.get(str(params["action"]), params["action"]))
        if "status" in params:
            params.setdefault("status_zh", STATUS_ZH.get(str(params["status"]), params["status"]))
        super().__init__(code, **params)


def require(roles: RoleTable, who: Any, action: str) -> None:
    """Raise SaleError(role_denied) unless the site's role table lets `who` (a User or UserInfo) do `action`."""
    if who is None:
        raise SaleError("no_actor")
    try:
        roles.require(who, action)
    except NotAllowed as exc:
        raise SaleError("role_denied", **exc.params) from None
