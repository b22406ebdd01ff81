"""A rejected scan leaves no trace even when a handler had already written ORM rows (savepoint rerun)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from floor.application.scan_service import ScanService
from floor.core.results import ScanInput
from floor.core.scanning.context import Reject
from floor.core.wiring import SCAN_WIRING
from floor.models import StockMove, WorkOrderStatusChange


def test_rejected_scan_after_orm_write_is_rolled_back(shop, cfg):
    """GIVEN an issue hook that writes a row and then rejects spark plugs WHEN a batch issues a filter and a plug
    THEN the filter is issued, the plug is rejected, and neither the hook's row nor the plug's move exists."""

    def meddling_hook(ctx, part, qty, wo, move, outcome):
        if part.part_no == "SP-200":
            ctx.session.add(WorkOrderStatusChange(work_order_id=wo.id, from_status="x", to_status="y"))
            ctx.session.flush()
            raise Reject("not_supported", what="spark plugs today")

    hooks = replace(SCAN_WIRING.hooks, issued=(*SCAN_WIRING.hooks.issued, meddling_hook))
    service = ScanService(cfg, shop, wiring=replace(SCAN_WIRING, hooks=hooks))
    results = service.submit(
        "counter-1",
        "d",
        [ScanInput(b"U:T001"), ScanInput(b"WO:1001"), ScanInput(b"P:SP-200"), ScanInput(b"P:OF-100")],
    )
    assert [r.code for r in results] == ["actor_set", "wo_set", "not_supported", "issued"]
    with shop.reading() as s:
        assert (
            s.scalar(
                select(func.count()).select_from(WorkOrderStatusChange).where(WorkOrderStatusChange.from_status == "x")
            )
            == 0
        )
        reasons = list(s.execute(select(StockMove.reason, StockMove.qty).where(StockMove.reason == "issue")))
    assert reasons == [("issue", -1)]
