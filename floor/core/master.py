"""Master data rows (parts, bins, people, jobs, opening stock): validated, then created or updated.

The CSV import and the JSON API share these functions, so a row means the
same thing whichever way it arrives. Each `check_*` turns loose input (CSV
strings or JSON values) into clean values or raises `RowError` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor import clock
from floor.core import changes, messages, rows, stockflow
from floor.core.alerts import evaluate_parts
from floor.core.authority import RoleTable
from floor.core.catalog import bump_master_version
from floor.core.codes import gtin14
from floor.core.ledger import Ledger, NegativeStock
from floor.core.repair import operations as operation_rows
from floor.core.rows import RowError as RowError  # re-exported: importers catch it from here
from floor.core.sales.customers import upsert_customer
from floor.core.sales.errors import SaleError
from floor.core.supervisors import keep_a_supervisor
from floor.core.vehicles import records as vehicle_rows
from floor.core.vehicles.errors import VehicleError
from floor.core.vehicles.jobs import link_job
from floor.core.vin import normalise as normalise_vin
from floor.core.workorders.lookup import find_job
from floor.core.workorders.reception import (
    FIELD_OF_CODE,
    JOB_COLUMNS,
    apply_reception,
    reception_fields,
    require_reception,
)
from floor.core.workorders.status import Actor, WorkOrderError
from floor.core.workorders.tags import refuse_if_tag, row_not_a_tag, tag_registry
from floor.models import Location, Part, PartBarcode, User, WorkOrder
from floor.models.master import LOCATION_KINDS, ROLES

KINDS = ("parts", "locations", "stock", "users", "workorders", "customers", "vehicles", "operations")
COLUMNS: dict[str, tuple[str, ...]] = {
    "parts": ("part_no", "name", "unit_cost", "barcodes", "core", "reorder_point", "reorder_qty"),
    "locations": ("code", "name", "zone"),
    "stock": ("part_no", "location", "qty"),
    "users": ("badge", "name", "role"),
    "workorders": JOB_COLUMNS,  # with the reception fields (SPEC 9.4), all optional
    "customers": ("code", "name", "phone", "kind"),
    "vehicles": vehicle_rows.COLUMNS,  # SPEC 10.1
    "operations": operation_rows.COLUMNS,  # SPEC 10.2
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "parts": ("part_no", "name"),
    "locations": ("code",),
    "stock": ("part_no", "location", "qty"),
    "users": ("badge", "name", "role"),
    "workorders": ("number",),
    "customers": ("code", "name"),
    "vehicles": vehicle_rows.REQUIRED,
    "operations": operation_rows.REQUIRED,
}
# The key of each kind: two rows of one file with the same key are refused, naming both lines.
KEYS: dict[str, tuple[str, ...]] = {
    "parts": ("part_no",),
    "locations": ("code",),
    "stock": ("part_no", "location"),
    "users": ("badge",),
    "workorders": ("number",),
    "customers": ("code",),
    "vehicles": ("vin",),
    "operations": ("code",),
}
# Kinds whose key is stored upper-cased (so `ab-1` and `AB-1` are one record).
_UPPER_KEYS = frozenset({"operations"})


def duplicate_keys(kind: str, numbered: Sequence[tuple[int, Mapping[str, Any]]]) -> list[tuple[int, int, str, str]]:
    """The rows of one file whose key an earlier row already had: (line, earlier line, column, key).

    Keys are compared as the import stores them (trimmed; VINs and operation codes upper-cased);
    a row without its key is left to the row checks, which name the missing field.
    """
    columns = KEYS[kind]
    seen: dict[tuple[str, ...], int] = {}
    found: list[tuple[int, int, str, str]] = []
    for line, row in numbered:
        if "__error__" in row:
            continue
        key = tuple(str(row.get(c) or "").strip() for c in columns)
        if not all(key):
            continue
        if kind == "vehicles":
            key = tuple(normalise_vin(k) for k in key)
        elif kind in _UPPER_KEYS:
            key = tuple(k.upper() for k in key)
        first = seen.setdefault(key, line)
        if first != line:
            found.append((line, first, columns[-1] if len(columns) == 1 else ",".join(columns), "/".join(key)))
    return found


@dataclass(frozen=True)
class PartRow:
    """A parts row checked: its number, the columns to set, the ABC override and the barcode aliases to add."""

    part_no: str
    values: dict[str, Any]
    abc: str | None
    barcodes: tuple[str, ...]


def check_part(row: Mapping[str, Any]) -> PartRow:
    """Check a parts row (CSV or JSON) without writing anything; raises RowError naming the field.

    SPEC 9.2's optional columns (sell_price, core_charge, supplier) are in `values` only when the row has them,
    so a file without them keeps what the parts have.
    """
    for field in REQUIRED["parts"]:
        if field not in row:
            raise RowError(field, "is missing")
    part_no = rows.code(row, "part_no")
    abc = rows.text(row, "abc", 1).upper() or None
    if abc is not None and abc not in "ABC":
        raise RowError("abc", f"must be A, B or C, not {abc!r}")
    barcodes = tuple(dict.fromkeys(b.strip() for b in rows.text(row, "barcodes", 2000).split("|") if b.strip()))
    for code in barcodes:
        if len(code) > 128 or any(ord(c) < 32 for c in code):
            raise RowError("barcodes", f"alias {code[:30]!r} is not a printable code of up to 128 characters")
    values: dict[str, Any] = dict(
        name=rows.text(row, "name", 200, required=True),
        unit_cost=rows.money(row, "unit_cost"),
        is_core=rows.boolean(row, "core"),
        reorder_point=rows.integer(row, "reorder_point"),
        reorder_qty=rows.integer(row, "reorder_qty"),
    )
    for money in ("sell_price", "core_charge"):
        if money in row:
            values[money] = rows.money(row, money) if str(row.get(money) or "").strip() else None
    if "supplier" in row:
        values["supplier"] = rows.text(row, "supplier", 64) or None
    return PartRow(part_no, values, abc, barcodes)


def exc_text(exc: Any) -> str:
    """The English message of a coded rule refusal (for import errors, which are per field)."""
    return messages.render(exc.code, exc.params)[0]


@dataclass
class Importer:
    """Creates or updates master data in one session; `apply(kind, row)` per row."""

    session: Session
    timezone: str = "UTC"
    actor_id: int | None = None
    # `[vehicles] vin_check_digit` of the site (floor.config.settings.vin_check_digit): jobs with a VIN
    # are linked to their vehicle, which reception registers when new.
    vin_check_digit: bool = True

    def __post_init__(self) -> None:
        self._ledger: Ledger | None = None
        self._tags: dict[str, tuple[str, str]] | None = None  # the tag registry, read at the first new code
        self.warnings: list[dict[str, str]] = []  # accepted rows that a person should look at
        self._kinds: set[str] = set()
        self._handlers: dict[str, Callable[[Mapping[str, Any]], Any]] = {
            "parts": self.part,
            "locations": self.location,
            "stock": self.stock,
            "users": self.user,
            "workorders": self.workorder,
            "customers": self.customer,
            "vehicles": self.vehicle,
            "operations": self.operation,
        }

    def _not_a_tag(self, field: str, code: str) -> None:
        """RowError when a NEW code (part number, alias, bin, badge, job number) is already a tag's code."""
        if self._tags is None:
            self._tags = tag_registry(self.session)
        row_not_a_tag(self._tags, field, code)

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
            if touched:
                # A lowered level trims holds above it, a raised one goes to waiting jobs, like every stock write;
                # and opening balances can cross a warning line either way.
                stockflow.follow(self.session, touched)
                evaluate_parts(self.session, touched, clock.now())
        self.session.flush()
        bump_master_version(self.session)
        changes.publish(self.session, changes.MASTER, kinds=sorted(self._kinds))
        if "workorders" in self._kinds:
            changes.publish(self.session, changes.JOBS)

    def customer(self, row: Mapping[str, Any]) -> Any:
        """Create or update a sales customer (SPEC 9.3): code, name, phone, kind retail|trade."""
        code = rows.code(row, "code")
        kind = rows.text(row, "kind", 16).lower() or "retail"
        try:
            return upsert_customer(
                self.session, code, rows.text(row, "name", 200, required=True), rows.text(row, "phone", 64), kind
            )
        except SaleError:
            raise RowError("kind", "must be retail or trade") from None

    def vehicle(self, row: Mapping[str, Any]) -> Any:
        """Create or update a vehicle by VIN (SPEC 10.1; `customer` is a customer's code)."""
        return vehicle_rows.import_vehicle(self.session, row, check_digit=self.vin_check_digit, at=clock.now())

    def operation(self, row: Mapping[str, Any]) -> Any:
        """Create or update a labour operation of the catalogue (SPEC 10.2)."""
        return operation_rows.save_operation(self.session, row)

    def part(self, row: Mapping[str, Any]) -> Part:
        """Create or update a part and its barcode aliases."""
        checked = check_part(row)
        part_no, values, abc, barcodes = checked.part_no, checked.values, checked.abc, checked.barcodes
        part = self.session.scalar(select(Part).where(Part.part_no == part_no))
        if part is None:
            self._not_a_tag("part_no", part_no)
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
                self._not_a_tag("barcodes", code)
                self.session.add(PartBarcode(part_id=part.id, code=code, gtin14=gtin14(code)))
        return part

    def location(self, row: Mapping[str, Any]) -> Location:
        """Create or update a bin."""
        code = rows.code(row, "code")
        loc = self.session.scalar(select(Location).where(Location.code == code))
        if loc is None:
            self._not_a_tag("code", code)
            loc = Location(code=code)
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
        user = self.session.scalar(select(User).where(User.badge == badge))
        if user is None:
            self._not_a_tag("badge", badge)
            user = User(badge=badge)
        name = rows.text(row, "name", 200, required=True)
        # `active` (yes/no) is optional: a row without it keeps the person as they are (new people are active).
        given = row.get("active")
        active = rows.boolean(row, "active") if given is not None and str(given).strip() else user.active is not False
        keep_a_supervisor(self.session, user, role, active)  # coded refusal `last_supervisor`
        user.name = name
        user.role = role
        user.active = active
        self.session.add(user)
        return user

    def workorder(self, row: Mapping[str, Any]) -> WorkOrder:
        """Create or update a job card (status is not touched by imports)."""
        number = rows.code(row, "number")
        wo = find_job(self.session, number)
        if wo is None:
            self._not_a_tag("number", number)
            wo = WorkOrder(number=number, status="received", status_since=clock.now())
        wo.vehicle = rows.text(row, "vehicle", 200)
        wo.customer = rows.text(row, "customer", 200)
        wo.promised_at = rows.moment(row, "promised_at", self.timezone)
        wo.estimate_minutes = rows.integer(row, "estimate_minutes", None, 1, 100000)
        try:
            rec = reception_fields(row)
        except WorkOrderError as exc:
            raise RowError(FIELD_OF_CODE.get(exc.code, str(exc.params.get("field", "row"))), exc_text(exc)) from None
        self.session.add(wo)
        self.session.flush()
        for w in apply_reception(self.session, wo, rec):  # e.g. mileage below the plate's last visit
            self.warnings.append({"number": number, **w})
        customer_code = rows.text(row, "customer_code", 64) or None
        try:
            linked = link_job(self.session, wo, customer_code, check_digit=self.vin_check_digit, at=clock.now())
        except (VehicleError, SaleError) as exc:
            raise RowError(FIELD_OF_CODE.get(exc.code, "vin"), exc_text(exc)) from None
        self.warnings.extend({"number": number, **w} for w in linked)
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
                    clock.now(),
                    Decimal(part.unit_cost),
                    allow_negative=True,
                    actor_id=self.actor_id,
                    ref="import",
                )
            except NegativeStock as exc:  # allow_negative=True: cannot happen, kept for clarity
                raise RowError("qty", str(exc)) from None
        return delta


def receive_car(
    session: Session,
    number: str,
    row: Mapping[str, Any],
    timezone: str = "UTC",
    *,
    actor: Actor | None,
    roles: RoleTable,
    vin_check_digit: bool = True,
) -> tuple[WorkOrder, list[dict[str, str]]]:
    """Create a new job at reception (number, vehicle, customer, promised_at, estimate and the reception fields).

    `actor` must be allowed `reception` in `roles`, the site's table (`role_denied` otherwise, also without
    a badge). A number in use is refused (`wo_exists`); bad reception fields raise their coded WorkOrderError
    before anything is written; the other columns are checked by the importer (RowError), a VIN with its check
    digit unless `vin_check_digit` (the site's `[vehicles] vin_check_digit`) is off.
    """
    require_reception(actor, roles)
    if find_job(session, number) is not None:
        raise WorkOrderError("wo_exists", number=number)
    refuse_if_tag(session, number)  # `code_is_tag`: a tag's code would select that tag's job instead
    reception_fields(row)  # coded refusals first: the importer would only report them per field
    importer = Importer(session, timezone, vin_check_digit=vin_check_digit)
    wo = importer.apply("workorders", {**row, "number": number})
    changes.publish(session, changes.JOBS, number=wo.number)  # a new card on the board
    return wo, [{k: v for k, v in w.items() if k != "number"} for w in importer.warnings]
