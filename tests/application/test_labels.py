"""The label use cases called directly: print, a zone's bins, badge labels with a PIN, reprint."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from floor.application import labels
from floor.config import Config
from floor.core.authority import NotAllowed
from floor.core.pins import PinError
from floor.db import Database
from floor.labels.model import LabelError
from floor.models import PrintJob
from tests.factories import PIN
from tests.repair_factories import person


def jobs(db: Database) -> list[PrintJob]:
    """Every queued print job, oldest first."""
    with db.reading() as s:
        return list(s.scalars(select(PrintJob).order_by(PrintJob.id)))


def test_print_part_labels_queues_one_job_each(shop: Database, site: Config) -> None:
    queued = labels.print_labels(shop, site, "zebra", "part", ["OF-100", "OF-100"], person(shop, "T001"))
    assert [q.id for q in queued] == ["OF-100", "OF-100"]
    assert [(j.id, j.printer, j.kind, j.object_id) for j in jobs(shop)] == [
        (q.job, "zebra", "part", "OF-100") for q in queued
    ]
    assert queued[0].as_json() == {"job": queued[0].job, "id": "OF-100", "status": "queued"}


def test_print_a_zones_bins(shop: Database, site: Config) -> None:
    queued = labels.print_labels(shop, site, "zebra", "bin", [], person(shop, "S001"), zone="A")
    assert sorted(q.id for q in queued) == ["A-01-01", "A-01-02"]
    assert len({j.batch for j in jobs(shop)}) == 1  # one batch


def test_unknown_printer_queues_nothing(shop: Database, site: Config) -> None:
    with pytest.raises(LabelError):
        labels.print_labels(shop, site, "nowhere", "part", ["OF-100"], person(shop, "T001"))
    assert jobs(shop) == []


def test_badge_labels_need_a_supervisor_with_their_pin(shop: Database, site: Config) -> None:
    with pytest.raises(NotAllowed):
        labels.print_labels(shop, site, "zebra", "badge", ["T001"], person(shop, "T002"), pin=PIN)
    queued = labels.print_labels(shop, site, "zebra", "badge", ["T001"], person(shop, "SUP1"), pin=PIN)
    assert [j.kind for j in jobs(shop)] == ["badge"] and len(queued) == 1


def test_a_wrong_pin_queues_nothing_and_is_counted(shop: Database, site: Config) -> None:
    with pytest.raises(PinError) as refused:
        labels.print_labels(shop, site, "zebra", "badge", ["T001"], person(shop, "SUP1"), pin="0000")
    assert refused.value.code == "bad_pin"
    assert jobs(shop) == []
    assert person(shop, "SUP1").pin_failures == 1  # kept although the write rolled back


def test_reprint_queues_the_same_label_again(shop: Database, site: Config) -> None:
    first = labels.print_labels(shop, site, "zebra", "part", ["OF-100"], person(shop, "T001"))[0]
    assert labels.reprint_action(shop, first.job) == "print_labels"
    body = labels.reprint(shop, site, first.job, person(shop, "T001"))
    assert body["reprint_of"] == first.job and body["printer"] == "zebra" and body["status"] == "queued"
    again = jobs(shop)[-1]
    assert (again.id, again.object_id, again.reprint_of) == (body["job"], "OF-100", first.job)


def test_reprinting_a_badge_label_is_a_supervisors(shop: Database, site: Config) -> None:
    badge = labels.print_labels(shop, site, "zebra", "badge", ["T001"], person(shop, "SUP1"), pin=PIN)[0]
    assert labels.reprint_action(shop, badge.job) == "print_badges"
    with pytest.raises(NotAllowed):
        labels.reprint(shop, site, badge.job, person(shop, "T001"), pin=PIN)
    assert len(jobs(shop)) == 1


def test_reprint_of_no_job_changes_nothing(shop: Database, site: Config) -> None:
    with pytest.raises(LookupError):
        labels.reprint(shop, site, 999, person(shop, "T001"))
    with shop.reading() as s:
        assert s.scalar(select(func.count()).select_from(PrintJob)) == 0
