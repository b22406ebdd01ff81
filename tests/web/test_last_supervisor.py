"""The last active supervisor can be neither demoted nor deactivated: by CSV, by the API, on the kiosk's admin page."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from floor.core.master import Importer
from floor.core.supervisors import SupervisorError
from floor.imports import import_csv
from floor.models import User
from tests.kiosk.helpers import csrf_token


def people(db):
    with db.reading() as s:
        return {b: (r, a) for b, r, a in s.execute(select(User.badge, User.role, User.active))}


def test_csv_cannot_demote_the_only_supervisor(shop):
    """GIVEN SUP1 the only supervisor WHEN a users file makes SUP1 a technician THEN its line is refused with the
    last-supervisor text and nothing of the file is written."""
    before = people(shop)
    report = import_csv(shop, "users", b"badge,name,role\nT8,New Tech,technician\nSUP1,Chen Jie,technician\n")
    assert [(e.line, e.column) for e in report.errors] == [(3, "role")]
    assert "last active supervisor" in report.errors[0].message
    assert people(shop) == before


def test_csv_cannot_deactivate_the_only_supervisor(shop):
    """GIVEN SUP1 the only supervisor WHEN a users file says `active` no for SUP1 THEN refused; SUP1 stays active."""
    report = import_csv(shop, "users", b"badge,name,role,active\nSUP1,Chen Jie,supervisor,no\n")
    assert [(e.line, e.column) for e in report.errors] == [(2, "role")]
    assert people(shop)["SUP1"] == ("supervisor", True)


def test_csv_may_hand_over_to_a_new_supervisor_first(shop):
    """GIVEN SUP1 the only supervisor WHEN a file first makes SUP2 a supervisor, then SUP1 a technician, then
    deactivates T002 THEN all of it is taken."""
    data = b"badge,name,role,active\nSUP2,Ma Li,supervisor,\nSUP1,Chen Jie,technician,\nT002,Zhang Min,technician,no\n"
    report = import_csv(shop, "users", data)
    assert report.ok, report.errors
    now = people(shop)
    assert now["SUP1"] == ("technician", True) and now["SUP2"] == ("supervisor", True)
    assert now["T002"] == ("technician", False)


def test_the_rule_refuses_in_the_core_with_its_code(shop):
    """GIVEN SUP1 the only supervisor WHEN the importer deactivates SUP1 THEN the coded refusal `last_supervisor`."""
    with shop.writing() as s:
        with pytest.raises(SupervisorError) as err:
            Importer(s).apply("users", {"badge": "SUP1", "name": "Chen Jie", "role": "supervisor", "active": False})
        assert err.value.code == "last_supervisor"
        s.rollback()


def test_api_refuses_demoting_the_only_supervisor(client, shop):
    """GIVEN SUP1 the only supervisor WHEN POST /api/users demotes SUP1 THEN 409 `last_supervisor` in en and zh, and
    SUP1 is still a supervisor; a second supervisor makes the same call pass."""
    body = {"badge": "SUP1", "name": "Chen Jie", "role": "advisor", "by_badge": "SUP1"}
    r = client.post("/api/users", json=body)
    assert r.status_code == 409, r.get_json()
    assert r.get_json()["code"] == "last_supervisor" and r.get_json()["error_zh"]
    assert people(shop)["SUP1"] == ("supervisor", True)
    made = client.post("/api/users", json={"badge": "SUP2", "name": "Ma Li", "role": "supervisor", "by_badge": "SUP1"})
    assert made.status_code == 201
    assert client.post("/api/users", json=body).status_code == 201
    assert people(shop)["SUP1"] == ("advisor", True)


def test_kiosk_admin_refuses_demoting_the_only_supervisor(client, shop):
    """GIVEN SUP1 the only supervisor WHEN the people form or a CSV upload demotes SUP1 THEN refused with the
    last-supervisor text, and SUP1 stays a supervisor."""
    token = csrf_token(client, "/kiosk/admin/users")
    row = {"badge": "SUP1", "name": "Chen Jie", "role": "foreman", "by_badge": "SUP1", "csrf_token": token}
    r = client.post("/kiosk/admin/users", data=row)
    assert r.status_code == 409
    assert "last active supervisor" in r.get_data(as_text=True)
    upload = client.post(
        "/kiosk/admin/import",
        data={
            "kind": "users",
            "by_badge": "SUP1",
            "csrf_token": csrf_token(client, "/kiosk/admin/import"),
            "file": (io.BytesIO(b"badge,name,role\nSUP1,Chen Jie,foreman\n"), "users.csv"),
        },
        content_type="multipart/form-data",
    )
    assert upload.status_code == 422 and "last active supervisor" in upload.get_data(as_text=True)
    assert people(shop)["SUP1"] == ("supervisor", True)
