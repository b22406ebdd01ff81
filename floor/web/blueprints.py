"""The feature blueprints the app registers besides the core API."""
from __future__ import annotations

from flask import Blueprint


def BLUEPRINTS() -> list[Blueprint]:  # noqa: N802 - reads as a constant list at the call site
    """Every feature blueprint, imported late so features can import the app module."""
    found: list[Blueprint] = []
    from floor.kiosk.views import bp as kiosk_bp; found.append(kiosk_bp)  # noqa: E702 - one line per feature
    from floor.web.counts_api import bp as counts_bp; found.append(counts_bp)  # noqa: E702
    from floor.web.workorders_api import bp as workorders_bp; found.append(workorders_bp)  # noqa: E702
    from floor.web.stock_api import bp as stock_bp; found.append(stock_bp)  # noqa: E702
    return found
