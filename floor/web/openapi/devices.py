"""Operations of labels and printers, and of scan gateways."""

from __future__ import annotations

from typing import Any

from floor.labels.kinds import KINDS
from floor.labels.service import FORMATS
from floor.web.openapi.schema import arr, i, obj, op, s

OPERATIONS: list[dict[str, Any]] = [
    # labels
    op(
        "post",
        "/api/labels",
        "Print a label or return it rendered; a badge label (kind badge) only for a supervisor (badge or token)",
        obj(
            ["kind"],
            kind=s(16, list(KINDS)),
            id=s(128),
            ids=arr(s(128), 500),
            format=s(8, list(FORMATS)),
            printer=s(64),
            station=s(64),
            badge=s(64),
        ),
    ),
    op("get", "/api/printers", "Printers and their queues"),
    op("post", "/api/print-jobs/{job_id}/reprint", "Queue an earlier print job again"),
    # gateways
    op(
        "post",
        "/api/gateway/alerts",
        "A gateway reports a batch it quarantined",
        obj(
            ["station", "device", "first_seq", "last_seq", "scans", "error"],
            station=s(64),
            device=s(64),
            first_seq=i(0, 2**62),
            last_seq=i(0, 2**62),
            scans=i(1, 100_000),
            error=s(500),
        ),
    ),
    op("get", "/api/gateway/alerts", "Batches gateways quarantined, newest first"),
]
