"""Imports every module that registers scan handlers, so the engine knows them all."""
from floor.core.scanning import session_handlers, stock_handlers  # noqa: F401
