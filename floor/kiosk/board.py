"""Job board for a wall TV: every open job by stage, its timing flags, parts, cores and where its keys are.

The rows come from `floor.core.workorders.board.board` (the same query as the API);
this view only pages them (40 per screen, rotating) and counts them for the
stage strip at the top.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from typing import Any

from flask import request

from floor.kiosk.views import bp, page
from floor.web.app import floor_app

PAGE_SIZE = 40
ROTATE_S = 15
STAGES = ("received", "dispatched", "in_progress", "on_hold", "qc", "washing", "ready")
BOARD_PARTIALS = {"board-live": "kiosk/_board_live.html"}


def board_rows(now: datetime) -> list[dict[str, Any]]:
    """Every open job as the core board query returns it."""
    from floor.core.workorders.board import board

    with floor_app().db.reading() as s:
        return board(s, now)


def board_context(now: datetime | None = None, page_size: int = PAGE_SIZE) -> dict[str, Any]:
    """Rows split into screens, stage counts and flag totals."""
    now = now or datetime.now(timezone.utc)
    rows = board_rows(now)
    for r in rows:
        r["time_in_stage_min"] = r["time_in_stage_s"] // 60
        r["key_tags"] = [t for t in r["tags"] if t["kind"] in ("key", "folder")]
    pages = [rows[i:i + page_size] for i in range(0, len(rows), page_size)] or [[]]
    stages = Counter(r["status"] for r in rows)
    return {
        "rows": rows, "pages": pages, "stage_counts": [(s, stages.get(s, 0)) for s in STAGES],
        "total": len(rows), "overdue": sum("overdue" in r["flags"] for r in rows),
        "progress_check": sum("progress_check" in r["flags"] for r in rows),
        "cores_due_total": sum(r["cores_due"] for r in rows),
        "waiting_parts": sum(bool(r["parts_outstanding"]) for r in rows),
        "rotate_s": ROTATE_S, "now": now,
    }


@bp.get("/board")
def board() -> str:
    """The job board (full page, or the live partial for htmx)."""
    size = request.args.get("per_page", type=int) or PAGE_SIZE
    return page("kiosk/board.html", BOARD_PARTIALS, **board_context(page_size=max(5, min(size, 200))))
