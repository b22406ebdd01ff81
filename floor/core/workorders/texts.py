"""Bilingual (en / zh-CN) messages of the work-order, core and tag result codes."""

from __future__ import annotations

from floor.core import messages

DISPOSITION_ZH = {
    "reusable": "可再利用",
    "scrap": "报废",
    "warranty": "三包索赔",
    "supplier_core": "退供应商旧件",
    "customer_kept": "客户带走",
}
HOLD_ZH = {"parts": "等待配件", "approval": "等待客户确认增项"}
HOLD_EN = {"parts": "waiting for parts", "approval": "waiting for the customer's approval"}


def zh_params(params: dict[str, object]) -> dict[str, object]:
    """Add the Chinese words of status, disposition and hold reason values to message parameters."""
    out = dict(params)
    if "from_status" in out:
        out.setdefault("from_zh", messages.STATUS_ZH.get(str(out["from_status"]), out["from_status"]))
    if "disposition" in out:
        out.setdefault("disposition_zh", DISPOSITION_ZH.get(str(out["disposition"]), out["disposition"]))
    if "reason" in out:
        out.setdefault("reason_en", HOLD_EN.get(str(out["reason"]), out["reason"]))
        out.setdefault("reason_zh", HOLD_ZH.get(str(out["reason"]), out["reason"]))
    return out
