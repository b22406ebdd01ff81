"""Bilingual (en / zh-CN) messages of the work-order, core and tag result codes."""

from __future__ import annotations

from floor.models.workorders import CoreDisposition, HoldReason, Status


def zh_params(params: dict[str, object]) -> dict[str, object]:
    """Add the Chinese words of status, disposition and hold reason values to message parameters."""
    out = dict(params)
    if "from_status" in out:
        out.setdefault("from_zh", Status.shown(out["from_status"]))
    if "disposition" in out:
        out.setdefault("disposition_zh", CoreDisposition.shown(out["disposition"]))
    if "reason" in out:
        out.setdefault("reason_en", HoldReason.shown(out["reason"], "en"))
        out.setdefault("reason_zh", HoldReason.shown(out["reason"]))
    return out
