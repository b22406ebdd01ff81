"""Imports every module that registers scan handlers, so the engine knows them all (plugin loading).

The scan service imports this once; the engine itself does not, because every
handler depends on the engine's context and registry: a manifest inside
`floor.core.scanning` would tie the scanning package and every feature into one cycle.

The order matters: counts and receiving wrap handlers registered before them, and the
alert hooks run last, after hooks that may reject. Keep it; the linter's import sorting
is off for this file.
"""

# ruff: noqa: I001, F401
from floor.core.scanning import session_handlers, stock_handlers
from floor.core.counts import handlers as count_handlers
from floor.core.workorders import scans as workorder_scans
from floor.core.receiving import scans as receiving_scans
from floor.core.returns import scans as return_scans
from floor.core.alerts import hooks as alert_hooks
