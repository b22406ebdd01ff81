"""What the core reads of the site's configuration: a station's settings and the few site settings rules take.

The config ring sits above the core (it imports the core's role table and settings types to check a
floor.toml), so the core names no config class: `floor.config.Config` and `StationConfig` have these
shapes and are what the runtime passes in.
"""

from __future__ import annotations

from typing import Any, Protocol

from floor.core.authority import RoleTable


class Station(Protocol):
    """One scanning station as the scan path reads it (`floor.config.StationConfig`)."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def default_location(self) -> str | None: ...
    @property
    def printer(self) -> str | None: ...
    @property
    def require_badge(self) -> bool: ...
    @property
    def idle_timeout_s(self) -> float: ...


class Site(Protocol):
    """The site's settings as the scan path reads them (`floor.config.Config`)."""

    @property
    def require_signature(self) -> bool: ...
    @property
    def returns_days(self) -> int: ...
    @property
    def raw(self) -> dict[str, Any]: ...

    def station(self, name: str) -> Station:
        """The named station (an unknown name is the config's error)."""
        ...

    def role_table(self) -> RoleTable:
        """The role table in force: the defaults with the site's `[roles]` overrides."""
        ...
