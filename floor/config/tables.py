"""The known tables and keys of floor.toml (the registry): one dataclass per table, its fields the keys.

Every table and key a floor.toml may hold is a field of a dataclass named in TABLES: a typo
(`require_bagde`) or a table nobody reads is refused with the nearest known name, instead of
being silently ignored (`floor.config.known_keys`). To add a table, write a dataclass whose fields
are its keys and add one line to TABLES (the class itself: the config ring imports the core). A field
whose value is itself a table or an array of tables names its dataclass with `field(metadata={"table":
Cls})`; tables by name (`[api.tokens.alice]`) use `metadata={"named_tables": Cls}`; `metadata={"flat":
(...)}` lists extra keys kept in one dict field (device and printer options); an array that mixes bare
strings and tables (`[api] tokens`) adds `"strings": True`. A table whose keys are names defined
elsewhere (`[roles]`: actions of the role table) is that mapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from floor.config.model import ApiToken, DeviceConfig, KioskConfig, PrinterConfig, StationConfig
from floor.core.authority import DEFAULT_TABLE
from floor.core.counts.settings import CountSettings


@dataclass(frozen=True)
class DatabaseTable:
    """[database]: where the books are kept."""

    url: str = "sqlite:///floor.db"
    sqlite_synchronous: str = "FULL"


@dataclass(frozen=True)
class ServerTable:
    """[server]: where `floor serve` listens and the key that signs kiosk sessions."""

    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str | None = None


@dataclass(frozen=True)
class SiteTable:
    """[site]: facts about the workshop."""

    timezone: str = "UTC"
    closing_time: str = "18:00"  # keys still out after it are listed (SPEC 9.4)
    # ISO weekdays (1 = Monday) the workshop works: after-sales deadlines and call retries (SPEC 10.5).
    working_days: list[int] = field(default_factory=lambda: [1, 2, 3, 4, 5])


@dataclass(frozen=True)
class RequisitionTable:
    """[requisition]: part requests above this value wait for a supervisor (SPEC 9.2)."""

    approval_value: str | int | float | None = None


@dataclass(frozen=True)
class SalesTable:
    """[sales]: discount limits of counter sales (SPEC 9.3; read by floor.core.sales.settings)."""

    max_discount_pct: int | float | str = 10
    trade_discount_pct: int | float | str = 0


@dataclass(frozen=True)
class WarrantyTable:
    """[warranty]: days the supplier allows for a warranty return (SPEC 9.3)."""

    return_days: int = 30


@dataclass(frozen=True)
class DeliveryTable:
    """[delivery]: the hand-over (SPEC 9.4): a signature required, the gate-pass printer."""

    require_signature: bool = False
    printer: str | None = None


@dataclass(frozen=True)
class VehiclesTable:
    """[vehicles]: the VIN's check digit in position 9 (SPEC 10.1; read by floor.config.settings.vin_check_digit)."""

    vin_check_digit: bool = True


@dataclass(frozen=True)
class BillingTable:
    """[billing]: the labour rate per hour and the tax on the customer's part (SPEC 10.2; read by floor.config.settings.billing_settings)."""

    labour_rate: str | int | float = 0
    tax_pct: str | int | float = 0
    # Above it (percent of a line or of the invoice) a discount needs a supervisor's PIN (SPEC 10.4).
    max_discount_pct: str | int | float = 5


@dataclass(frozen=True)
class FollowupTable:
    """[followup]: the call after delivery (SPEC 10.5; read by floor.config.settings.aftersales_settings)."""

    days: int = 3
    attempts: int = 3
    expire_days: int = 15


@dataclass(frozen=True)
class ComebacksTable:
    """[comebacks]: a car back within this many days of a delivery is flagged (SPEC 10.5)."""

    days: int = 30


@dataclass(frozen=True)
class ComplaintsTable:
    """[complaints]: the deadlines to answer and to resolve a complaint (SPEC 10.5)."""

    respond_hours: int = 48
    resolve_days: int = 7


@dataclass(frozen=True)
class ServiceTable:
    """[service]: the service interval a delivery sets, whichever comes first (SPEC 10.5)."""

    interval_months: int = 6
    interval_km: int = 5000


@dataclass(frozen=True)
class ReturnsTable:
    """[returns]: days after a sale a customer may return a part without a supervisor (SPEC 10.5)."""

    days: int = 7


@dataclass(frozen=True)
class ApiTable:
    """[api]: bearer tokens for API writes."""

    # A bare token string (admin everywhere) or a {token, role, stations} table.
    tokens: list[str | ApiToken] = field(default_factory=list, metadata={"table": ApiToken, "strings": True})


@dataclass(frozen=True)
class KioskTable:
    """[kiosk]: kiosk page defaults and the enrolment of kiosk browsers (read into KioskConfig)."""

    language: str = "en"
    require_enrolment: bool = KioskConfig.require_enrolment
    enrol_ttl_s: int = KioskConfig.enrol_ttl_s
    base_url: str | None = KioskConfig.base_url


TABLES: dict[str, type | Mapping[str, Any]] = {
    "database": DatabaseTable,
    "server": ServerTable,
    "site": SiteTable,
    "api": ApiTable,
    "kiosk": KioskTable,
    "roles": DEFAULT_TABLE,  # [roles]: action = [roles...] overrides
    "counts": CountSettings,
    "requisition": RequisitionTable,
    "sales": SalesTable,
    "warranty": WarrantyTable,
    "delivery": DeliveryTable,
    "vehicles": VehiclesTable,
    "billing": BillingTable,
    "followup": FollowupTable,
    "comebacks": ComebacksTable,
    "complaints": ComplaintsTable,
    "service": ServiceTable,
    "returns": ReturnsTable,
    "stations": StationConfig,
    "devices": DeviceConfig,
    "printers": PrinterConfig,
}
