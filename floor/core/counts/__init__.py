"""Cycle counts and stocktakes: ABC classes, count plans, counting by scans, variance, approval.

Modules: `settings` (the [counts] config table), `abc` (classification and its
scheduler), `plans` (due list, creating sessions), `handlers` (scan handlers,
imported by the scan engine's plugins), `variance` (expected as of the moment
counted, one set-based query), `approval` (supervisor approval posts
adjustments), `charts` (Pareto curve and progress as SVG).
"""

from __future__ import annotations

from typing import Any


class CountError(Exception):
    """A count request that cannot be done; `status` is the HTTP status an API answers with."""

    def __init__(self, message: str, status: int = 400, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.details = details
