"""A running floor instance: database, scan service, device readers, print workers, web app."""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from floor.config import Config
from floor.db import Database
from floor.db.migrate import upgrade

log = logging.getLogger(__name__)


class _KeepAliveHandler(WSGIRequestHandler):
    """HTTP/1.1, so scanners' gateways and kiosks reuse one connection."""

    protocol_version = "HTTP/1.1"


class Runtime:
    """Everything `floor serve` and `floor demo` run, started and stopped together."""

    def __init__(self, cfg: Config, start_devices: bool = True, start_printers: bool = True) -> None:
        from floor.web import create_app

        self.cfg = cfg
        self.db = Database.from_config(cfg)
        if upgrade(self.db.engine):
            log.info("database brought to the current schema")
        self.app: Flask = create_app(cfg, self.db)
        fa = self.app.extensions["floor"]
        self.service = fa.service
        self.devices: Any = None
        self.printers: Any = None
        self.abc: Any = None
        self._start_devices, self._start_printers = start_devices, start_printers
        self.server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def start_background(self) -> None:
        """Start device readers, print workers and the ABC class scheduler."""
        from floor.core.counts.abc import start_abc_scheduler
        from floor.core.counts.settings import count_settings

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
        """Serve the web app (threaded); return its base URL."""
        try:
            self.server = make_server(host, port, self.app, threaded=True, request_handler=_KeepAliveHandler)
        except SystemExit:  # werkzeug exits when the port is taken; say what to do instead
            self.stop()
            raise OSError(
                f"port {port} on {host} is already in use; stop the other program or choose another port with --port"
            ) from None
        url = f"http://{host}:{self.server.server_port}"
        if block:
            try:
                self.server.serve_forever()
            finally:
                self.stop()
        else:
            self._thread = threading.Thread(target=self.server.serve_forever, name="floor-http", daemon=True)
            self._thread.start()
        return url

    def stop(self) -> None:
        """Stop the server, the readers and the print workers."""
        if self.server is not None and self._thread is not None:
            self.server.shutdown()
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
