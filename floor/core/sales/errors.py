"""The sales error, the role check, and the bilingual messages of every sales, core-charge and claim code."""

from __future__ import annotations

from typing import Any

from floor.core.authority import NotAllowed, RoleTable
from floor.core.stockflow import StockFlowError
from floor.models.named import NamedState
from floor.models.sales import ClaimStatus, SaleStatus


class SaleStep(NamedState):
    """What was tried on a sale or a claim, as a refusal names it (销售单 … 不能发货)."""

    CONFIRM = "confirm", "confirm", "确认"
    APPROVE = "approve", "approve", "审批"
    SHIP = "ship", "ship", "发货"
    CANCEL = "cancel", "cancel", "取消"
    PICK = "pick", "pick", "拣货"
    SUBMIT = "submit", "submit", "提交"
    REJECT = "reject", "reject", "驳回"
    CREDIT = "credit", "credit", "入账"
    LIST = "list", "list", "查询"


def _status_zh(status: object) -> str:
    """A sale's or a claim's status in Chinese (their values overlap only where the words agree: approved)."""
    known = SaleStatus.parse(status) or ClaimStatus.parse(status)
    return known.zh if known is not None else str(status)


class SaleError(StockFlowError):
    """A sales, core-charge or claim rule refused a change: a rejected scan, or an API 4xx (status by code in `floor.http.errors`)."""

    def __init__(self, code: str, /, **params: Any) -> None:
        # The Chinese message names the action and status in Chinese.
        if "action" in params:
            params.setdefault("action_zh", SaleStep.shown(params["action"]))
        if "status" in params:
            params.setdefault("status_zh", _status_zh(params["status"]))
        super().__init__(code, **params)


def require(roles: RoleTable, who: Any, action: str) -> None:
    """Raise SaleError(role_denied) unless the site's role table lets `who` (a User or UserInfo) do `action`."""
    if who is None:
        raise SaleError("no_actor")
    try:
        roles.require(who, action)
    except NotAllowed as exc:
        raise SaleError("role_denied", **exc.params) from None
