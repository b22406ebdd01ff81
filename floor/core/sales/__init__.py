"""Counter and trade sales (SPEC 9.3): customers, sales orders, picking by scan, core charges, claims, statistics.

Rules live here; the API (`floor.web.sales_api`), the kiosk and the scan handlers
(`floor.core.sales.scans`) call them. Every refusal is a `SaleError` with a code
that has an English and a Chinese message.
"""

from floor.core.sales.errors import SaleError, require

__all__ = ["SaleError", "require"]
