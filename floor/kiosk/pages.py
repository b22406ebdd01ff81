"""Every kiosk page, in one place: importing this module registers each page's routes on the kiosk's blueprint.

The page modules import `bp` from floor.kiosk.blueprint, which imports none of them, so no page depends on
import order; the app factory (floor.service.blueprints) registers the two blueprints named here.
"""

from __future__ import annotations

from flask import Blueprint

# Importing a page module registers its routes on the kiosk's blueprint (`blueprint.bp`).
from floor.kiosk import (  # noqa: F401
    admin,
    aftersales_pages,
    appointments_page,
    blueprint,
    board,
    cashier_pages,
    demand_pages,
    enrolment,
    handheld,
    labels_page,
    reception_pages,
    repair_pages,
    reports_page,
    sales_pages,
    stock_pages,
    technician_page,
    views,
)

kiosk: Blueprint = blueprint.bp  # "kiosk": /kiosk/..., every page above
handheld_bp: Blueprint = handheld.bp  # the handheld page and its API, a blueprint of its own
