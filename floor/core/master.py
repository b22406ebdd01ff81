"""Master data rows (parts, bins, people, jobs, opening stock): validated, then created or updated.

The CSV import and the JSON API share these functions, so a row means the
same thing whichever way it arrives. Each `check_*` turns loose input (CSV
strings or JSON values) into clean values or raises `RowError` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.core import changes, rows
from floor.core.alerts import evaluate_parts
from floor.core.catalog import bump_master_version
from floor.core.codes import gtin14
from floor.core.ledger import Ledger, NegativeStock
from floor.core.rows import RowError as RowError  # re-exported: importers catch it from here
from floor.models import Location, Part, PartBarcode, User, WorkOrder, utcnow
from floor.models.master import LOCATION_KINDS, ROLES

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
                evaluate_parts(self.session, touched, utcnow())
        self.session.flush()
        bump_master_version(self.session)
        changes.publish(self.session, changes.MASTER, kinds=sorted(self._kinds))
        if "workorders" in self._kinds:
            changes.publish(self.session, changes.JOBS)

    def part(self, row: Mapping[str, Any]) -> Part:
        """Create or update a part and its barcode aliases."""
        part_no = rows.code(row, "part_no")
        abc = rows.text(row, "abc", 1).upper() or None
        if abc is not None and abc not in "ABC":
            raise RowError("abc", f"must be A, B or C, not {abc!r}")
        barcodes = [b.strip() for b in rows.text(row, "barcodes", 2000).split("|") if b.strip()]
        for code in barcodes:
            if len(code) > 128 or any(ord(c) < 32 for c in code):
                raise RowError("barcodes", f"alias {code[:30]!r} is not a printable code of up to 128 characters")
        values = dict(
            name=rows.text(row, "name", 200, required=True),
            unit_cost=rows.money(row, "unit_cost"),
            is_core=rows.boolean(row, "core"),
            reorder_point=rows.integer(row, "reorder_point"),
            reorder_qty=rows.integer(row, "reorder_qty"),
        )
        # SPEC 9.2's optional columns: set when the row has them, kept as they are otherwise.
        for money in ("sell_price", "core_charge"):
            if money in row:
                values[money] = rows.money(row, money) if str(row.get(money) or "").strip() else None
        if "supplier" in row:
            values["supplier"] = rows.text(row, "supplier", 64) or None
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
        code = rows.code(row, "code")
        loc = self.session.scalar(select(Location).where(Location.code == code)) or Location(code=code)
        loc.name = rows.text(row, "name", 200) or code
        loc.zone = rows.text(row, "zone", 64)
        kind = rows.text(row, "kind", 16) or loc.kind or "store"
        if kind not in LOCATION_KINDS:
            raise RowError("kind", f"must be one of {', '.join(LOCATION_KINDS)}")
        loc.kind = kind
        self.session.add(loc)
        return loc

    def user(self, row: Mapping[str, Any]) -> User:
        """Create or update a person."""
        badge = rows.code(row, "badge")
        role = rows.text(row, "role", 16, required=True).lower()
        if role not in ROLES:
            raise RowError("role", f"must be one of {', '.join(ROLES)}, not {role!r}")
        user = self.session.scalar(select(User).where(User.badge == badge)) or User(badge=badge)
        user.name = rows.text(row, "name", 200, required=True)
        user.role = role
        self.session.add(user)
        return user

    def workorder(self, row: Mapping[str, Any]) -> WorkOrder:
        """Create or update a job card (status is not touched by imports)."""
        number = rows.code(row, "number")
        wo = self.session.scalar(select(WorkOrder).where(WorkOrder.number == number))
        if wo is None:
            wo = WorkOrder(number=number, status="received", status_since=utcnow())
        wo.vehicle = rows.text(row, "vehicle", 200)
        wo.customer = rows.text(row, "customer", 200)
        wo.promised_at = rows.moment(row, "promised_at", self.timezone)
        wo.estimate_minutes = rows.integer(row, "estimate_minutes", None, 1, 100000)
        self.session.add(wo)
        return wo

    def stock(self, row: Mapping[str, Any]) -> int:
        """Set a part's opening balance in a bin; the difference is an 'opening' ledger move."""
        part_no = rows.code(row, "part_no")
        code = rows.code(row, "location")
        qty = rows.integer(row, "qty", None, 0, 10**7)
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
