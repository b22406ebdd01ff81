"""The thin web ring: the Flask app factory, JSON API and kiosk pages call core functions."""

from floor.web.app import floor_app
from floor.web.factory import create_app

__all__ = ["create_app", "floor_app"]
