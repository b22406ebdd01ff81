"""The stock warning line (预警线): alerts when on-hand falls below the reorder point.

What purchasing reads from it (parts to reorder, suggested quantities, the CSV) is in
`floor.core.purchasing`, which also needs deliveries and cores: kept apart so this
package, called by stock moves everywhere, depends on none of them.
"""

from floor.core.alerts.line import available_totals, evaluate_all, evaluate_in_scan, evaluate_parts

__all__ = ["available_totals", "evaluate_all", "evaluate_in_scan", "evaluate_parts"]
