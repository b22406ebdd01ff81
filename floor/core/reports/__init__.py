"""The parts department's reports (SPEC 9.5): KPIs for any period, dead stock, the month-end, pictures.

Modules: `period` (periods and months in the site's time zone, passed in), `kpis` (every KPI from the ledger
as it is), `deadstock` (stock with no issue or sale in N days, with a suggestion),
`monthend` (the month's report, proposals, signing and the frozen snapshot),
`charts` (sparklines and bars as SVG text), `csvout` (CSV with formula-safe cells).
"""

from __future__ import annotations

from floor.core.refusal import Refusal


class ReportError(Refusal):
    """A report request that cannot be answered, or a month-end change refused (its status: floor.http.errors)."""
