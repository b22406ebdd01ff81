"""Imports every module that registers scan handlers, so the engine knows them all (plugin loading).

The scan service imports this once; the engine itself does not, because every
handler depends on the engine's context and registry: a manifest inside
`floor.core.scanning` would tie the scanning package and every feature into one cycle.

The order matters: counts and receiving wrap handlers registered before them; sales
(mode SALE, `SO:`, sold cores) comes after the workshop's core handler it falls back to;
demand's arrival hooks (receipts, returns, UNDO re-reserve) come after every hook that may
still reject the scan (workshop, receiving, returns, sales); the alert hooks run last.
Keep it; the linter's import sorting is off for this file.
"""

# ruff: noqa: I001, F401
from floor.core.scanning import session_handlers, stock_handlers
from floor.core.counts import handlers as count_handlers
from floor.core.demand import scans as demand_scans
from floor.core.workorders import scans as workorder_scans
from floor.core.receiving import scans as receiving_scans
from floor.core.returns import scans as return_scans
from floor.core.sales import scans as sale_scans
from floor.core.demand import arrivals as demand_arrivals
from floor.core.alerts import hooks as alert_hooks
