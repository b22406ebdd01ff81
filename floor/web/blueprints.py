"""The feature blueprints the app registers besides the core API."""
from __future__ import annotations

from flask import Blueprint


def BLUEPRINTS() -> list[Blueprint]:  # noqa: N802 - reads as a constant list at the call site
    """Every feature blueprint, imported late so features can import the app module."""
    found: list[Blueprint] = []
    return found
