"""The one role table: every action has a role, overrides from `[roles]`, and no role names in checks elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from floor.config import ConfigError
from floor.core import messages
from floor.core.authority import ACTION_NAMES, ADMIN, DEFAULT_TABLE, ROLE_NAMES, NotAllowed, RoleTable
from floor.models.master import ROLES
from tests.conftest import make_config

FLOOR = Path(__file__).parents[2] / "floor"
# Checks by role name outside the table: `x.role in (...)`, `role != "supervisor"`, `FOO_ROLES = (...)`, `MAY_...`.
ROLE_CHECK = re.compile(
    r"""\.role\s*(?:not\s+in|in|==|!=)\s*[("'\[]|\brole\s*(?:not\s+in|in)\s*\(|[A-Z_]+_ROLES\s*=|\bMAY_[A-Z]+\s*="""
)
# Not permissions: who becomes a job's technician when they take it; the demo picking its simulated technicians.
NOT_A_PERMISSION = {
    ("core/workorders/scans.py", 'actor.role == "technician"'),
    ("demo/run.py", 'User.role == "technician"'),
    ("demo/run.py", 'User.role == "advisor"'),  # the demo picks who plays the advisor, not who may
}


def test_every_action_has_a_role_and_only_known_roles():
    """GIVEN the default table THEN each action names at least one role, and only the five roles of the contract."""
    for action, roles in DEFAULT_TABLE.items():
        assert roles, f"{action} has no role"
        assert roles <= set(ROLES), action
    for needed in ("issue", "return", "receive", "move", "count", "approve_count", "waive_core", "pass_qc"):
        assert needed in DEFAULT_TABLE
    assert all(f"import:{k}" in DEFAULT_TABLE for k in ("parts", "locations", "stock", "users", "workorders"))


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_role_and_action_has_an_en_and_zh_name():
    """GIVEN the role table THEN each of its roles and actions has an English and a Chinese name, none shared."""
    for key, names in [*((r, ROLE_NAMES.get(r)) for r in ROLES), *((a, ACTION_NAMES.get(a)) for a in DEFAULT_TABLE)]:
        assert names is not None, f"{key} has no display name in floor/core/authority.py"
        en, zh = names
        assert en.isascii() and en.strip() and _chinese(zh), (key, names)
    for table in (ROLE_NAMES, ACTION_NAMES):
        assert len({en for en, _zh in table.values()}) == len(table) and len({zh for _en, zh in table.values()}) == len(
            table
        ), "two rows share a name"


def test_role_denied_names_role_and_action_in_each_language():
    """GIVEN a refusal of the table WHEN its message is rendered THEN the English names the role and the action in
    English, the Chinese in Chinese (no `handover` or `technician` inside the Chinese); who may, when given, too."""
    with pytest.raises(NotAllowed) as err:
        RoleTable().require(_Person("Li Wei", "technician"), "handover")
    en, zh = messages.render(err.value.code, err.value.params)
    assert en == "Li Wei (Technician) may not hand a car over"
    assert zh == "Li Wei（技师）无权交车"
    en, zh = messages.render("role_denied", NotAllowed("approve_count", "foreman", "Zhao Lei", {"supervisor"}).params)
    assert en == "Zhao Lei (Foreman) may not approve a count (allowed: Supervisor)"
    assert zh == "Zhao Lei（车间主管）无权审批盘点（可由主管操作）"
    # An action the table does not know is shown as itself rather than dropped.
    assert (
        messages.render("role_denied", {"name": "X", "role": "advisor", "action": "fly"})[1] == "X（服务顾问）无权fly"
    )


class _Person:
    def __init__(self, name: str, role: str) -> None:
        self.name, self.role = name, role


def test_table_answers_and_admin_may_everything():
    """GIVEN the defaults THEN a storekeeper may receive, a technician may not; admin may all; nobody unknown actions."""
    t = RoleTable()
    assert t.may("storekeeper", "receive") and not t.may("technician", "receive")
    assert t.may("supervisor", "edit_users") and not t.may("storekeeper", "edit_users")
    assert t.may(ADMIN, "receive") and not t.may("supervisor", "no_such_action") and not t.may(None, "issue")


def test_roles_overrides_from_the_config():
    """GIVEN `[roles] receive = [...technician]` THEN the config's table lets technicians receive; bad names are errors."""
    cfg = make_config(roles={"receive": ["technician", "storekeeper"]})
    assert cfg.role_table().may("technician", "receive")
    assert not make_config().role_table().may("technician", "receive")
    with pytest.raises(ConfigError, match=r"\[roles\]: unknown key 'recieve'; did you mean 'receive'"):
        make_config(roles={"recieve": ["technician"]})
    with pytest.raises(ConfigError, match="unknown role"):
        make_config(roles={"receive": ["pilot"]})


def test_the_table_is_the_only_place_roles_are_checked():
    """GIVEN every module of floor THEN none checks a role by name: they all ask the role table."""
    found = []
    for path in FLOOR.rglob("*.py"):
        rel = path.relative_to(FLOOR).as_posix()
        if rel == "core/authority.py":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if ROLE_CHECK.search(line) and not any(rel == f and s in line for f, s in NOT_A_PERMISSION):
                found.append(f"{rel}: {line.strip()}")
    assert not found, "role checks outside floor/core/authority.py:\n" + "\n".join(found)


# Reading the default table instead of the site's: the table module itself, the config's registry of known keys
# (the keys of `[roles]` are the table's actions), and the benches (which have no site) may; nothing else.
DEFAULT_READ = re.compile(r"\bDEFAULT_TABLE\b|\bRoleTable\(\)|\bauthority\s+import\s+DEFAULT\b")
MAY_READ_DEFAULTS = ("core/authority.py", "config/tables.py", "bench/")


def test_every_check_takes_the_sites_table():
    """GIVEN every module of floor THEN none reads the default role table: each check is handed the site's
    (`Config.role_table()`, defaults plus `[roles]`), so web, kiosk, scans and core never disagree."""
    found = []
    for path in FLOOR.rglob("*.py"):
        rel = path.relative_to(FLOOR).as_posix()
        if rel.startswith(MAY_READ_DEFAULTS):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if DEFAULT_READ.search(line):
                found.append(f"{rel}: {line.strip()}")
    assert not found, "the default role table read outside floor/core/authority.py:\n" + "\n".join(found)
    assert DEFAULT_READ.search("from floor.core.authority import DEFAULT as ROLES")  # the pattern still bites


def test_token_tables_in_the_config():
    """GIVEN `[api] tokens` with a bare string and a table THEN the bare one is admin everywhere, the table bound."""
    cfg = make_config(api={"tokens": ["bare", {"token": "t2", "role": "storekeeper", "stations": ["dock-1"]}]})
    assert cfg.api_tokens == ["bare", "t2"]
    assert cfg.token_roles["bare"].role == ADMIN and cfg.token_roles["bare"].may_use_station("counter-1")
    assert cfg.token_roles["t2"].role == "storekeeper" and not cfg.token_roles["t2"].may_use_station("counter-1")
    with pytest.raises(ConfigError, match="role"):
        make_config(api={"tokens": [{"token": "x", "role": "pilot"}]})
    with pytest.raises(ConfigError, match="unknown key"):
        make_config(api={"tokens": [{"token": "x", "rol": "technician"}]})


def test_enrolment_default_is_off_without_the_key_and_on_in_the_sample():
    """GIVEN no [kiosk] table THEN enrolment is not required; `floor init`'s sample config requires it."""
    import tomllib

    from floor.config import parse_config

    assert make_config().kiosk.require_enrolment is False
    sample = (FLOOR / "cli" / "sample_config.toml").read_text(encoding="utf-8")
    assert parse_config(tomllib.loads(sample)).kiosk.require_enrolment is True


def test_authority_page_lists_every_action_of_the_table_and_nothing_else():
    """GIVEN docs/authority.md's role table THEN it has exactly one row per action of the role table, with its
    roles, and no row for an action the table does not have."""
    page = (FLOOR.parent / "docs" / "authority.md").read_text(encoding="utf-8")
    section = page.split("## The role table", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| ([a-z, ]+) \|$", section, flags=re.MULTILINE)
    actions = [action for action, _roles in rows]
    assert len(actions) == len(set(actions)), "an action has two rows"
    documented = {action: set(roles.split(", ")) for action, roles in rows}
    assert documented == {action: set(roles) for action, roles in DEFAULT_TABLE.items()}
    for action, roles in DEFAULT_TABLE.items():
        assert f"| `{action}` | {', '.join(sorted(roles))} |" in section, action
