"""Sales on the kiosk: the sale in session at the counter (mode SALE) and the printable A4 quote/receipt."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template
from flask_babel import gettext as _

from floor.core.sales.errors import SaleError
from floor.core.sales.orders import sale_by_number, sale_summary
from floor.http.app import floor_app
from floor.kiosk.blueprint import bp


def sale_in_session(session: Any, summary: dict[str, Any]) -> dict[str, Any] | None:
    """The sale the counter picks (mode SALE), with its lines ordered/picked, or None."""
    info = (summary.get("extra") or {}).get("sale")
    if summary.get("mode") != "SALE" or not info:
        return None
    try:
        return sale_summary(session, sale_by_number(session, info.get("number")))
    except SaleError:
        return None


@bp.get("/sales/<number>/print")
def sale_print(number: str) -> str:
    """A4 quote (before shipping) or receipt (after), with core tags to bring back; prints on one page."""
    with floor_app().db.reading() as s:
        try:
            sale = sale_summary(s, sale_by_number(s, number))
        except SaleError:
            abort(404, description=_("No sale %(number)s.", number=number))
    return render_template("kiosk/sale_print.html", sale=sale, shop=floor_app().cfg.raw.get("site", {}).get("name", ""))
