"""What the web <-> kiosk import cycle still excuses on this branch: the lead deletes this file after merging "doors".

The "doors" branch removes the cycle (the kiosk's page modules import `bp` from floor.kiosk.views, which
imports them back; web.principal and the kiosk's reception pages import each other's modules) by moving the
use cases into floor.application. Both lists may hold floor.web and floor.kiosk modules only, and each test
fails when a module listed no longer needs the excuse, so the lists can only shrink.
"""

from __future__ import annotations

# Exactly the modules of the cycle on this branch (tests/architecture/test_import_cycles.py).
WEB_KIOSK_CYCLE = frozenset(
    {
        "floor.kiosk.admin",
        "floor.kiosk.aftersales_pages",
        "floor.kiosk.appointments_page",
        "floor.kiosk.board",
        "floor.kiosk.cashier_pages",
        "floor.kiosk.demand_pages",
        "floor.kiosk.enrolment",
        "floor.kiosk.handheld",
        "floor.kiosk.labels_page",
        "floor.kiosk.reception_pages",
        "floor.kiosk.repair_pages",
        "floor.kiosk.reports_page",
        "floor.kiosk.sales_pages",
        "floor.kiosk.stock_pages",
        "floor.kiosk.technician_page",
        "floor.kiosk.views",
        "floor.web",
        "floor.web.aftersales_api",
        "floor.web.api",
        "floor.web.appointments_api",
        "floor.web.billing_api",
        "floor.web.blueprints",
        "floor.web.counts_api",
        "floor.web.demand_api",
        "floor.web.factory",
        "floor.web.gateway_api",
        "floor.web.imports_api",
        "floor.web.labels_api",
        "floor.web.principal",
        "floor.web.reception_api",
        "floor.web.repair_api",  # a blueprint: it takes the principal (floor.web.principal) as every other does
        "floor.web.reports_api",
        "floor.web.sales_api",
        "floor.web.stock_api",
        "floor.web.workorders_api",
    }
)


# The kiosk modules that fail to import alone because of it (tests/architecture/test_imports_alone.py);
# floor.kiosk.helpers is in no cycle itself, but the kiosk package's __init__ imports the views first.
FAIL_ALONE = frozenset(
    {
        "floor.kiosk.aftersales_pages",
        "floor.kiosk.appointments_page",
        "floor.kiosk.board",
        "floor.kiosk.cashier_pages",
        "floor.kiosk.demand_pages",
        "floor.kiosk.enrolment",
        "floor.kiosk.handheld",
        "floor.kiosk.helpers",
        "floor.kiosk.labels_page",
        "floor.kiosk.reception_pages",
        "floor.kiosk.repair_pages",
        "floor.kiosk.reports_page",
        "floor.kiosk.sales_pages",
        "floor.kiosk.stock_pages",
        "floor.kiosk.technician_page",
        "floor.kiosk.views",
    }
)
