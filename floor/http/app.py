"""The app context every view reads: `floor_app()` gives the config, the database, the scan service and the running parts.

The factory that builds it is `floor.service.factory.create_app`; views import only this
module, so the factory can import the blueprints it registers without a loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from flask import current_app

from floor.application.scan_service import ScanService
from floor.config import Config
from floor.db import Database

if TYPE_CHECKING:
    from floor.http.live import Broadcaster
    from floor.labels.worker import PrintWorkers
    from floor.scanners.manager import DeviceManager


@dataclass
class FloorApp:
    """What the web layer shares: the config, the database, the scan service and what runs in this process."""

    cfg: Config
    db: Database
    service: ScanService
    # Set by init_kiosk: pushes live updates to open kiosk pages.
    broadcaster: Broadcaster | None = None
    # Set by the runtime when this process drains the print queues / reads the devices.
    printers: PrintWorkers | None = None
    devices: DeviceManager | None = None

    def wake_printer(self, printer: str) -> None:
        """New jobs for `printer` were committed: let its worker look now (if this process runs it)."""
        if self.printers is not None:
            self.printers.wake(printer)


def floor_app() -> FloorApp:
    """The FloorApp of the current Flask app."""
    return cast(FloorApp, current_app.extensions["floor"])
