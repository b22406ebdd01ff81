"""`/kiosk/reports`: the parts department's figures as pictures people read at a glance.

KPI tiles with a 12-month sparkline, stock value by ABC class (Pareto), count accuracy by zone,
dead stock by age band, cores by age, warranty claims credited vs owed by month. Every picture is server-rendered SVG from
`floor.core.reports`; the same figures come as JSON and CSV from `/api/reports/...`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup

from floor import clock
from floor.application import aftersales
from floor.application.repair import technicians
from floor.config.settings import aftersales_settings
from floor.core.reports.charts import bars_svg, paired_bars_svg, pareto_classes_svg, sparkline_svg
from floor.core.reports.deadstock import AGE_BANDS, DEFAULT_DAYS, dead_stock, summary
from floor.core.reports.kpis import count_accuracy
from floor.core.reports.monthend import dead_top
from floor.core.reports.period import Period, month_of, previous_months
from floor.core.reports.pictures import core_ages, kpi_series, series_by_kpi, stock_value_by_class, warranty_series
from floor.http.app import floor_app
from floor.kiosk.blueprint import bp
from floor.kiosk.helpers import lang, site_zone
from floor.models.aftersales import ComplaintCategory

# KPI -> how its value is shown: "pct" (a fraction as %), "money", "days", "num"
FORMATS = {
    "turnover": "num",
    "days_of_supply": "days",
    "fill_rate": "pct",
    "count_accuracy": "pct",
    "returns_rate": "pct",
    "rework_rate": "pct",
    "core_return_rate": "pct",
    "stockouts": "int",
    "dead_stock_value": "money",
    "sales_total": "money",
    "parts_cost_total": "money",
    "labour_sales": "money",
    "parts_sales_workshop": "money",
    "revenue_per_job": "money",
    "parts_margin": "money",
}


def kpi_labels() -> dict[str, str]:
    """The KPI names in the page's language."""
    return {
        "turnover": _("Stock turnover"),
        "days_of_supply": _("Days of supply"),
        "fill_rate": _("First-time fill rate"),
        "count_accuracy": _("Count accuracy"),
        "returns_rate": _("Returns rate"),
        "rework_rate": _("Rework rate"),
        "core_return_rate": _("Core return rate"),
        "stockouts": _("Stock-out part-days"),
        "dead_stock_value": _("Dead stock value"),
        "sales_total": _("Sales total"),
        "parts_cost_total": _("Parts cost"),
        "labour_sales": _("Labour sales"),
        "parts_sales_workshop": _("Workshop parts sales"),
        "revenue_per_job": _("Revenue per job"),
        "parts_margin": _("Parts margin"),
    }


def shown(value: float | None, fmt: str) -> str:
    """A KPI value as text for a tile."""
    if value is None:
        return "—"
    if fmt == "pct":
        return f"{value * 100:.1f}%"
    if fmt == "money":
        return f"{value:,.2f}"
    if fmt == "days":
        return f"{value:,.0f}"
    if fmt == "int":
        return f"{value:,.0f}"
    return f"{value:.2f}"


def reports_context() -> dict[str, Any]:
    """Everything the page draws, read in one transaction."""
    now, tz = clock.now(), site_zone()
    this = month_of(now, tz)
    year = Period(previous_months(this, 11)[0].first, now.astimezone(tz).date(), tz)
    labels = kpi_labels()
    with floor_app().db.reading() as s:
        rows = kpi_series(s, now, tz, 12)
        by_class = stock_value_by_class(s)
        accuracy = count_accuracy(s, year)
        dead = dead_stock(s, now, DEFAULT_DAYS, now)
        cores = core_ages(s, now, now - timedelta(days=365))
        after = aftersales_pictures(s, year)
        techs = technicians(s, this.start, this.end, now)
    series: dict[str, list[float | None]] = dict(series_by_kpi(rows))
    credited, owed = warranty_series(rows)
    series["warranty_credited"], series["warranty_owed"] = credited, owed
    labels["warranty_credited"] = _("Warranty credited")
    labels["warranty_owed"] = _("Warranty owed")
    tiles = []
    twelve = _("12 months")
    for key, fmt in (*FORMATS.items(), ("warranty_credited", "money"), ("warranty_owed", "money")):
        values = series[key]
        latest = values[-1]
        previous = values[-2] if len(values) > 1 else None
        tiles.append(
            {
                "key": key,
                "label": labels[key],
                "value": shown(latest, fmt),
                "previous": shown(previous, fmt),
                "missing": all(v is None for v in values),
                "svg": Markup(sparkline_svg(values, f"{labels[key]} — {twelve}")),
            }
        )
    months = [r["month"] for r in rows]
    band_names = {
        "lt_365": _("under 1 year"),
        "365_729": _("1–2 years"),
        "ge_730": _("over 2 years"),
        "never": _("never issued"),
    }
    dead_sum = summary(dead)
    zones = [(z, v["accuracy"] or 0.0) for z, v in accuracy["by_zone"].items()]
    latest_claims = rows[-1].get("warranty_claims") or {}
    return {
        "months": months,
        "tiles": tiles,
        "warranty": Markup(
            paired_bars_svg(
                [m[2:] for m in months],  # YY-MM under each pair
                credited,
                owed,
                (_("credited in the month"), _("owed at the month's end")),
                _("Warranty claims: credited vs owed"),
            )
        ),
        "claims": latest_claims,
        "pareto": Markup(pareto_classes_svg(by_class, _("Stock value by ABC class"))),
        "accuracy": Markup(bars_svg(zones, _("Count accuracy by zone (12 months)"), percent=True)),
        "dead_bands": Markup(
            bars_svg(
                [(band_names[b], dead_sum["by_age_band"].get(b, 0.0)) for b in AGE_BANDS],
                _("Dead stock by age band (value)"),
                unit=" ",
            )
        ),
        "cores_due": Markup(bars_svg(cores["due"], _("Cores still due, by age in days"))),
        "cores_back": Markup(bars_svg(cores["returned"], _("Cores returned in 12 months, by days taken"))),
        "dead": dead_sum,
        "dead_lines": dead_top(dead, 15),
        "dead_days": DEFAULT_DAYS,
        "last_month": previous_months(this, 1)[0].first.strftime("%Y-%m"),
        **after,
        **technicians_picture(techs, this.first.strftime("%Y-%m")),
    }


def aftersales_pictures(session: Any, year: Period) -> dict[str, Any]:
    """After the car has left (SPEC 10.5), over the 12 months: complaints by category with the on-time share, the
    comeback rate by month (confirmed ÷ delivered; not the rework rate), CSI and the follow-up rate."""
    settings = aftersales_settings(floor_app().cfg)
    stats = aftersales.complaint_stats(session, settings, year.start, year.end)
    figures = aftersales.kpis(session, settings, year.start, year.end)
    zh = lang() == "zh"
    names = {c.value: (c.zh if zh else c.en) for c in ComplaintCategory}
    by_category: dict[str, int] = {}
    for row in stats:
        by_category[row["category"]] = by_category.get(row["category"], 0) + row["complaints"]
    months = figures["aftersales"]["comebacks"]["months"]
    rates = [(m["month"][2:], (m["comeback_rate"] or 0.0) * 100) for m in months]
    return {
        "complaints_chart": Markup(
            bars_svg(
                sorted(((names.get(k, k), float(v)) for k, v in by_category.items()), key=lambda kv: -kv[1]),
                _("Complaints by category (12 months)"),
            )
        ),
        "comebacks_chart": Markup(bars_svg(rates, _("Comeback rate by month (confirmed ÷ delivered)"), unit="%")),
        "aftersales": {
            "complaints": figures["complaints"],
            "on_time": shown(figures["complaints_on_time"], "pct"),
            "comeback_rate": shown(figures["comeback_rate"], "pct"),
            "csi": shown(figures["csi"], "num"),
            "followup_rate": shown(figures["followup_rate"], "pct"),
        },
    }


def technicians_picture(rows: list[dict[str, Any]], month: str) -> dict[str, Any]:
    """The technicians' clocked and sold hours this month as paired bars, and their efficiency (SPEC 10.3)."""
    return {
        "tech_rows": rows,
        "tech_month": month,
        "technicians_chart": Markup(
            paired_bars_svg(
                [r["name"] for r in rows],
                [float(r["clocked_hours"]) for r in rows],
                [float(r["sold_hours"]) for r in rows],
                (_("clocked hours"), _("sold hours of lines finished")),
                _("Technicians this month: clocked vs sold hours"),
            )
        ),
    }


@bp.get("/reports")
def reports() -> str:
    """The reports page: KPI tiles with their 12-month trend and the pictures; printable on A4."""
    return render_template("kiosk/reports.html", **reports_context())
