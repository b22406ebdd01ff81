"""An in-process cache of master data (parts, aliases, bins, people, tags) for the scan path.

Every scan resolves a part, a bin or a badge; doing that from memory keeps the
scan path at a few SQL statements per batch. Each process checks one version
row per batch and reloads when any process has changed master data: writes
through the ORM bump the version automatically (see `bump_on_flush`), bulk
writes call `bump_master_version`.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from floor.core.codes import Code, Kind, gtin14
from floor.core.epc import decode_sgtin96
from floor.models import Location, MetaValue, Part, PartBarcode, Tag, User

VERSION_KEY = "master_version"
# The kinds of scan that name a part (the others name a bin, a badge, a job, a command …).
PART_KINDS = (Kind.PART_LABEL, Kind.GS1, Kind.BARCODE)


@dataclass(frozen=True)
class PartInfo:
    """What the scan path needs to know of a part."""

    id: int
    part_no: str
    name: str
    unit_cost: Decimal
    is_core: bool
    allow_negative: bool


@dataclass(frozen=True)
class LocationInfo:
    """What the scan path needs to know of a bin."""

    id: int
    code: str
    zone: str
    kind: str


@dataclass(frozen=True)
class UserInfo:
    """What the scan path needs to know of a person."""

    id: int
    badge: str
    name: str
    role: str
    active: bool


@dataclass(frozen=True)
class TagInfo:
    """A registered tag and the object it stands for."""

    id: int
    code: str
    kind: str
    work_order_id: int | None
    location_id: int | None


class Catalog:
    """A snapshot of master data, looked up by id, number, barcode alias, GTIN-14, badge, tag."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.parts: dict[int, PartInfo] = {}
        self.part_by_no: dict[str, PartInfo] = {}
        self.part_by_code: dict[str, PartInfo] = {}
        self.part_by_gtin: dict[str, PartInfo] = {}
        self.locations: dict[int, LocationInfo] = {}
        self.location_by_code: dict[str, LocationInfo] = {}
        self.users: dict[int, UserInfo] = {}
        self.user_by_badge: dict[str, UserInfo] = {}
        self.tags: dict[str, TagInfo] = {}

    def load(self, session: Session) -> Catalog:
        """Fill the snapshot from the database."""
        for row in session.execute(
            select(Part.id, Part.part_no, Part.name, Part.unit_cost, Part.is_core, Part.allow_negative).where(
                Part.active.is_(True)
            )
        ):
            info = PartInfo(
                row.id, row.part_no, row.name, Decimal(row.unit_cost or 0), bool(row.is_core), bool(row.allow_negative)
            )
            self.parts[info.id] = info
            self.part_by_no[info.part_no] = info
        for code, part_id, g14 in session.execute(select(PartBarcode.code, PartBarcode.part_id, PartBarcode.gtin14)):
            part = self.parts.get(part_id)
            if part is None:
                continue
            self.part_by_code[code] = part
            if g14:
                self.part_by_gtin[g14] = part
        for loc in session.execute(
            select(Location.id, Location.code, Location.zone, Location.kind).where(Location.active.is_(True))
        ):
            linfo = LocationInfo(loc.id, loc.code, loc.zone, loc.kind)
            self.locations[linfo.id] = linfo
            self.location_by_code[linfo.code] = linfo
        for u in session.execute(select(User.id, User.badge, User.name, User.role, User.active)):
            uinfo = UserInfo(u.id, u.badge, u.name, u.role, bool(u.active))
            self.users[uinfo.id] = uinfo
            self.user_by_badge[uinfo.badge] = uinfo
        for t in session.execute(select(Tag.id, Tag.code, Tag.kind, Tag.work_order_id, Tag.location_id)):
            self.tags[t.code.upper()] = TagInfo(t.id, t.code, t.kind, t.work_order_id, t.location_id)
        return self

    def part_for_barcode(self, text: str) -> PartInfo | None:
        """A part by manufacturer alias (exact, then as GTIN-14), then by part number."""
        part = self.part_by_code.get(text)
        if part is not None:
            return part
        g14 = gtin14(text)
        if g14 is not None:
            part = self.part_by_gtin.get(g14)
            if part is not None:
                return part
        return self.part_by_no.get(text)

    def part_for_code(self, code: Code) -> PartInfo | None:
        """The part a scanned code names: internal label, GS1 GTIN, alias or part number, then an RFID EPC.

        The one resolution the scan handlers and the engine's level prefetch share; plain
        dictionary lookups, with the EPC decoded only for a barcode nothing else knows
        (a 24-digit numeric barcode is also valid hex, so the EPC comes last). A decoded
        EPC's serial is kept in `code.extra["epc_serial"]`.
        """
        if code.kind is Kind.PART_LABEL:
            return self.part_by_no.get(code.value)
        if code.kind is Kind.GS1:
            return self.part_by_gtin.get(code.value) or self.part_by_code.get(code.value)
        part = self.part_for_barcode(code.value)
        if part is None:
            sgtin = decode_sgtin96(code.value)
            if sgtin is not None:
                code.extra["epc_serial"] = sgtin.serial
                part = self.part_by_gtin.get(sgtin.gtin)
        return part

    def part_named(self, code: Code) -> PartInfo | None:
        """The part a scan of any kind names: `part_for_code` for the part kinds, None for a bin, badge, job …

        The scan path's prefetch and every look-up of a scanned code (the handheld's) go through here,
        so a look-up and a scan of one code always name the same part.
        """
        return self.part_for_code(code) if code.kind in PART_KINDS else None


_lock = threading.Lock()
_cached: dict[str, Catalog] = {}


def master_version(session: Session) -> str:
    """The current master-data version string ('' before anything was written)."""
    value = session.scalar(select(MetaValue.value).where(MetaValue.key == VERSION_KEY))
    return value or ""


def get_catalog(session: Session, version: str | None = None) -> Catalog:
    """The catalog for this session's database, reloaded if master data changed (`version` if already read)."""
    bind = session.get_bind()
    key = str(bind.engine.url)
    if version is None:
        version = master_version(session)
    cat = _cached.get(key)
    if cat is not None and cat.version == version:
        return cat
    with _lock:
        cat = Catalog(version).load(session)
        _cached[key] = cat
        return cat


def bump_master_version(session: Session) -> None:
    """Mark master data changed, so every process reloads its catalog."""
    new = uuid.uuid4().hex
    dialect = session.get_bind().dialect.name
    ins = (pg_insert if dialect == "postgresql" else sqlite_insert)(MetaValue).values(key=VERSION_KEY, value=new)
    session.execute(ins.on_conflict_do_update(index_elements=["key"], set_={"value": new}))


def forget_catalogs() -> None:
    """Drop every cached catalog (tests that recreate databases use this)."""
    with _lock:
        _cached.clear()


_MASTER_TYPES = (Part, PartBarcode, Location, User, Tag)


def bump_on_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    """A part, barcode, bin, user or tag changed: bump the master version (a before_flush listener, `floor.core.wiring`)."""
    # Tag.last_seen_* changes on every RFID read; that alone must not reload caches.
    dirty = [o for o in session.dirty if isinstance(o, _MASTER_TYPES) and not _only_last_seen(session, o)]
    if dirty or any(isinstance(o, _MASTER_TYPES) for o in list(session.new) + list(session.deleted)):
        bump_master_version(session)


def _only_last_seen(session: Session, obj: object) -> bool:
    if not isinstance(obj, Tag):
        return False
    changed = {a.key for a in inspect(obj).attrs if a.history.has_changes()}
    return changed <= {"last_seen_at", "last_seen_where"}
