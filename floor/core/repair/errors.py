"""The repair order's refusal (`RepairError`), its role check, and the messages of its codes (en, zh)."""

from __future__ import annotations

from typing import Any

from floor.core.authority import NotAllowed, RoleTable
from floor.core.scanning.context import Reject
from floor.models.repair import LineStatus

# The rows of the role table (floor.core.authority) that the repair order and clocking check.
WRITE_CONCERNS = "write_concerns"  # the customer's words
DIAGNOSE = "diagnose"  # a concern's cause and correction
WRITE_LINES = "write_lines"  # lines added or changed before the customer's yes
REPRICE = "reprice_authorized"  # a line changed after the yes (it goes back to proposed)
TAKE_YES = "take_authorization"  # the customer's yes or no
EDIT_OPERATIONS = "edit_operations"  # the labour catalogue
CLOCK = "clock"  # clocking on and off labour lines, finishing them

_FIELD_ZH = {
    "text": "内容",
    "cause": "原因",
    "correction": "处理措施",
    "qty": "数量",
    "hours": "工时",
    "safety": "安全项",
    "concern": "故障描述",
    "op": "工时项目",
    "part_no": "配件号",
}


class RepairError(Reject):
    """A repair-order or clocking rule refused a change (an API 4xx by code, a rejected scan)."""

    def __init__(self, code: str, /, **params: Any) -> None:
        # The Chinese message names fields and states in Chinese (`field_zh`, `status_zh`, ...).
        if "field" in params:
            params.setdefault("field_zh", _FIELD_ZH.get(str(params["field"]), str(params["field"])))
        if "detail" in params:
            params.setdefault("detail_zh", params["detail"])
        line_status = LineStatus.parse(params.get("status"))
        if line_status is not None:
            params.setdefault("status_zh", line_status.zh)
        super().__init__(code, **params)


def require(table: RoleTable, who: Any, action: str) -> None:
    """The site's role table's verdict as a repair-order refusal: `role_denied` (403) naming who and what."""
    try:
        table.require(who, action)
    except NotAllowed as exc:
        raise RepairError("role_denied", **exc.params) from None
