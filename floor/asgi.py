"""ASGI entry point for multi-worker sites: `gunicorn -k uvicorn_worker.UvicornWorker 'floor.asgi:app'`.

The same app `floor serve` runs (floor.service.http): open kiosk screens wait on each
worker's event loop, not in threads. Device readers and print workers are not started
here: with several worker processes each would open the same ports. Run readers once per
station PC with `floor gateway`. Changes reach the screens of every worker through
PostgreSQL's LISTEN/NOTIFY (floor.db.feed); several workers need PostgreSQL.
"""

from __future__ import annotations

from floor.cli.main import _load
from floor.service.http import asgi_app
from floor.service.runtime import Runtime

_runtime = Runtime(_load(None), start_devices=False, start_printers=False)
app = asgi_app(_runtime.app)
