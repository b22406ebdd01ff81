"""The stock warning line (预警线): alerts when on-hand falls below the reorder point, and reorder suggestions."""

from floor.core.alerts.line import available_totals, evaluate_all, evaluate_in_scan, evaluate_parts
from floor.core.alerts.reorder import alert_log, alerts, cores_outstanding, low_stock, reorder_csv, suggested_qty

__all__ = [
    "alert_log",
    "alerts",
    "available_totals",
    "cores_outstanding",
    "evaluate_all",
    "evaluate_in_scan",
    "evaluate_parts",
    "low_stock",
    "reorder_csv",
    "suggested_qty",
]
