"""The warning line on the scan path: every issue, return, receipt and undo re-evaluates the parts it moved."""

from __future__ import annotations

from typing import Any

from floor.core.alerts.line import evaluate_in_scan
from floor.core.catalog import PartInfo
from floor.core.scanning.context import Outcome, ScanContext


def _note(ctx: ScanContext, part: PartInfo, outcome: Outcome) -> None:
    crossings = evaluate_in_scan(ctx, [part.id])
    if crossings:
        outcome.effects["stock_alerts"] = crossings


def after_issue(ctx: ScanContext, part: PartInfo, qty: int, wo: Any, move: Any, outcome: Outcome) -> None:
    """An issue may take a part below its reorder point."""
    _note(ctx, part, outcome)


def after_return(ctx: ScanContext, part: PartInfo, qty: int, wo: Any, move: Any, outcome: Outcome) -> None:
    """A part back from a job may lift it above its reorder point."""
    _note(ctx, part, outcome)


def after_receive(ctx: ScanContext, part: PartInfo, qty: int, loc: Any, move: Any, outcome: Outcome) -> None:
    """A receipt may lift a part above its reorder point."""
    _note(ctx, part, outcome)


def after_undo(ctx: ScanContext, event_id: int) -> None:
    """An undo moves stock back: re-evaluate every part it moved."""
    parts = {m.part_id for m in ctx.ledger.moves if m.event_id == ctx.event_id}
    if parts:
        evaluate_in_scan(ctx, parts)
