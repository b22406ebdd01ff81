"""Imports every module that registers scan handlers, so the engine knows them all.

The order matters: counts and receiving wrap handlers registered before them, and the
alert hooks run last, after hooks that may reject. Keep it; the linter's import sorting
is off for this file.
"""

# ruff: noqa: I001, F401
from floor.core.scanning import session_handlers, stock_handlers
from floor.core.counts import handlers as count_handlers
from floor.core.demand import scans as demand_scans
from floor.core.workorders import scans as workorder_scans
from floor.core.receiving import scans as receiving_scans
from floor.core.returns import scans as return_scans
from floor.core.demand import arrivals as demand_arrivals
from floor.core.alerts import hooks as alert_hooks
