"""Group commit: concurrent batches share one transaction, stay in order, and one bad batch fails alone."""

from __future__ import annotations

import threading

from floor.application.group_commit import GroupCommitter
from floor.core.results import ScanInput


def test_bad_batch_fails_alone():
    """GIVEN a group with one bad job WHEN the group fails THEN the others are applied one by one and only the bad one errs."""
    applied: list[str] = []

    def apply_one(work: str) -> str:
        if work == "bad":
            raise ValueError("bad batch")
        applied.append(work)
        return work.upper()

    def apply_group(jobs) -> None:
        if any(j.work == "bad" for j in jobs):
            raise RuntimeError("group failed")
        for j in jobs:
            j.result = apply_one(j.work)

    gc: GroupCommitter[str] = GroupCommitter(apply_group, apply_one)
    out: dict[str, object] = {}

    def call(work: str) -> None:
        try:
            out[work] = gc.submit(work)
        except ValueError as exc:
            out[work] = exc

    threads = [threading.Thread(target=call, args=(w,)) for w in ("a", "bad", "b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert out["a"] == "A" and out["b"] == "B" and out["c"] == "C"
    assert isinstance(out["bad"], ValueError)
    assert sorted(applied) == ["a", "b", "c"]


def test_concurrent_counters_on_sqlite_lose_nothing(shop, cfg):
    """GIVEN 6 threads issuing spark plugs at two counters WHEN they race THEN every accepted issue is one unit less on the shelf."""
    from floor.application.scan_service import ScanService
    from floor.core import queries

    service = ScanService(cfg, shop, group_commit=True)
    service.submit("counter-1", "setup-1", [ScanInput(b"U:T001"), ScanInput(b"WO:1001")])
    service.submit("counter-2", "setup-2", [ScanInput(b"U:T002"), ScanInput(b"WO:1002")])
    accepted: list[int] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        station = "counter-1" if i % 2 else "counter-2"
        for n in range(5):
            res = service.submit(station, f"dev-{i}", [ScanInput(b"P:SP-200", n + 1)])
            with lock:
                accepted.append(1 if res[0].ok else 0)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    with shop.reading() as s:
        left = queries.part_summary(s, "SP-200")["bins"].get("A-01-01", 0)
    assert sum(accepted) == 16 and left == 0  # 16 on the shelf, 30 attempts: exactly 16 accepted
