"""The thin web ring: the Flask app factory, JSON API and kiosk pages call core functions."""

from floor.web.app import create_app, floor_app

__all__ = ["create_app", "floor_app"]
