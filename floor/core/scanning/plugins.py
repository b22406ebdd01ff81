"""Imports every module that registers scan handlers, so the engine knows them all."""
from floor.core.scanning import session_handlers, stock_handlers  # noqa: F401
from floor.core.counts import handlers as count_handlers  # noqa: F401,E402
from floor.core.workorders import scans as workorder_scans  # noqa: F401,E402
from floor.core.receiving import scans as receiving_scans  # noqa: F401,E402
from floor.core.returns import scans as return_scans  # noqa: F401,E402
from floor.core.alerts import hooks as alert_hooks  # noqa: F401,E402  (last: after hooks that may reject)
