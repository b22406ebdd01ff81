"""Fixtures of the authority tests: apps with tokens, role overrides and kiosk enrolment."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from floor.core.master import Importer
from floor.models import AuditEntry
from tests.conftest import make_config

ADMIN_TOKEN = "admin-token-0123456789"
TOKENS: list[Any] = [
    ADMIN_TOKEN,
    {"token": "sup-token-0123456789", "role": "supervisor"},
    {"token": "store-token-0123456789", "role": "storekeeper", "stations": ["dock-1"]},
    {"token": "tech-token-0123456789", "role": "technician"},
]


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of a token."""
    return {"Authorization": f"Bearer {token}"}


def audit_rows(db: Any) -> list[tuple[str, str]]:
    """Every audit entry as (actor, action), oldest first."""
    with db.reading() as s:
        return [(a, b) for a, b in s.execute(select(AuditEntry.actor, AuditEntry.action).order_by(AuditEntry.id))]


def audit_count(db: Any) -> int:
    """How many audit entries exist."""
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@pytest.fixture
def store(shop: Any) -> Any:
    """The small workshop with a quarantine bin, a scrap bin and a foreman."""
    with shop.writing() as s:
        imp = Importer(s)
        imp.apply("locations", {"code": "Q-01", "name": "Returns quarantine", "zone": "Q", "kind": "quarantine"})
        imp.apply("locations", {"code": "X-01", "name": "Scrap cage", "zone": "X", "kind": "scrap"})
        imp.apply("locations", {"code": "K-01", "name": "Core shelf", "zone": "K", "kind": "core"})
        imp.apply("users", {"badge": "FOR1", "name": "Guo Lei", "role": "foreman"})
        imp.finish()
    return shop


@pytest.fixture
def token_app(store: Any) -> Any:
    """The app with a bare token, a supervisor token, a dock-only storekeeper token and a technician token."""
    from floor.service.factory import create_app

    return create_app(make_config(api={"tokens": TOKENS}), store, {"TESTING": True})


@pytest.fixture
def enrol_app(store: Any) -> Any:
    """The app with `[kiosk] require_enrolment = true` (as `floor init` writes it)."""
    from floor.service.factory import create_app

    return create_app(make_config(kiosk={"require_enrolment": True}), store, {"TESTING": True})
