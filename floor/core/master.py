"""Master data rows (parts, bins, people, jobs, opening stock): validated, then created or updated.

The CSV import and the JSON API share these functions, so a row means the
same thing whichever way it arrives. Each `check_*` turns loose input (CSV
strings or JSON values) into clean values or raises `RowError` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core import changes
from floor.core.catalog import bump_master_version
from floor.core.codes import gtin14
from floor.core.ledger import Ledger, NegativeStock
from floor.models import Location, Part, PartBarcode, User, WorkOrder, utcnow
from floor.models.master import ROLES

KINDS = ("parts", "locations", "stock", "users", "workorders")
COLUMNS: dict[str, tuple[str, ...]] = {
    "parts": ("part_no", "name", "unit_cost", "barcodes", "core", "reorder_point", "reorder_qty"),
    "locations": ("code", "name", "zone"),
    "stock": ("part_no", "location", "qty"),
    "users": ("badge", "name", "role"),
    "workorders": ("number", "vehicle", "customer", "promised_at", "estimate_minutes"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "parts": ("part_no", "name"),
    "locations": ("code",),
    "stock": ("part_no", "location", "qty"),
    "users": ("badge", "name", "role"),
    "workorders": ("number",),
}
_CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./+#")


class RowError(ValueError):
    """One field of one row is wrong; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _text(row: Mapping[str, Any], field: str, max_len: int = 200, required: bool = False) -> str:
    value = row.get(field)
    if value is None:
        value = ""
    if not isinstance(value, str):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RowError(field, f"must be text, not {type(value).__name__}")
        value = str(value)
    value = value.strip()
    if required and not value:
        raise RowError(field, "is required")
    if len(value) > max_len:
        raise RowError(field, f"is longer than {max_len} characters")
    if any(ord(c) < 32 for c in value):
        raise RowError(field, "contains control characters")
    return value


def _code(row: Mapping[str, Any], field: str) -> str:
    value = _text(row, field, 64, required=True)
    bad = sorted({c for c in value if c not in _CODE_CHARS})
    if bad:
        raise RowError(field, f"may hold letters, digits and - _ . / + # only, not {''.join(bad)!r}")
    return value


def _int(row: Mapping[str, Any], field: str, default: int | None = 0, lo: int = 0, hi: int = 10**9) -> int | None:
    value = row.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is None and field in row:
            return None
        return default
    if isinstance(value, bool):
        raise RowError(field, "must be a whole number, not true/false")
    try:
        number = int(value.strip()) if isinstance(value, str) else value
        if not isinstance(number, int):
            if isinstance(number, float) and number.is_integer():
                number = int(number)
            else:
                raise ValueError
    except ValueError:
        raise RowError(field, f"must be a whole number, not {str(value)[:30]!r}") from None
    if not lo <= number <= hi:
        raise RowError(field, f"must be between {lo} and {hi}, not {number}")
    return number


def _bool(row: Mapping[str, Any], field: str) -> bool:
    value = row.get(field, False)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "y", "true", "1", "是"):
        return True
    if text in ("no", "n", "false", "0", "", "否"):
        return False
    raise RowError(field, f"must be yes or no, not {text[:20]!r}")


def _money(row: Mapping[str, Any], field: str) -> Decimal:
    value = row.get(field, "0")
    if isinstance(value, bool):
        raise RowError(field, "must be a number")
    try:
        amount = Decimal(str(value).strip() or "0")
    except InvalidOperation:
        raise RowError(field, f"must be a number like 12.50, not {str(value)[:30]!r}") from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("99999999"):
        raise RowError(field, f"must be between 0 and 99999999, not {value}")
    return amount.quantize(Decimal("0.0001"))


def _datetime(row: Mapping[str, Any], field: str, tz: str) -> datetime | None:
    value = row.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise RowError(field, "must be a date and time like 2026-11-23 17:30")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise RowError(field, f"must be a date and time like 2026-11-23 17:30, not {value[:30]!r}") from None
    if moment.tzinfo is None:  # the workshop writes its own local time
        moment = moment.replace(tzinfo=ZoneInfo(tz))
    return moment.astimezone(UTC)


@dataclass
class Importer:
    """Creates or updates master data in one session; `apply(kind, row)` per row."""

    session: Session
    timezone: str = "UTC"
    actor_id: int | None = None

    def __post_init__(self) -> None:
        self._ledger: Ledger | None = None
        self._kinds: set[str] = set()
        self._handlers: dict[str, Callable[[Mapping[str, Any]], Any]] = {
            "parts": self.part,
            "locations": self.location,
            "stock": self.stock,
            "users": self.user,
            "workorders": self.workorder,
        }

    def apply(self, kind: str, row: Mapping[str, Any]) -> Any:
        """Validate and write one row of a kind; raises RowError."""
        for field in REQUIRED[kind]:
            if field not in row:
                raise RowError(field, "is missing")
        self._kinds.add(kind)
        return self._handlers[kind](row)

    def finish(self) -> None:
        """Write buffered stock moves and tell every process master data changed."""
        if self._ledger is not None:
            touched = {part_id for part_id, _loc in self._ledger.changed}
            self._ledger.flush()
            if touched:  # opening balances can cross a warning line either way
                from floor.core.alerts import evaluate_parts

                evaluate_parts(self.session, touched, utcnow())
        self.session.flush()
        bump_master_version(self.session)
        changes.publish(self.session, changes.MASTER, kinds=sorted(self._kinds))
        if "workorders" in self._kinds:
            changes.publish(self.session, changes.JOBS)

    def part(self, row: Mapping[str, Any]) -> Part:
        """Create or update a part and its barcode aliases."""
        part_no = _code(row, "part_no")
        abc = _text(row, "abc", 1).upper() or None
        if abc is not None and abc not in "ABC":
            raise RowError("abc", f"must be A, B or C, not {abc!r}")
        barcodes = [b.strip() for b in _text(row, "barcodes", 2000).split("|") if b.strip()]
        for code in barcodes:
            if len(code) > 128 or any(ord(c) < 32 for c in code):
                raise RowError("barcodes", f"alias {code[:30]!r} is not a printable code of up to 128 characters")
        values = dict(
            name=_text(row, "name", 200, required=True),
            unit_cost=_money(row, "unit_cost"),
            is_core=_bool(row, "core"),
            reorder_point=_int(row, "reorder_point"),
            reorder_qty=_int(row, "reorder_qty"),
        )
        part = self.session.scalar(select(Part).where(Part.part_no == part_no))
        if part is None:
            part = Part(part_no=part_no, **values)
            self.session.add(part)
        else:
            for key, value in values.items():
                setattr(part, key, value)
        if abc is not None:
            part.abc_override = abc
        self.session.flush()
        for code in barcodes:
            existing = self.session.scalar(select(PartBarcode).where(PartBarcode.code == code))
            if existing is not None and existing.part_id != part.id:
                raise RowError("barcodes", f"alias {code} already belongs to another part")
            if existing is None:
                self.session.add(PartBarcode(part_id=part.id, code=code, gtin14=gtin14(code)))
        return part

    def location(self, row: Mapping[str, Any]) -> Location:
        """Create or update a bin."""
        code = _code(row, "code")
        loc = self.session.scalar(select(Location).where(Location.code == code)) or Location(code=code)
        loc.name = _text(row, "name", 200) or code
        loc.zone = _text(row, "zone", 64)
        kind = _text(row, "kind", 16) or loc.kind or "store"
        from floor.models.master import LOCATION_KINDS

        if kind not in LOCATION_KINDS:
            raise RowError("kind", f"must be one of {', '.join(LOCATION_KINDS)}")
        loc.kind = kind
        self.session.add(loc)
        return loc

    def user(self, row: Mapping[str, Any]) -> User:
        """Create or update a person."""
        badge = _code(row, "badge")
        role = _text(row, "role", 16, required=True).lower()
        if role not in ROLES:
            raise RowError("role", f"must be one of {', '.join(ROLES)}, not {role!r}")
        user = self.session.scalar(select(User).where(User.badge == badge)) or User(badge=badge)
        user.name = _text(row, "name", 200, required=True)
        user.role = role
        self.session.add(user)
        return user

    def workorder(self, row: Mapping[str, Any]) -> WorkOrder:
        """Create or update a job card (status is not touched by imports)."""
        number = _code(row, "number")
        wo = self.session.scalar(select(WorkOrder).where(WorkOrder.number == number))
        if wo is None:
            wo = WorkOrder(number=number, status="received", status_since=utcnow())
        wo.vehicle = _text(row, "vehicle", 200)
        wo.customer = _text(row, "customer", 200)
        wo.promised_at = _datetime(row, "promised_at", self.timezone)
        wo.estimate_minutes = _int(row, "estimate_minutes", None, 1, 100000)
        self.session.add(wo)
        return wo

    def stock(self, row: Mapping[str, Any]) -> int:
        """Set a part's opening balance in a bin; the difference is an 'opening' ledger move."""
        part_no = _code(row, "part_no")
        code = _code(row, "location")
        qty = _int(row, "qty", None, 0, 10**7)
        if qty is None:
            raise RowError("qty", "is required")
        self.session.flush()
        part = self.session.scalar(select(Part).where(Part.part_no == part_no))
        if part is None:
            raise RowError("part_no", f"unknown part {part_no}; import parts first")
        loc = self.session.scalar(select(Location).where(Location.code == code))
        if loc is None:
            raise RowError("location", f"unknown bin {code}; import locations first")
        if self._ledger is None:
            self._ledger = Ledger(self.session)
        delta = qty - self._ledger.on_hand(part.id, loc.id)
        if delta:
            try:
                self._ledger.move(
                    part.id,
                    loc.id,
                    delta,
                    "opening",
                    utcnow(),
                    Decimal(part.unit_cost),
                    allow_negative=True,
                    actor_id=self.actor_id,
                    ref="import",
                )
            except NegativeStock as exc:  # allow_negative=True: cannot happen, kept for clarity
                raise RowError("qty", str(exc)) from None
        return delta
