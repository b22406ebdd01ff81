"""The feature blueprints the app registers besides the core API (add yours: one import, one entry)."""

from __future__ import annotations

from flask import Blueprint

from floor.kiosk import pages as kiosk_pages
from floor.web import (
    aftersales_api,
    appointments_api,
    billing_api,
    counts_api,
    demand_api,
    gateway_api,
    imports_api,
    labels_api,
    openapi,
    reception_api,
    repair_api,
    reports_api,
    sales_api,
    stock_api,
    workorders_api,
)

FEATURE_BLUEPRINTS: tuple[Blueprint, ...] = (
    kiosk_pages.kiosk,
    labels_api.bp,
    counts_api.bp,
    workorders_api.bp,
    stock_api.bp,
    reception_api.bp,
    sales_api.bp,
    demand_api.bp,
    openapi.bp,
    gateway_api.bp,
    appointments_api.bp,
    kiosk_pages.handheld_bp,
    reports_api.bp,
    repair_api.bp,
    billing_api.bp,
    imports_api.bp,
    aftersales_api.bp,
)
