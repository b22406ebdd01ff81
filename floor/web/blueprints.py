"""The feature blueprints the app registers besides the core API."""

from __future__ import annotations

import importlib

from flask import Blueprint

# Each feature keeps its views with its code; the app finds them here.
FEATURE_BLUEPRINTS = (
    "floor.kiosk.views",
    "floor.labels.web",
    "floor.web.counts_api",
    "floor.web.workorders_api",
    "floor.web.stock_api",
    "floor.web.reports_api",
)


def BLUEPRINTS() -> list[Blueprint]:
    """Every feature blueprint, imported late so features can import the app module."""
    return [importlib.import_module(name).bp for name in FEATURE_BLUEPRINTS]
