"""WSGI entry point for gunicorn: `gunicorn 'floor.wsgi:app'` with FLOOR_CONFIG set.

Device readers are not started here: with several worker processes each would
open the same ports. Run them once per station PC with `floor gateway`.
"""

from __future__ import annotations

from floor.cli.main import _load
from floor.service.runtime import Runtime

_runtime = Runtime(_load(None), start_devices=False, start_printers=False)
app = _runtime.app
