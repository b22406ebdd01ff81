"""Bilingual (en / zh-CN) messages of the work-order, core and tag result codes."""

from __future__ import annotations

from floor.core import messages
from floor.models.workorders import CoreDisposition, HoldReason, Status

messages.register(
    {
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
        "signature_required": (
            "Job {number} cannot be delivered without the customer's signature",
            "工单 {number} 需要客户签字后才能交车",
        ),
        "tag_unbound": ("Tag {code} is not bound to a job or bin", "标签 {code} 未绑定工单或库位"),
    }
)


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
