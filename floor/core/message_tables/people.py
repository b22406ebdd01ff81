"""Who may act: the role table, badges, PINs, supervisors, signatures."""

MESSAGES: dict[str, tuple[str, str]] = {
    # floor.core.authority
    "inactive_badge": ("Badge {badge} ({name}) is no longer active", "工牌 {badge}（{name}）已停用"),
    # floor.core.badges
    "badge_taken": ("Badge {badge} already belongs to someone", "工牌 {badge} 已被他人使用"),
    "bad_badge_code": (
        "A badge is 4 to 64 letters, digits, '-' or '_'",
        "工牌须为 4 至 64 位字母、数字、“-”或“_”",
    ),
    # floor.core.pins
    "pin_required": (
        '{name}\'s PIN is needed to {action_name}: enter it on the PIN pad (API: "pin")',
        '{action_name_zh}需要{name}的 PIN 码：请在密码键盘上输入（API："pin"）',
    ),
    "pin_not_set": (
        "{name} has no PIN yet: ask a supervisor or admin to set one (floor users set-pin)",
        "{name}尚未设置 PIN 码：请主管或管理员设置（floor users set-pin）",
    ),
    "bad_pin": (
        "Wrong PIN for {name}: {left} tries left before privileged acts lock for {minutes} minutes",
        "{name}的 PIN 码错误：再错 {left} 次，特权操作将锁定 {minutes} 分钟",
    ),
    "pin_locked": (
        "{name}'s PIN is locked after {tries} wrong tries until {until}: wait, or ask a supervisor or admin "
        "to reset it (floor users set-pin)",
        "{name}的 PIN 码已因连续 {tries} 次输错锁定至 {until}：请等待，或请主管或管理员重设（floor users set-pin）",
    ),
    "bad_pin_format": (
        "A PIN is {min} to {max} digits (0-9)",
        "PIN 码须为 {min} 至 {max} 位数字（0-9）",
    ),
    "four_eyes": (
        "Four eyes: {name} did this work and may not {action_name} too; someone else must approve",
        "四眼原则：{name}经手了此项，不能再{action_name_zh}，须由他人审批",
    ),
    # floor.core.supervisors
    "last_supervisor": (
        "{name} is the last active supervisor and stays one: make someone else supervisor first",
        "{name} 是最后一位在职主管，不能降级或停用：请先任命另一位主管",
    ),
    # floor.core.signatures
    "bad_signature": ("The signature is not a usable PNG image: {detail}", "签名不是有效的 PNG 图片：{detail}"),
    "signature_blank": (
        "The signature has no ink on it ({detail}): ask the customer to sign on the pad",
        "签名上没有笔迹（{detail}）：请客户在签名板上签字",
    ),
}
