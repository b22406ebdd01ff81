"""Authority on the scan path: RECEIVE/MOVE need a storekeeper, a new badge clears pending state (SPEC 9.1)."""

from __future__ import annotations

from sqlalchemy import select

from floor.application.scan_service import ScanService
from floor.core.results import ScanInput
from floor.models import StockLevel
from tests.conftest import make_config


def _scan(service, station, *texts):
    return service.submit(station, f"t-{station}", [ScanInput(t.encode()) for t in texts])


def _level(db, part_no, code):
    from floor.models import Location, Part

    with db.reading() as s:
        return s.scalar(
            select(StockLevel.qty)
            .join(Part, Part.id == StockLevel.part_id)
            .join(Location, Location.id == StockLevel.location_id)
            .where(Part.part_no == part_no, Location.code == code)
        )


def test_any_badge_could_receive_9999_now_only_a_storekeeper(shop, service):
    """GIVEN a technician at the dock WHEN they scan CMD:RECEIVE, Q:9999 and a part THEN role_denied, stock unchanged;
    a storekeeper's same scans receive."""
    before = _level(shop, "OF-100", "R-00-01")
    res = _scan(service, "dock-1", "U:T001", "CMD:RECEIVE", "Q:9999", "P:OF-100")
    assert [r.code for r in res][1] == "role_denied"
    assert not res[-1].ok
    assert _level(shop, "OF-100", "R-00-01") == before
    res = _scan(service, "dock-1", "U:S001", "CMD:RECEIVE", "Q:3", "P:OF-100")
    assert [r.code for r in res] == ["actor_set", "mode_set", "qty_set", "received"]
    assert _level(shop, "OF-100", "R-00-01") == (before or 0) + 3


def test_receive_by_a_technician_in_a_mode_set_earlier_is_refused(shop, service):
    """GIVEN a storekeeper set RECEIVE mode WHEN a technician badges in and scans a part THEN role_denied."""
    _scan(service, "dock-1", "U:S001", "CMD:RECEIVE")
    res = _scan(service, "dock-1", "U:T001", "P:OF-100")
    assert res[-1].code == "role_denied"


def test_move_needs_a_storekeeper(shop, service):
    """GIVEN a technician at a counter WHEN they try MOVE THEN role_denied; the storekeeper moves."""
    res = _scan(service, "counter-1", "U:T001", "CMD:MOVE")
    assert res[-1].code == "role_denied"
    # The refusal names the role and the action in the reader's language (the role table's names).
    assert res[-1].message.endswith("(Technician) may not move stock between bins"), res[-1].message
    assert res[-1].message_zh.endswith("（技师）无权移库"), res[-1].message_zh
    res = _scan(service, "counter-1", "U:S001", "CMD:MOVE", "P:OF-100", "L:A-01-02")
    assert [r.code for r in res] == ["actor_set", "mode_set", "move_part_set", "moved"]


def test_roles_override_lets_technicians_receive(shop, db):
    """GIVEN `[roles] receive` including technicians WHEN a technician receives THEN it is accepted (configurable)."""
    cfg = make_config(roles={"receive": ["technician", "storekeeper", "supervisor"]})
    res = _scan(ScanService(cfg, db), "dock-1", "U:T001", "CMD:RECEIVE", "P:OF-100")
    assert res[-1].code == "received"


def test_pending_qty_does_not_survive_a_badge_change(shop, service):
    """GIVEN T001 scans Q:7 and a part that is refused (no job) WHEN T002 badges in, scans a job and the part
    THEN T002 issues 1, not T001's 7."""
    res = _scan(service, "counter-1", "U:T001", "Q:7", "P:OF-100")
    assert not res[-1].ok  # no job in session: refused, the Q:7 stays pending
    res = _scan(service, "counter-1", "U:T002", "WO:1001", "P:OF-100")
    assert res[-1].code == "issued" and res[-1].effects["moves"][0]["qty"] == -1


def test_pending_move_does_not_survive_a_badge_change(shop, service):
    """GIVEN a storekeeper picked a part to move WHEN another storekeeper badges in and scans a bin
    THEN the bin is set, nothing moves."""
    _scan(service, "counter-1", "U:S001", "CMD:MOVE", "Q:2", "P:OF-100")
    with shop.writing() as s:
        from floor.core.master import Importer

        imp = Importer(s)
        imp.apply("users", {"badge": "S002", "name": "He Na", "role": "storekeeper"})
        imp.finish()
    res = _scan(service, "counter-1", "U:S002", "L:A-01-02")
    assert res[-1].code == "location_set"


def test_same_badge_again_keeps_the_pending_quantity(shop, service):
    """GIVEN T001 scans Q:3 WHEN T001's badge is scanned again THEN the quantity stays (it is the same person)."""
    res = _scan(service, "counter-1", "U:T001", "WO:1001", "Q:3", "U:T001", "P:OF-100")
    assert res[-1].code == "issued" and res[-1].effects["moves"][0]["qty"] == -3


def test_an_inactive_badge_scan_says_so(shop, service):
    """GIVEN T002 deactivated WHEN T002's badge is scanned THEN rejected inactive_badge (the one look-up's code)."""
    from floor.models import User

    with shop.writing() as s:
        s.scalar(select(User).where(User.badge == "T002")).active = False
    from floor.core.catalog import forget_catalogs

    forget_catalogs()
    res = _scan(service, "counter-1", "U:T002")
    assert res[-1].code == "inactive_badge" and "Zhang Min" in res[-1].message
    assert "T002" not in res[-1].message  # a badge, even an old one, is never shown in full (SPEC 10.6)
