"""Operations of work orders and their cores."""

from __future__ import annotations

from typing import Any

from floor.core.workorders.status import Status
from floor.web.openapi.schema import BADGE, DAY, PIN, obj, op, s, words

JOB_STATUS = words(["open", "closed", *(st.value for st in Status)])

OPERATIONS: list[dict[str, Any]] = [
    # work orders and cores
    op("get", "/api/workorders", "Jobs by status (comma-separated; open and closed are shorthands)", status=JOB_STATUS),
    op("get", "/api/workorders/board", "The job board"),
    op(
        "get",
        "/api/workorders/costs.csv",
        "Parts cost per job",
        **{"from": DAY, "to": DAY, "by": s(8, ["job", "part"])},
    ),
    op(
        "post",
        "/api/workorders/{number}/status",
        "Move a job to a status",
        obj(["status"], status=s(32), note=s(2000), reason=s(32), team=s(64), badge=BADGE),
    ),
    op(
        "post",
        "/api/workorders/{number}/tags",
        "Attach a key tag to a job; a code that is already a part's, a bin, a badge or a job number: tag_conflict",
        obj(["code"], code=s(128), kind=s(16), label=s(200), badge=BADGE),
    ),
    op("get", "/api/cores", "Cores by status", status=s(8, ["due", "returned", "waived", "all"])),
    op("post", "/api/cores/{serial}/return", "A core comes back", obj(["badge"], badge=BADGE)),
    op(
        "post",
        "/api/cores/{serial}/disposition",
        "Judge a returned core",
        obj(
            ["disposition", "badge"],
            disposition=s(32, ["reusable", "scrap", "warranty", "supplier_core", "customer_kept"]),
            badge=BADGE,
            claim_ref=s(64),
        ),
    ),
    op(
        "post",
        "/api/cores/{serial}/waive",
        "Waive a due core (the supervisor's PIN)",
        obj(["badge", "pin"], badge=BADGE, pin=PIN, note=s(2000)),
    ),
]
