"""A running floor instance: database, scan service, device readers, print workers, web app."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from floor.config import Config
from floor.db import Database
from floor.db.migrate import upgrade
from floor.service.http import HttpServer

log = logging.getLogger(__name__)


class Runtime:
    """Everything `floor serve` and `floor demo` run, started and stopped together."""

    def __init__(self, cfg: Config, start_devices: bool = True, start_printers: bool = True) -> None:
        from floor.service.factory import create_app

        self.cfg = cfg
        self.db = Database.from_config(cfg)
        if upgrade(self.db.engine):
            log.info("database brought to the current schema")
        from floor.imports import recover

        for run_id in recover(self.db):  # an import whose process died: its chunks are taken back
            log.warning("import %s had stopped; its rows were taken back", run_id)
        self.app: Flask = create_app(cfg, self.db)
        fa = self.app.extensions["floor"]
        self.service = fa.service
        self.devices: Any = None
        self.printers: Any = None
        self.abc: Any = None
        self._start_devices, self._start_printers = start_devices, start_printers
        self.server: HttpServer | None = None

    def start_background(self) -> None:
        """Start device readers, print workers and the ABC class scheduler."""
        from floor.config.settings import count_settings
        from floor.core.counts.abc import start_abc_scheduler

        fa = self.app.extensions["floor"]
        settings = count_settings(self.cfg)
        self.abc = start_abc_scheduler(self.db, settings.abc_interval_s, settings.abc_cutoffs)
        if self._start_printers and self.cfg.printers:
            from floor.labels.worker import start_print_workers

            self.printers = start_print_workers(self.cfg, self.db.write_session)
            fa.printers = self.printers
        if self._start_devices and self.cfg.devices:
            from floor.scanners.manager import DeviceManager

            self.devices = DeviceManager(self.cfg, self.service)
            self.devices.start()
            fa.devices = self.devices

    def serve(self, host: str, port: int, block: bool = True) -> str:
        """Serve the web app with the production server (floor.service.http); return its base URL."""
        try:
            self.server = HttpServer(self.app, host, port)
        except OSError:
            self.stop()
            raise
        if block:
            try:
                self.server.run()
            finally:
                self.stop()
        else:
            self.server.start()
        return self.server.url

    def stop(self) -> None:
        """Stop the server, the readers and the print workers."""
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.devices is not None:
            self.devices.stop()
            self.devices = None
        if self.printers is not None:
            self.printers.stop()
            self.printers = None
        if self.abc is not None:
            self.abc.stop()
            self.abc = None
        self.db.dispose()
