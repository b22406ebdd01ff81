"""Who may do what, as the config says: `[api] tokens` (each token's role and stations) and `[roles]` overrides.

The site's role table itself is built from these by `Config.role_table()` (the defaults of
`floor.core.authority` with the `[roles]` rows replaced).
"""

from __future__ import annotations

from typing import Any

from floor.config.model import ApiToken, Config, ConfigError
from floor.core.authority import ADMIN, RoleTable
from floor.models.master import ROLES


def parse_tokens(cfg: Config, tokens: Any) -> None:
    """`[api] tokens`: bare strings (admin everywhere) or `{token, role, stations}` tables, into `cfg`."""
    shape = '[api] tokens must be a list of strings or {token = "...", role = "...", stations = [...]} tables'
    if not isinstance(tokens, list):
        raise ConfigError(shape)
    for i, item in enumerate(tokens):
        if isinstance(item, str):
            entry = ApiToken(item)
        elif isinstance(item, dict) and isinstance(item.get("token"), str):
            role = item.get("role", ADMIN)
            if role != ADMIN and role not in ROLES:
                raise ConfigError(
                    f"[api] tokens #{i + 1}: role must be one of {', '.join(ROLES)} or admin, not {role!r}"
                )
            stations = item.get("stations", [])
            if not isinstance(stations, list) or not all(isinstance(x, str) for x in stations):
                raise ConfigError(f"[api] tokens #{i + 1}: stations must be a list of station names")
            extra = sorted(set(item) - {"token", "role", "stations"})
            if extra:
                raise ConfigError(f"[api] tokens #{i + 1}: unknown key {extra[0]!r} (known: token, role, stations)")
            entry = ApiToken(item["token"], str(role), tuple(stations))
        else:
            raise ConfigError(shape)
        if not entry.token.strip():
            raise ConfigError(f"[api] tokens #{i + 1}: the token is empty")
        cfg.api_tokens.append(entry.token)
        cfg.token_roles[entry.token] = entry


def parse_roles(cfg: Config, table: Any) -> None:
    """`[roles]`: action = [roles...] overrides of the role table, checked against its actions and roles."""
    if not isinstance(table, dict) or not all(isinstance(v, list) for v in table.values()):
        raise ConfigError('[roles] maps actions to lists of roles, e.g. receive = ["storekeeper", "supervisor"]')
    try:
        RoleTable.with_overrides(table)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    cfg.roles = {str(k): [str(r) for r in v] for k, v in table.items()}
