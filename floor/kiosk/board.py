"""Job board for a wall TV: every open job by stage, its timing flags, parts, cores and where its keys are.

The rows come from `floor.core.workorders.board.board` (the same query as the API);
this view only pages them (40 per screen; the TV asks for the next screen
every ROTATE_S seconds, so only what is shown is rendered) and counts them for the
stage strip at the top.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from flask import request
from flask_babel import gettext as _

from floor import clock
from floor.core.inputs import ascii_int
from floor.core.workorders.status import OPEN
from floor.http.app import floor_app
from floor.kiosk.blueprint import bp, page
from floor.kiosk.helpers import Formatter, status_name

PAGE_SIZE = 40
ROTATE_S = 15
STAGES = OPEN  # the board shows every open stage
BOARD_PARTIALS = {"board-live": "kiosk/_board_live.html"}


def board_rows(now: datetime) -> list[dict[str, Any]]:
    """Every open job as the core board query returns it."""
    from floor.core.workorders.board import board

    with floor_app().db.reading() as s:
        return board(s, now)


def comeback_marks(numbers: list[str]) -> dict[str, str]:
    """The jobs of one screen that are comebacks (flagged or confirmed): number -> the earlier job's number."""
    from floor.config.settings import aftersales_settings
    from floor.core.aftersales.comebacks import flags_for

    fa = floor_app()
    with fa.db.reading() as s:
        return flags_for(s, numbers, aftersales_settings(fa.cfg))


def board_context(now: datetime | None = None, page_size: int = PAGE_SIZE, page_no: int = 0) -> dict[str, Any]:
    """One screen of rows (the TV rotates through them), stage counts and flag totals of all open jobs."""
    now = now or clock.now()
    all_rows = board_rows(now)
    pages = max(1, -(-len(all_rows) // page_size))
    page_no = page_no % pages
    shown = all_rows[page_no * page_size : (page_no + 1) * page_size]
    flagged = comeback_marks([r["number"] for r in shown])
    fmt = Formatter()
    for r in shown:  # display strings made here: one template lookup per cell on a 300-job board
        r["in_stage"] = fmt.duration(r["time_in_stage_s"] // 60)
        r["comeback"] = flagged.get(r["number"])  # SPEC 10.5: a car back within [comebacks] days
        r["promised"] = fmt.time(r["promised_at"])
        r["stage_name"] = status_name(r["status"])
        r["estimate"] = fmt.duration(r["estimate_minutes"]) if r["estimate_minutes"] else "–"
        r["key_tags"] = [
            SimpleNamespace(**t, seen=fmt.since(t["last_seen_at"]) if t["last_seen_at"] else "")
            for t in r["tags"]
            if t["kind"] in ("key", "folder")
        ]
        r["technician"] = SimpleNamespace(**r["technician"]) if r["technician"] else None
        r["parts"] = SimpleNamespace(**r["parts"])
        key = r["key"]
        r["key"] = SimpleNamespace(
            out=bool(key["holder"]),
            holder=key["holder_name"] or "",
            since=fmt.since(key["since"]) if key["since"] else "",
            known=key["since"] is not None,
        )
    rows = [SimpleNamespace(**r) for r in shown]  # attribute lookups are what Jinja does fastest
    stages = Counter(r["status"] for r in all_rows)
    return {
        "rows": rows,
        "page_no": page_no,
        "pages": pages,
        "stage_counts": [(s, stages.get(s, 0)) for s in STAGES],
        "total": len(all_rows),
        "overdue": sum("overdue" in r["flags"] for r in all_rows),
        "progress_check": sum("progress_check" in r["flags"] for r in all_rows),
        "cores_due_total": sum(r["cores_due"] for r in all_rows),
        "waiting_parts": sum(bool(r["parts_outstanding"]) for r in all_rows),
        "rotate_s": ROTATE_S,
        "now": now,
        "t": _row_texts(),
    }


def _row_texts() -> dict[str, str]:
    # The texts every row may show, translated once per render rather than once per row.
    return {
        "approval": _("approval"),
        "parts": _("parts"),
        "waiting": _("waiting"),
        "core": _("core"),
        "cores_due": _("Cores due"),
        "key": _("Key"),
        "folder": _("Folder"),
        "overdue": _("overdue"),
        "ask": _("Ask the workshop how it is going"),
        "cabinet": _("in cabinet"),
        "advisor": _("SA"),
        "clocked_sold": _("Clocked / sold labour hours"),
    }


@bp.get("/board")
def board() -> str:
    """The job board (full page, or the live partial for htmx)."""
    # ASCII digits only, bounded: int() would take '１２' and a 100-digit page overflows the query.
    size = ascii_int(request.args.get("per_page"), 1, 10_000) or PAGE_SIZE
    page_no = ascii_int(request.args.get("page"), 0, 1_000_000) or 0
    return page("kiosk/board.html", BOARD_PARTIALS, **board_context(page_size=max(5, min(size, 200)), page_no=page_no))
