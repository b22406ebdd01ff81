"""The one role table (SPEC 9.1): which role may do what. Scans, kiosk and API all ask here.

An action is a short stable name (`issue`, `approve_count`, `import:users`, ...). A site may
override any row with `[roles]` in floor.toml, e.g. `receive = ["storekeeper", "supervisor"]`.
An API token bound to no role (a bare string in `[api] tokens`) acts as `admin`, which may
do everything: that keeps the meaning bare tokens had before roles existed.

The table in force is the site's: `Config.role_table()` (defaults plus `[roles]`). The core reads
no config, so every core check takes that table as an argument (`roles=` / `table=`); there is
deliberately no module-level default table to fall back on, or a core check could silently ignore
a site's override while the web layer obeyed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core.refusal import Refusal
from floor.models.master import ROLES, User

ADMIN = "admin"  # a bare API token: full access

_ALL = frozenset(ROLES)
_STORE = frozenset({"storekeeper", "supervisor"})
_SUP = frozenset({"supervisor"})
_FLOOR_LEADS = frozenset({"foreman", "supervisor"})
_FRONT = frozenset({"advisor", "foreman", "supervisor"})

# action -> roles that may do it. Keep rows grouped by area; every write names its action.
DEFAULT_TABLE: dict[str, frozenset[str]] = {
    # stock by scan ("scan": posting a batch at all; each scan is then checked as its own action)
    "scan": _ALL,
    "issue": frozenset({"technician", "storekeeper", "supervisor", "foreman"}),
    "return": frozenset({"technician", "storekeeper", "supervisor", "foreman"}),
    "receive": _STORE,
    "move": _STORE,
    "count": _STORE | {"technician", "foreman"},  # stocktakes are often counted by technicians
    "undo": _ALL,
    "customer_return": _STORE,
    "accept_late_return": _SUP,  # a customer return after [returns] days (SPEC 10.5)
    # counts and stock administration
    "open_count": _STORE,
    "recompute_abc": _STORE,
    "evaluate_alerts": _ALL,
    "approve_count": _SUP,
    "view_blind": _SUP,
    "edit_stock": _SUP,
    "edit_parts": _STORE,
    "edit_locations": _STORE,
    "edit_users": _SUP,
    "import:parts": _STORE,
    "import:locations": _STORE,
    "import:stock": _SUP,
    "import:users": _SUP,
    "import:workorders": _FRONT | {"storekeeper"},
    "import:customers": _STORE | {"advisor"},
    "deliveries": _STORE,
    "supplier_returns": _STORE,
    # cores and warranty
    "core_return": _ALL,
    "refund_core": _STORE | {"advisor"},  # paying back a sale's core charge is cash: not every badge (issue 24)
    "core_disposition": _STORE,
    "waive_core": _SUP,
    "claim": _STORE | {"advisor"},
    "approve_claim": _SUP,
    "credit_claim": _SUP,
    # jobs
    "create_job": _FRONT,
    "move_job": _ALL,
    "cancel_job": _SUP | {"advisor", "foreman"},
    "pass_qc": _FLOOR_LEADS,
    "reception": _FRONT,
    "book_appointment": _FRONT,
    "reschedule_appointment": _FRONT,
    "cancel_appointment": _FRONT,
    "handover": _FRONT,
    "key_checkout": _ALL,
    "bind_tag": _FRONT | {"storekeeper"},
    # parts demand
    "request_parts": _ALL,
    "cancel_request": _STORE | _FLOOR_LEADS | {"advisor"},
    "approve_request": _SUP,
    "move_reservation": _SUP,
    "special_order": _STORE,
    # sales
    "quote_sale": _STORE | {"advisor"},
    "confirm_sale": _STORE | {"advisor"},
    "approve_sale": _SUP,
    "pick_sale": _STORE,
    "ship_sale": _STORE,
    "cancel_sale": _STORE | {"advisor"},
    "edit_customers": _STORE | {"advisor"},
    # the vehicle file, the repair order and clocking (SPEC 10.1-10.3)
    "edit_vehicles": _FRONT,
    "import:vehicles": _FRONT,
    "edit_operations": _FLOOR_LEADS,
    "import:operations": _FLOOR_LEADS,
    "write_concerns": _FRONT,
    "diagnose": _FRONT | {"technician"},
    "write_lines": _FRONT,
    "take_authorization": _FRONT,
    "reprice_authorized": _SUP,
    "clock": _FLOOR_LEADS | {"technician"},
    "reopen_line": _FLOOR_LEADS,
    # after the car has left (SPEC 10.5)
    "followup_call": _FRONT,
    "decide_comeback": _FRONT,
    "open_complaint": _FRONT | {"storekeeper"},
    "handle_complaint": _FRONT,
    "close_complaint": _SUP,
    # the bill (SPEC 10.4): the cashier's work is the advisor's
    "invoice": _SUP | {"advisor"},
    "discount": _SUP | {"advisor"},
    "approve_discount": _SUP,
    "take_payment": _SUP | {"advisor"},
    "credit_invoice": _SUP,
    "release_unpaid": _SUP,
    # labels, reports
    "print_labels": _ALL,
    # A badge label is a copy of a credential (SPEC 10.6): previews and prints of one.
    "print_badges": _SUP,
    "sign_month_end": _SUP,
    "edit_month_end": _STORE,
}


# How roles and actions are shown (en, zh): every role of ROLES and every action of DEFAULT_TABLE has a row
# (tests/authority/test_role_table.py). The `role_denied` message names them so ("李伟（技师）无权交车"), and the
# kiosk shows roles from here. An action reads after "may not" and after "无权".
ROLE_NAMES: dict[str, tuple[str, str]] = {
    "technician": ("Technician", "技师"),
    "storekeeper": ("Storekeeper", "仓库管理员"),
    "supervisor": ("Supervisor", "主管"),
    "advisor": ("Service advisor", "服务顾问"),
    "foreman": ("Foreman", "车间主管"),
    ADMIN: ("Administrator", "管理员"),
    "nobody": ("nobody", "无人"),  # a check without a person or token (RoleTable.require)
}
ACTION_NAMES: dict[str, tuple[str, str]] = {
    "scan": ("post scans", "提交扫描"),
    "issue": ("issue parts to a job", "领用配件"),
    "return": ("return parts to stock", "退库"),
    "receive": ("receive stock", "入库收货"),
    "move": ("move stock between bins", "移库"),
    "count": ("count stock", "盘点"),
    "undo": ("undo a scan", "撤销扫描"),
    "customer_return": ("take a customer return", "受理客户退货"),
    "open_count": ("open a count", "发起盘点"),
    "recompute_abc": ("recompute the ABC classes", "重算 ABC 分类"),
    "evaluate_alerts": ("re-evaluate the alerts", "重新评估预警"),
    "approve_count": ("approve a count", "审批盘点"),
    "view_blind": ("see a blind count's book quantities", "查看盲盘的账面数量"),
    "edit_stock": ("set stock levels", "修改库存数量"),
    "edit_parts": ("edit parts", "编辑配件"),
    "edit_locations": ("edit bins", "编辑库位"),
    "edit_users": ("edit people", "编辑人员"),
    "import:parts": ("import parts", "导入配件"),
    "import:locations": ("import bins", "导入库位"),
    "import:stock": ("import stock levels", "导入库存"),
    "import:users": ("import people", "导入人员"),
    "import:workorders": ("import jobs", "导入工单"),
    "import:customers": ("import customers", "导入客户"),
    "deliveries": ("handle supplier deliveries", "处理供应商到货"),
    "supplier_returns": ("return parts to suppliers", "办理退供应商"),
    "core_return": ("take back a core", "回收旧件"),
    "refund_core": ("refund a sale's core charge", "退还销售旧件押金"),
    "core_disposition": ("judge a returned core", "判定旧件处理"),
    "waive_core": ("waive a due core", "免除旧件回收"),
    "claim": ("make a warranty claim", "办理三包索赔"),
    "approve_claim": ("approve a warranty claim", "审批索赔"),
    "credit_claim": ("book a claim's credit", "索赔入账"),
    "create_job": ("create a job", "创建工单"),
    "move_job": ("move a job to another status", "变更工单状态"),
    "cancel_job": ("cancel a job", "取消工单"),
    "pass_qc": ("judge the final QC", "总检判定"),
    "reception": ("receive a car", "接车"),
    "book_appointment": ("book an appointment", "预约"),
    "reschedule_appointment": ("move an appointment", "改约"),
    "cancel_appointment": ("cancel an appointment", "取消预约"),
    "handover": ("hand a car over", "交车"),
    "key_checkout": ("take a key from the cabinet", "从钥匙柜取钥匙"),
    "bind_tag": ("attach a key or folder tag", "绑定钥匙或文件夹标签"),
    "request_parts": ("request parts", "申请配件"),
    "cancel_request": ("cancel a part request", "取消配件申请"),
    "approve_request": ("approve a part request", "审批配件申请"),
    "move_reservation": ("move reserved stock", "转移预留库存"),
    "special_order": ("place special orders", "办理特殊订货"),
    "quote_sale": ("quote a sale", "销售报价"),
    "confirm_sale": ("confirm a sale", "确认销售单"),
    "approve_sale": ("approve discounted prices", "审批折扣价"),
    "pick_sale": ("pick a sale", "销售拣货"),
    "ship_sale": ("ship a sale", "销售发货"),
    "cancel_sale": ("cancel a sale", "取消销售单"),
    "edit_customers": ("edit customers", "编辑客户"),
    "edit_vehicles": ("register or change a vehicle", "登记或修改车辆"),
    "import:vehicles": ("import vehicles", "导入车辆"),
    "edit_operations": ("edit the labour operations", "编辑工时项目"),
    "import:operations": ("import labour operations", "导入工时项目"),
    "write_concerns": ("write down the customer's concerns", "记录客户故障描述"),
    "diagnose": ("write a concern's cause and correction", "填写故障原因和处理措施"),
    "write_lines": ("add or change a job's lines", "添加或修改维修项目"),
    "take_authorization": ("take the customer's yes or no", "记录客户确认或拒绝"),
    "reprice_authorized": ("change a line the customer said yes to", "修改客户已确认的项目"),
    "clock": ("clock on and off labour lines", "工时打卡"),
    "reopen_line": ("reopen a finished line for rework", "重新打开已完工项目返工"),
    "accept_late_return": ("accept a customer return after the return window", "受理逾期客户退货"),
    "followup_call": ("log a follow-up call", "记录回访电话"),
    "decide_comeback": ("confirm or dismiss a comeback", "确认或排除返修"),
    "open_complaint": ("take in a complaint", "受理投诉"),
    "handle_complaint": ("assign, answer or resolve a complaint", "分派、回复或解决投诉"),
    "close_complaint": ("close a complaint", "投诉结案"),
    "invoice": ("invoice a job", "为工单开票"),
    "discount": ("give a discount", "给予折扣"),
    "approve_discount": ("approve a discount", "审批折扣"),
    "take_payment": ("take a payment", "收款"),
    "credit_invoice": ("issue a credit note", "开具红字发票"),
    "release_unpaid": ("release a car unpaid", "未付款放行车辆"),
    "print_labels": ("print labels", "打印标签"),
    "print_badges": ("print or preview badge labels", "打印或预览工牌标签"),
    "sign_month_end": ("sign the month-end", "签署月结"),
    "edit_month_end": ("write month-end proposals", "填写月结处理建议"),
}


def role_shown(role: str) -> tuple[str, str]:
    """A role's (en, zh) name; an unknown one (`nobody`, `-`) as itself."""
    return ROLE_NAMES.get(role) or (role, role)


def action_shown(action: str) -> tuple[str, str]:
    """An action's (en, zh) name; an unknown one as itself."""
    return ACTION_NAMES.get(action) or (action, action)


def names_shown(params: Mapping[str, Any]) -> dict[str, str]:
    """`role_name`, `action_name` (and `_zh`) for messages whose parameters name a role or an action of the table.

    An `allowed` parameter (the roles that may) is named after the action, so the reader knows whose badge to fetch.
    """
    out: dict[str, str] = {}
    if "role" in params:
        out["role_name"], out["role_name_zh"] = role_shown(str(params["role"]))
    if "action" in params:
        en, zh = action_shown(str(params["action"]))
        if "allowed" in params:
            names = [role_shown(str(r)) for r in params["allowed"]]
            en += f" (allowed: {', '.join(n[0] for n in names) or '-'})"
            zh += f"（可由{'、'.join(n[1] for n in names) or '-'}操作）"
        out["action_name"], out["action_name_zh"] = en, zh
    return out


class NotAllowed(Refusal):
    """A person or token may not do an action: code `role_denied`, with who, role and action (and who may)."""

    def __init__(self, action: str, role: str, name: str = "-", allowed: Iterable[str] | None = None) -> None:
        super().__init__("role_denied", name=name, role=role, action=action)
        self.args = (f"{name} ({role}) may not {action}",)
        self.action = action
        self.role = role
        self.name = name
        if allowed is not None:  # named in the message after the action
            self.params["allowed"] = sorted(allowed)


class BadgeError(Refusal):
    """A badge names nobody (`unknown_badge`) or someone no longer active (`inactive_badge`)."""

    def __init__(self, code: str, badge: str, name: str = "-") -> None:
        super().__init__(code, badge=badge, name=name)
        self.args = (f"{code}: {badge}",)


def resolve_badge(session: Session, badge: str) -> User:
    """THE look-up of who is acting: the active person with this badge (a scanned `U:` prefix is accepted).

    Raises BadgeError `unknown_badge` or `inactive_badge`; the web maps both to 403.
    """
    code = (badge or "").strip()
    if code[:2].upper() == "U:":
        code = code[2:].strip()
    shown = code[:40]
    user = session.scalar(select(User).where(User.badge == code)) if code else None
    if user is None:
        raise BadgeError("unknown_badge", shown)
    if not user.active:
        raise BadgeError("inactive_badge", mask_badge(shown), user.name)  # a real (old) badge: never in full
    return user


MASK = "••••"


def mask_badge(badge: str | None) -> str:
    """A badge as everyone but the admin page sees it (SPEC 10.6: a badge is used as a credential).

    The one masked form: `••••` and, for a badge of 8 characters or more, its last two (so at least six stay
    hidden); a short badge shows nothing of itself. Screens name the person instead (`person_shown`).
    """
    if not badge:
        return ""
    return MASK + (badge[-2:] if len(badge) >= 8 else "")


def masked_scan_text(text: str) -> str:
    """A scan's text as screens show it: a badge scan (`U:…`) masked, anything else as scanned."""
    return "U:" + mask_badge(text[2:].strip()) if text[:2].upper() == "U:" else text


def person_shown(name: str | None, role: str | None) -> dict[str, str] | None:
    """A person as screens, CSV files and API answers name them (`by`, `technician`, `holder`...): name and role.

    Never the badge (SPEC 10.6); None for nobody.
    """
    if name is None and role is None:
        return None
    return {"name": name or "", "role": role or ""}


class RoleBearer(Protocol):
    """Anything with a role (its name, when it has one, goes into the refusal)."""

    @property
    def role(self) -> str: ...


class HasRole(Protocol):
    """Anything with a role and a name: a User row, a UserInfo, a token principal."""

    @property
    def role(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class RoleTable:
    """Which roles may do each action; built from the defaults and a site's `[roles]` overrides."""

    rows: Mapping[str, frozenset[str]] = field(default_factory=lambda: dict(DEFAULT_TABLE))

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, Iterable[str]] | None) -> RoleTable:
        """The default table with some rows replaced; unknown actions or roles raise ValueError."""
        rows = dict(DEFAULT_TABLE)
        for action, roles in (overrides or {}).items():
            if action not in DEFAULT_TABLE:
                raise ValueError(f"unknown action {action!r} in [roles]")
            bad = [r for r in roles if r not in ROLES]
            if bad:
                raise ValueError(f"[roles] {action}: unknown role {bad[0]!r} (roles: {', '.join(ROLES)})")
            rows[action] = frozenset(roles)
        return cls(rows)

    def may(self, role: str | None, action: str) -> bool:
        """Whether a role may do an action (admin may do everything; unknown actions nobody)."""
        if role == ADMIN:
            return True
        return role is not None and role in self.rows.get(action, frozenset())

    def require(self, who: RoleBearer | None, action: str) -> None:
        """Raise NotAllowed unless `who` may do `action`."""
        role = getattr(who, "role", None)
        if not self.may(role, action):
            raise NotAllowed(action, role or "nobody", getattr(who, "name", None) or "-")

    def roles_for(self, action: str) -> frozenset[str]:
        """The roles that may do an action."""
        return self.rows.get(action, frozenset())
