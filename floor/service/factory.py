"""The Flask application factory: config, database, scan service, both doors' blueprints, the one error handler.

It sits above both doors (floor.web, floor.kiosk), which never import each other or this module.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from flask import Flask

from floor.application.scan_service import ScanService
from floor.config import Config
from floor.db import Database
from floor.http import guards
from floor.http.app import FloorApp
from floor.http.errors import init_errors
from floor.http.principal import init_principal
from floor.http.security_headers import init_security_headers
from floor.kiosk import init_kiosk
from floor.service.blueprints import FEATURE_BLUEPRINTS
from floor.web import api

log = logging.getLogger(__name__)
MAX_REQUEST_BYTES = 4 * 1024 * 1024


def create_app(
    cfg: Config | None = None, db: Database | None = None, test_config: dict[str, Any] | None = None
) -> Flask:
    """Create the web app for a config (tests pass their own config and database)."""
    cfg = cfg or Config()
    # Named as before the factory moved here: the app's logger and root path stay those of the JSON API package.
    app = Flask("floor.web", instance_relative_config=False)
    guards.install(app)  # ids, JSON depth, NUL text: before any blueprint registers a rule
    app.config.update(
        SECRET_KEY=cfg.secret_key or secrets.token_hex(32),
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        JSON_SORT_KEYS=False,
        FLOOR=cfg,
    )
    app.config.from_prefixed_env("FLOOR")
    if test_config:
        app.config.update(test_config)
    db = db or Database.from_config(cfg)
    app.extensions["floor"] = FloorApp(cfg, db, ScanService(cfg, db))
    app.register_blueprint(api.bp)
    for bp in FEATURE_BLUEPRINTS:
        app.register_blueprint(bp)
    init_kiosk(app)  # kiosk: languages, CSRF outside /api/, live updates
    init_principal(app)  # who acts on a write; audit of every write
    init_security_headers(app)  # CSP, nosniff, framing, referrer
    init_errors(app)  # the one JSON error shape, registered once
    return app
