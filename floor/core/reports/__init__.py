"""The parts department's reports (SPEC 9.5): KPIs for any period, dead stock, the month-end, pictures.

Modules: `period` (periods and months in the site's time zone, passed in), `kpis` (every KPI from the ledger
as it is), `deadstock` (stock with no issue or sale in N days, with a suggestion),
`monthend` (the month's report, proposals, signing and the frozen snapshot),
`charts` (sparklines and bars as SVG text), `csvout` (CSV with formula-safe cells).
"""

from __future__ import annotations

from floor.core import messages
from floor.core.refusal import Refusal

messages.register(
    {
        "bad_period": ("Bad period: {detail}", "时间段无效：{detail}"),
        "bad_month": ("Bad month {month}: use YYYY-MM", "月份 {month} 无效：请用 YYYY-MM"),
        "month_not_ended": (
            "Month {month} has not ended yet; it can be signed from {from_}",
            "{month} 月尚未结束，{from_} 起才能签字",
        ),
        "month_signed": (
            "Month {month} was signed by {name} at {at}; it is frozen",
            "{month} 月已由 {name} 于 {at} 签字，报表已冻结",
        ),
        "bad_proposal": ("Bad handling proposal: {detail}", "处理建议无效：{detail}"),
    }
)


class ReportError(Refusal):
    """A report request that cannot be answered, or a month-end change refused (its status: floor.http.errors)."""
