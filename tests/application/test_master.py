"""The master-data use case called directly: rows saved and audited, a bad row or a refused person changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from floor.application import master
from floor.config import Config
from floor.core.authority import NotAllowed
from floor.core.supervisors import SupervisorError
from floor.db import Database
from floor.models import AuditEntry, Location, Part
from tests.repair_factories import person


def audits(db: Database) -> list[AuditEntry]:
    """Every audit entry, oldest first."""
    with db.reading() as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_save_parts_writes_them_and_one_audit_entry(shop: Database, site: Config) -> None:
    rows = [{"part_no": "SP-1", "name": "Spark plug"}, {"part_no": "SP-2", "name": "Glow plug"}]
    saved = master.save_rows(
        shop, site, "parts", rows, person(shop, "S001"), "U:S001", "api.parts", details={"count": 2}
    )
    assert saved.keys == ["SP-1", "SP-2"] and saved.warnings == []
    with shop.reading() as s:
        assert s.scalar(select(Part.name).where(Part.part_no == "SP-2")) == "Glow plug"
    entry = audits(shop)[-1]
    assert (entry.actor, entry.action, entry.object) == ("U:S001", "api.parts", "SP-1, SP-2")


def test_the_audit_object_may_be_the_doors(shop: Database, site: Config) -> None:
    row = {"code": "C-09-01", "name": "New shelf", "zone": "C", "kind": ""}
    saved = master.save_rows(
        shop, site, "locations", [row], person(shop, "S001"), "U:S001", "kiosk.edit_locations", audit_object="C-09-01"
    )
    assert saved.keys == ["C-09-01"]
    assert audits(shop)[-1].object == "C-09-01"


def test_a_bad_row_saves_none_and_says_which(shop: Database, site: Config) -> None:
    before = len(audits(shop))
    rows = [{"part_no": "SP-1", "name": "Spark plug"}, {"part_no": "SP-3"}]
    with pytest.raises(master.RowRefused) as refused:
        master.save_rows(shop, site, "parts", rows, person(shop, "S001"), "U:S001", "api.parts")
    assert (refused.value.index, refused.value.field) == (1, "name")
    with shop.reading() as s:
        assert s.scalar(select(func.count()).select_from(Part).where(Part.part_no == "SP-1")) == 0
    assert len(audits(shop)) == before


def test_a_person_the_table_refuses_changes_nothing(shop: Database, site: Config) -> None:
    with pytest.raises(NotAllowed):
        master.save_rows(
            shop, site, "locations", [{"code": "C-09-01", "name": "x"}], person(shop, "T001"), "U:T001", "x"
        )
    with shop.reading() as s:
        assert s.scalar(select(func.count()).select_from(Location).where(Location.code == "C-09-01")) == 0


def test_the_last_supervisor_stays_one(shop: Database, site: Config) -> None:
    row = {"badge": "SUP1", "name": "Chen Jie", "role": "technician"}
    with pytest.raises(SupervisorError):
        master.save_rows(shop, site, "users", [row], person(shop, "SUP1"), "U:SUP1", "kiosk.edit_users")
    assert person(shop, "SUP1").role == "supervisor"
