"""The shop-floor kiosk: counter, job board, stocktake, alerts, labels and admin pages in htmx.

`init_kiosk(app)` is called once by the app factory: languages (flask-babel),
CSRF protection for every form and htmx POST outside /api/, and the live-update
broadcaster (floor.http.live) subscribed to the change feed (floor.db.feed). The pages are
registered on the kiosk's blueprint by importing floor.kiosk.pages (the app factory does).
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

from floor.http.app import floor_app
from floor.http.live import Broadcaster
from floor.kiosk.i18n import compile_catalogs, current_language

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def init_kiosk(app: Flask) -> None:
    """Wire languages, CSRF and live updates into the app."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(compile_catalogs()))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    if "babel" not in app.extensions:
        Babel(app, locale_selector=current_language)
    _init_csrf(app)
    fa = app.extensions["floor"]
    fa.broadcaster = Broadcaster(fa.db)
    fa.db.feed.subscribe(fa.broadcaster.on_changes)


def _init_csrf(app: Flask) -> None:
    # The JSON API (/api/..., every blueprint mounted there) authenticates with bearer
    # tokens and is called by devices and scripts, not browsers: it is exempt by URL
    # prefix. Every other POST (kiosk forms, htmx requests) needs the CSRF token.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # a kiosk page stays open all day
    csrf = app.extensions.get("csrf") or CSRFProtect(app)

    @app.before_request
    def _csrf_outside_api() -> None:
        if request.method in UNSAFE_METHODS and not request.path.startswith("/api/"):
            csrf.protect()


def broadcaster() -> Broadcaster:
    """The live-update broadcaster of the current app."""
    fa = floor_app()
    assert fa.broadcaster is not None, "init_kiosk sets it when the app is created"
    return fa.broadcaster
