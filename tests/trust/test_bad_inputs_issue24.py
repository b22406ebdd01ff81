"""The bad-input catalogue, issue 24 (SPEC 10.6): badge labels, tags that collide, returns without a real sale.

Each case is refused with a clear coded 4xx and changes nothing (the books' snapshot, print jobs, tags and
returns compare equal before and after); none answers 500.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from floor.core.master import Importer
from floor.db import Database
from floor.models import CustomerReturn, PrintJob, Tag
from tests.conftest import make_config
from tests.factories import PIN, shipped_sale
from tests.kiosk.helpers import csrf_token
from tests.trust.support import snapshot
from tests.web.reception.helpers import car

SUP_TOKEN, TECH_TOKEN, STORE_TOKEN = "sup-token-0123456789", "tech-token-0123456789", "store-token-0123456789"
TOKENS: list[Any] = [
    "admin-token-0123456789",
    {"token": SUP_TOKEN, "role": "supervisor"},
    {"token": STORE_TOKEN, "role": "storekeeper"},
    {"token": TECH_TOKEN, "role": "technician"},
]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def state(db: Database) -> tuple[Any, ...]:
    """The books and what these inputs could have added: print jobs, tags, customer returns."""
    with db.reading() as s:
        counts = tuple(s.scalar(select(func.count()).select_from(t)) for t in (PrintJob, Tag, CustomerReturn))
    return (snapshot(db), counts)


@pytest.fixture
def shop_q(shop: Database) -> Database:
    """The small workshop with a quarantine bin for returns."""
    with shop.writing() as s:
        imp = Importer(s)
        imp.apply("locations", {"code": "Q-01", "name": "Returns quarantine", "zone": "Q", "kind": "quarantine"})
        imp.finish()
    return shop


@pytest.fixture
def token_client(shop_q: Database) -> Any:
    from floor.service.factory import create_app

    return create_app(make_config(api={"tokens": TOKENS}), shop_q, {"TESTING": True}).test_client()


# -- badge labels: a copy of a credential, a supervisor's only ---------------------------------------------------
def test_anonymous_badge_preview_is_refused_alike_for_every_badge(client: Any, shop_q: Database) -> None:
    """GIVEN the kiosk's label preview WHEN anyone asks for a badge's label, a supervisor's, a technician's or one
    that does not exist THEN the same 403 (no scannable badge, no hint which badges exist); other kinds still show."""
    before = state(shop_q)
    answers = [client.get(f"/kiosk/labels/preview/badge/{b}.svg") for b in ("SUP1", "T001", "NOBODY")]
    assert [r.status_code for r in answers] == [403, 403, 403]
    assert len({r.get_data() for r in answers}) == 1 and all(b"SUP1" not in r.get_data() for r in answers)
    assert client.get("/kiosk/labels/preview/part/OF-100.svg").status_code == 200
    assert state(shop_q) == before


@pytest.mark.clock  # the unlock lasts minutes of the one clock
def test_no_screen_shows_a_badge_label_not_even_an_unlocked_supervisors(client: Any, shop_q: Database) -> None:
    """GIVEN a supervisor unlocked on the kiosk (then gone: anyone may stand there) WHEN a badge's label preview is
    asked for THEN still 403: a supervisor prints badge labels with badge and PIN, a screen never shows one."""
    token = csrf_token(client, "/kiosk/admin/users")
    assert client.post("/kiosk/admin/unlock", data={"badge": "SUP1", "csrf_token": token}).status_code == 200
    assert client.get("/kiosk/labels/preview/badge/T001.svg").status_code == 403
    page = client.get("/kiosk/labels?kind=badge&ids=T001").get_data(as_text=True)
    assert "preview/badge" not in page


BADGE_LABEL_API = [
    # (id, headers, badge in the body, status, code)
    ("technician-token", TECH_TOKEN, None, 403, "role_denied"),
    ("storekeeper-token", STORE_TOKEN, None, 403, "role_denied"),
    ("technician-token-supervisor-badge", TECH_TOKEN, "SUP1", 403, "role_denied"),
    ("supervisor-token-technician-badge", SUP_TOKEN, "T001", 403, "role_denied"),
    ("supervisor-badge-without-pin", SUP_TOKEN, "SUP1", 403, "pin_required"),
    ("supervisor-badge-wrong-pin", SUP_TOKEN, "SUP1:1111", 403, "bad_pin"),
    ("no-token", None, "SUP1", 401, None),
]


@pytest.mark.parametrize("case", BADGE_LABEL_API, ids=[c[0] for c in BADGE_LABEL_API])
@pytest.mark.parametrize("printer", [None, "zebra-1"], ids=["preview", "print"])
def test_badge_label_by_api_needs_a_supervisor(
    token_client: Any, shop_q: Database, case: tuple[str, str | None, str | None, int, str | None], printer: str | None
) -> None:
    """GIVEN `POST /api/labels {"kind": "badge"}` WHEN anyone but a supervisor asks (token and badge must both be
    allowed) THEN refused before any look-up: no ZPL, no job."""
    _, token, badge, status, code = case
    body: dict[str, Any] = {"kind": "badge", "id": "SUP1"}
    body.update({"printer": printer} if printer else {"format": "zpl"})
    if badge:
        body["badge"], _, pin = badge.partition(":")
        if pin:
            body["pin"] = pin
    before = state(shop_q)
    resp = token_client.post("/api/labels", json=body, headers=bearer(token) if token else {})
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert b"SUP1" not in resp.get_data() and b"^XA" not in resp.get_data()
    if code:
        assert resp.get_json()["code"] == code and resp.get_json()["error_zh"]
    assert state(shop_q) == before


def test_badge_label_by_api_for_a_supervisor(token_client: Any, shop_q: Database) -> None:
    """GIVEN a supervisor's token (or a bare one), or a supervisor's badge with their PIN THEN the badge label
    renders; a part label needs no supervisor."""
    body = {"kind": "badge", "id": "T001", "format": "zpl"}
    with_pin = {**body, "badge": "SUP1", "pin": PIN}
    assert token_client.post("/api/labels", json=with_pin, headers=bearer(SUP_TOKEN)).status_code == 200
    assert token_client.post("/api/labels", json=body, headers=bearer(SUP_TOKEN)).status_code == 200
    assert token_client.post("/api/labels", json=body, headers=bearer("admin-token-0123456789")).status_code == 200
    part = {"kind": "part", "id": "OF-100", "format": "zpl"}
    assert token_client.post("/api/labels", json=part, headers=bearer(TECH_TOKEN)).status_code == 200


def test_badge_label_on_the_kiosk_needs_a_supervisor_badge(client: Any, shop_q: Database) -> None:
    """GIVEN the kiosk label page WHEN a technician's or storekeeper's badge (with their PIN) prints a badge label,
    or a supervisor's without the PIN or with a wrong one THEN 403 and no job; the supervisor's badge and PIN get
    past authority (and then fail on the unknown printer)."""
    token = csrf_token(client, "/kiosk/labels")
    before = state(shop_q)
    for badge, pin in (("T001", PIN), ("S001", PIN), ("U:T001", PIN), ("SUP1", ""), ("SUP1", "1111")):
        data = {"kind": "badge", "ids": "SUP1", "printer": "p", "badge": badge, "pin": pin, "csrf_token": token}
        resp = client.post("/kiosk/labels/print", data=data)
        assert resp.status_code == 403, badge
    assert "PIN" in resp.get_data(as_text=True)
    snap, counts = state(shop_q)
    assert counts == before[1] and {k: v for k, v in snap.items() if k != "users"} == {
        k: v for k, v in before[0].items() if k != "users"
    }
    data = {"kind": "badge", "ids": "T001", "printer": "p", "badge": "SUP1", "pin": PIN, "csrf_token": token}
    assert client.post("/kiosk/labels/print", data=data).status_code == 422


def test_a_badge_label_job_is_reprinted_by_a_supervisor_only(client: Any, shop_q: Database) -> None:
    """GIVEN a badge label printed earlier WHEN a technician reprints it (kiosk or API) THEN 403; the job list
    shows the badge masked."""
    with shop_q.writing() as s:
        job = PrintJob(printer="p", kind="badge", object_id="SUP1", payload="^XA^XZ", status="printed")
        s.add(job)
        s.flush()
        job_id = job.id
    token = csrf_token(client, "/kiosk/labels")
    before = state(shop_q)
    data = {"badge": "T001", "pin": PIN, "csrf_token": token}
    assert client.post(f"/kiosk/labels/jobs/{job_id}/reprint", data=data).status_code == 403
    data = {"badge": "SUP1", "csrf_token": token}
    assert client.post(f"/kiosk/labels/jobs/{job_id}/reprint", data=data).status_code == 403
    assert client.post(f"/api/print-jobs/{job_id}/reprint", json={"badge": "T001", "pin": PIN}).status_code == 403
    assert client.post(f"/api/print-jobs/{job_id}/reprint", json={"badge": "SUP1"}).status_code == 403
    assert state(shop_q) == before
    page = client.get("/kiosk/labels").get_data(as_text=True)
    assert "SUP1" not in page and "••••" in page


# -- tags bound to a job: never a code that already means something else ------------------------------------------
TAG_CASES = [
    ("4006381333931", "part OF-100"),  # OF-100's EAN
    ("07032069804988", "part ALT-300"),  # ALT-300's GTIN
    ("7032069804988", "part ALT-300"),  # the same GTIN as EAN-13
    ("OF-100", "part OF-100"),  # a part number
    ("sp-200", "part SP-200"),  # tags are looked up case-insensitively
    ("OF100-ALT", "part OF-100"),  # an alias
    ("A-01-01", "bin A-01-01"),
    ("T001", "a code in use"),  # a badge (not named)
    ("SUP1", "a code in use"),
    ("1002", "job 1002"),  # another job's number
    ("1001", "job 1001"),  # its own
]


@pytest.mark.parametrize("code,what", TAG_CASES, ids=[c[0] for c in TAG_CASES])
def test_a_tag_that_collides_is_refused(client: Any, shop_q: Database, code: str, what: str) -> None:
    """GIVEN `POST /api/workorders/1001/tags` WHEN the tag is a part's code, a bin, a badge or a job number
    THEN 409 tag_conflict naming what it is (a badge's owner never named) and no tag is bound."""
    before = state(shop_q)
    resp = client.post("/api/workorders/1001/tags", json={"code": code, "kind": "key", "badge": "ADV1"})
    assert resp.status_code == 409, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["code"] == "tag_conflict" and what in body["error"] and body["error_zh"]
    assert "Li Wei" not in body["error"] and "Chen Jie" not in body["error"]
    assert state(shop_q) == before


def test_reception_binds_its_tags_through_the_same_check(client: Any, shop_q: Database) -> None:
    """GIVEN a car received with a key tag that is a part's EAN THEN 409 tag_conflict and no job is created;
    a fob's own code is bound, and its scan still selects the part's EAN as a part."""
    before = state(shop_q)
    resp = client.post("/api/reception", json=car(key_tag="4006381333931"))
    assert resp.status_code == 409 and resp.get_json()["code"] == "tag_conflict"
    assert state(shop_q) == before
    assert client.post("/api/reception", json=car(key_tag="FOB-2001")).status_code == 201
    assert client.post("/api/workorders/1001/tags", json={"code": "FOB-77", "badge": "ADV1"}).status_code == 201


# -- customer returns: a real sale, never more than it sold less what came back ----------------------------------
def test_a_return_must_name_a_real_sale(client: Any, shop_q: Database) -> None:
    """GIVEN a sale of 2 brake pads WHEN returns name free text, an unknown sale, more than sold, a part not on the
    sale, or more than is left after a first return THEN each is refused with its code and nothing changes."""
    sale = shipped_sale(shop_q, "BP-400", 2)
    base = {"part_no": "BP-400", "qty": 1, "reason": "wrong_shipment", "badge": "S001"}
    cases = [
        ({"sale_ref": "INV-1"}, 404, "unknown_sale"),
        ({"sale_ref": "anything at all"}, 404, "unknown_sale"),
        ({"sale_ref": "SO:777777"}, 404, "unknown_sale"),
        ({"sale_ref": sale, "qty": 3}, 409, "return_exceeds_sold"),
        ({"sale_ref": sale, "part_no": "OF-100"}, 409, "return_exceeds_sold"),
    ]
    for over, status, code in cases:
        before = state(shop_q)
        resp = client.post("/api/returns", json={**base, **over})
        assert resp.status_code == status, (over, resp.get_data(as_text=True))
        assert resp.get_json()["code"] == code and resp.get_json()["error_zh"]
        assert state(shop_q) == before
    ok = client.post("/api/returns", json={**base, "sale_ref": sale, "qty": 2})
    assert ok.status_code == 201 and ok.get_json()["sale_ref"] == sale
    before = state(shop_q)
    again = client.post("/api/returns", json={**base, "sale_ref": sale})
    assert again.status_code == 409 and again.get_json()["code"] == "return_exceeds_sold"
    assert "2 already returned" in again.get_json()["error"]
    assert state(shop_q) == before
