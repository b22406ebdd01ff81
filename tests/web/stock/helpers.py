"""Helpers of the inflow tests: send scans, read a part's bins."""

from __future__ import annotations

from typing import Any

from floor.core import queries
from floor.core.results import ScanInput, ScanResult
from floor.db import Database


def scan(service: Any, *texts: str, station: str = "counter-1", device: str = "dev-1") -> list[ScanResult]:
    """Send texts as one batch from one device."""
    return service.submit(station, device, [ScanInput(t.encode()) for t in texts])


def bins(db: Database, part_no: str) -> dict[str, int]:
    """On-hand of a part per bin (bins with stock only)."""
    with db.reading() as s:
        return queries.part_summary(s, part_no)["bins"]
