"""A kiosk unlock (SPEC 10.6) keeps the person's id and a seal in the session cookie, never the badge.

Flask's session cookie is signed, not encrypted: anyone at the station can read it. These tests read it as
they would (the app's own serializer, and the raw base64) and check the unlock ends with the person's badge,
role or active flag.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from floor.core.master import Importer
from tests.kiosk.helpers import csrf_token

pytestmark = pytest.mark.clock


def _cookie_texts(app: Flask, client: FlaskClient) -> list[str]:
    """The session cookie as the app reads it (JSON) and as a passer-by reads it (the raw payload, un-base64'd)."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    decoded = app.session_interface.get_signing_serializer(app).loads(cookie.value)  # type: ignore[attr-defined]
    payload = cookie.value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if cookie.value.startswith("."):  # itsdangerous compresses long payloads
        raw = zlib.decompress(raw)
    return [json.dumps(decoded), raw.decode(), cookie.value]


def _count(shop: Any) -> int:
    from floor.core.counts.plans import create_count

    with shop.writing() as s:
        return create_count(s, "cycle", zone="B").id


def _unlock_stocktake(client: FlaskClient, count_id: int, badge: str = "SUP1") -> str:
    token = csrf_token(client, f"/kiosk/stocktake/{count_id}")
    resp = client.post(f"/kiosk/stocktake/{count_id}/supervisor", data={"badge": badge}, headers={"X-CSRFToken": token})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_data(as_text=True)


def _variance_shown(client: FlaskClient, count_id: int) -> bool:
    page = client.get(f"/kiosk/stocktake/{count_id}")
    assert page.status_code == 200
    return 'id="variance-lines"' in page.get_data(as_text=True)


def test_the_session_cookie_never_holds_the_badge(app, client, shop):
    """GIVEN SUP1 unlocks the stocktake variance WHEN the session cookie is read (signed JSON, raw base64)
    THEN SUP1's badge is nowhere in it, yet the unlock holds; a reissued badge ends it."""
    count_id = _count(shop)
    assert 'id="variance-lines"' in _unlock_stocktake(client, count_id)
    texts = _cookie_texts(app, client)
    assert "kiosk_supervisor" in texts[0]  # the unlock is in this cookie ...
    for text in texts:
        assert "SUP1" not in text  # ... and the badge is not
    assert _variance_shown(client, count_id)
    assert (
        client.post("/api/users/SUP1/reissue", json={"badge": "SUP1", "pin": "2468", "new": "SUP1-B"}).status_code
        == 200
    )
    assert not _variance_shown(client, count_id)


def test_the_admin_unlock_keeps_no_badge_and_still_acts(app, client, shop):
    """GIVEN SUP1 unlocks the admin pages WHEN the cookie is read THEN no badge is in it; an edit without a typed
    badge is made as SUP1 all the same (the badge is looked up by id on the server)."""
    token = csrf_token(client, "/kiosk/admin/users")
    assert client.post("/kiosk/admin/unlock", data={"badge": "SUP1", "csrf_token": token}).status_code == 200
    for text in _cookie_texts(app, client):
        assert "SUP1" not in text
    assert "T001" in client.get("/kiosk/admin/users").get_data(as_text=True)  # unlocked: badges show here
    saved = client.post(
        "/kiosk/admin/users", data={"badge": "T009", "name": "Sun Hao", "role": "technician", "csrf_token": token}
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    with shop.reading() as s:
        from sqlalchemy import select

        from floor.models import AuditEntry

        actors = s.scalars(select(AuditEntry.actor).where(AuditEntry.object == "T009")).all()
    assert actors == ["U:SUP1"]


def test_an_old_cookie_holding_a_badge_is_simply_locked(app, client, shop):
    """GIVEN a session from before (it holds the badge, role and name of SUP1, unexpired) WHEN pages are read
    THEN they answer 200 as locked: no variance, badges masked, an edit needs a typed badge."""
    count_id = _count(shop)
    csrf_token(client, f"/kiosk/stocktake/{count_id}")
    with client.session_transaction() as sess:
        sess["kiosk_supervisor"] = {"badge": "SUP1", "role": "supervisor", "name": "Chen Jie", "until": 4.0e9}
    assert not _variance_shown(client, count_id)
    users = client.get("/kiosk/admin/users")
    assert users.status_code == 200 and "T001" not in users.get_data(as_text=True)
    with client.session_transaction() as sess:
        assert "kiosk_supervisor" not in sess  # forgotten, not kept around
        sess["kiosk_supervisor"] = "SUP1"  # any other shape too
    assert not _variance_shown(client, count_id)


@pytest.mark.parametrize("change", [{"active": "no"}, {"role": "storekeeper"}])
def test_a_deactivated_or_demoted_person_loses_the_unlock(client, shop, change):
    """GIVEN SUP2 (a second supervisor) unlocked the variance WHEN SUP2 is deactivated or made a storekeeper
    THEN the variance is hidden at once."""
    with shop.writing() as s:
        Importer(s).apply("users", {"badge": "SUP2", "name": "Qian Yu", "role": "supervisor"})
    count_id = _count(shop)
    _unlock_stocktake(client, count_id, "SUP2")
    assert _variance_shown(client, count_id)
    with shop.writing() as s:
        imp = Importer(s)
        imp.apply("users", {"badge": "SUP2", "name": "Qian Yu", "role": "supervisor", **change})
        imp.finish()
    assert not _variance_shown(client, count_id)


def test_the_unlock_ends_after_its_minutes(client, shop, pinned_clock):
    """GIVEN SUP1 unlocked the variance WHEN 16 minutes pass THEN it is hidden."""
    from datetime import timedelta

    count_id = _count(shop)
    _unlock_stocktake(client, count_id)
    assert _variance_shown(client, count_id)
    pinned_clock.advance(timedelta(minutes=16))
    assert not _variance_shown(client, count_id)
