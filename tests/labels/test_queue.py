"""The durable print queue and its worker against the simulated printer: once, in order, through faults and restarts."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import select, update

from floor.config import PrinterConfig
from floor.db import Database
from floor.labels.model import UnknownKind, UnknownObject
from floor.labels.queue import backoff_s, cancel, depth, reprint
from floor.labels.service import UnknownPrinter, enqueue_label, enqueue_labels, enqueue_zone_bins
from floor.labels.worker import PrintWorker, start_print_workers
from floor.models import PrintJob
from hardware_sim.printer import RunningPrinter
from tests.waiting import wait_for

BINS = ["A-01-01", "A-01-02", "B-02-01", "R-00-01", "A-01-01"]


MARKER_PART = "04465-33480"


def print_marker(db: Database, printer: str) -> bytes:
    """Queue one more label (a part label, unlike any bin label) as a sentinel; returns its bytes.

    A worker sends its queue in order, so anything it would (wrongly) send again of the
    earlier jobs reaches the printer before this marker does.
    """
    with db.writing() as s:
        job = enqueue_label(s, printer, "part", MARKER_PART)
        return job.payload.strip().encode()


def received_exactly(sim: RunningPrinter, expected: list[bytes]) -> bool:
    """The printer has received exactly these payloads, each as often as listed (in any order)."""
    return Counter(sim.printer.received) == Counter(expected)


def statuses(db: Database) -> list[str]:
    """Status of every job, by id."""
    with db.reading() as s:
        return list(s.scalars(select(PrintJob.status).order_by(PrintJob.id)))


def payloads(db: Database) -> list[bytes]:
    """The ^XA…^XZ bytes of every job, by id, as the printer should receive them."""
    with db.reading() as s:
        return [p.strip().encode() for p in s.scalars(select(PrintJob.payload).order_by(PrintJob.id))]


@pytest.fixture
def workers() -> Iterator[list[PrintWorker]]:
    """Workers started by a test, stopped after it."""
    started: list[PrintWorker] = []
    yield started
    for w in started:
        w.stop()


def start(db: Database, printer: PrinterConfig, started: list[PrintWorker], **kw: bool) -> PrintWorker:
    """Start a worker for the printer over the database."""
    w = PrintWorker(printer, db.write_session, poll_s=0.05, **kw)
    w.start()
    started.append(w)
    return w


def test_enqueue_renders_at_enqueue_and_joins_the_callers_transaction(labels_db: Database) -> None:
    """GIVEN a core due WHEN its tag is enqueued and the caller rolls back THEN no job remains; on commit one does."""
    with labels_db.write_session() as s:
        job = enqueue_label(s, "zebra-1", "core", "1001-ALT-300-1")
        assert job.id is not None and job.payload.startswith("^XA") and "C:1001-ALT-300-1" in job.payload
        s.rollback()
    assert statuses(labels_db) == []
    with labels_db.writing() as s:
        enqueue_label(s, "zebra-1", "core", "C:1001-ALT-300-1")
    with labels_db.reading() as s:
        job = s.scalars(select(PrintJob)).one()
    assert (job.printer, job.kind, job.object_id, job.status, job.attempts) == (
        "zebra-1",
        "core",
        "1001-ALT-300-1",
        "queued",
        0,
    )


def test_enqueue_core_is_fast(labels_db: Database) -> None:
    """GIVEN a core tag enqueued inside issue transactions WHEN done 100 times THEN it averages well under 20 ms."""
    start_t = time.perf_counter()
    with labels_db.writing() as s:
        for _ in range(100):
            enqueue_label(s, "zebra-1", "core", "1001-ALT-300-1")
    assert (time.perf_counter() - start_t) / 100 < 0.02
    assert len(statuses(labels_db)) == 100


@pytest.mark.parametrize(
    "printer,kind,oid,error",
    [
        ("zebra-1", "pallet", "1", UnknownKind),
        ("zebra-1", "part", "NOPE-1", UnknownObject),
        ("zebra-1", "core", "", UnknownObject),
        ("nobody", "part", "OF-100", UnknownPrinter),
        ("zebra-1", "count", "abc", UnknownObject),
    ],
)
def test_enqueue_bad_input(
    labels_db: Database, printer_cfg: PrinterConfig, printer: str, kind: str, oid: str, error: type[Exception]
) -> None:
    """GIVEN an unknown kind, id or printer WHEN enqueued THEN a clear error and no job."""
    with labels_db.writing() as s, pytest.raises(error):
        enqueue_label(s, printer, kind, oid, printers={printer_cfg.name: printer_cfg})
    assert statuses(labels_db) == []


def test_batch_is_all_or_nothing(labels_db: Database) -> None:
    """GIVEN a batch with one unknown bin WHEN enqueued THEN nothing of it is queued."""
    with labels_db.writing() as s, pytest.raises(UnknownObject, match="Z-99"):
        enqueue_labels(s, "zebra-1", "bin", ["A-01-01", "Z-99"])
    assert statuses(labels_db) == []


def test_worker_prints_each_job_once_in_order(
    labels_db: Database, sim: RunningPrinter, printer_cfg: PrinterConfig, workers: list[PrintWorker]
) -> None:
    """GIVEN five queued labels WHEN the worker drains the queue THEN the printer gets their ZPL once, in order."""
    with labels_db.writing() as s:
        enqueue_labels(s, printer_cfg.name, "bin", BINS)
    start(labels_db, printer_cfg, workers)
    assert wait_for(lambda: statuses(labels_db) == ["printed"] * 5)
    marker = print_marker(labels_db, printer_cfg.name)  # nothing more may arrive before it
    assert wait_for(lambda: received_exactly(sim, payloads(labels_db)))
    assert [r for r in sim.printer.received if r != marker] == payloads(labels_db)[:-1]
    assert sim.printer.received.count(marker) == 1
    with labels_db.reading() as s:
        assert depth(s) == {}


def test_out_of_paper_mid_batch_keeps_the_rest(
    labels_db: Database, sim: RunningPrinter, printer_cfg: PrinterConfig, workers: list[PrintWorker]
) -> None:
    """GIVEN paper for two labels WHEN a batch of five is sent THEN two print, three wait with the reason; after
    loading paper the rest print, each label exactly once."""
    sim.printer.paper_out_after = 2
    with labels_db.writing() as s:
        enqueue_labels(s, printer_cfg.name, "bin", BINS)
    start(labels_db, printer_cfg, workers)

    def held_error() -> str | None:
        with labels_db.reading() as s:
            head = s.scalars(select(PrintJob).where(PrintJob.status == "queued").order_by(PrintJob.id)).first()
            return head.error if head is not None and head.next_try_at is not None else None

    assert wait_for(lambda: held_error() is not None)
    assert "no answer" in (held_error() or "")
    assert statuses(labels_db) == ["printed"] * 2 + ["queued"] * 3
    with labels_db.reading() as s:
        assert depth(s) == {printer_cfg.name: 3}
    assert len(sim.printer.received) == 2
    sim.printer.load_paper()
    assert wait_for(lambda: statuses(labels_db) == ["printed"] * 5, timeout=20)
    marker = print_marker(labels_db, printer_cfg.name)
    assert wait_for(lambda: received_exactly(sim, payloads(labels_db)))
    assert [r for r in sim.printer.received if r != marker] == payloads(labels_db)[:-1]
    assert sorted(sim.printer.printed) == sorted(sim.printer.received)


def test_restart_never_reprints(
    labels_db: Database, sim: RunningPrinter, printer_cfg: PrinterConfig, workers: list[PrintWorker]
) -> None:
    """GIVEN two labels printed by one worker WHEN a new worker starts over the same DB THEN nothing is resent."""
    with labels_db.writing() as s:
        enqueue_labels(s, printer_cfg.name, "bin", BINS[:2])
    first = start(labels_db, printer_cfg, workers)
    assert wait_for(lambda: statuses(labels_db) == ["printed"] * 2)
    first.stop()
    second = start(labels_db, printer_cfg, workers)
    marker = print_marker(labels_db, printer_cfg.name)  # the second worker recovers before it sends this
    assert wait_for(lambda: received_exactly(sim, payloads(labels_db)))
    assert second.is_alive() and second.recovered == 0
    assert [r for r in sim.printer.received if r != marker] == payloads(labels_db)[:-1]


def test_crash_while_sending_is_at_most_once(
    labels_db: Database, sim: RunningPrinter, printer_cfg: PrinterConfig, workers: list[PrintWorker]
) -> None:
    """GIVEN a job left 'sending' by a crash and one queued WHEN a worker starts THEN the first becomes 'interrupted'
    and is not sent, the second prints; a reprint of the first prints it once more, on purpose."""
    with labels_db.writing() as s:
        jobs = enqueue_labels(s, printer_cfg.name, "bin", BINS[:2])
        crashed_id = jobs[0].id
        s.execute(update(PrintJob).where(PrintJob.id == crashed_id).values(status="sending"))
    worker = start(labels_db, printer_cfg, workers)
    assert wait_for(lambda: statuses(labels_db) == ["interrupted", "printed"])
    assert worker.recovered == 1
    assert sim.printer.received == payloads(labels_db)[1:]
    with labels_db.writing() as s:
        again = reprint(s, crashed_id)
        assert again.reprint_of == crashed_id
    worker.wake()
    assert wait_for(lambda: statuses(labels_db) == ["interrupted", "printed", "printed"])
    assert sim.printer.received == payloads(labels_db)[1:]


@pytest.mark.clock
def test_offline_printer_keeps_jobs_with_backoff(labels_db: Database, workers: list[PrintWorker]) -> None:
    """GIVEN a printer nothing listens for WHEN the worker tries THEN the job stays queued with error and retry time."""
    dead = PrinterConfig("dead", "tcp://127.0.0.1:1", {"timeout": 0.2})
    with labels_db.writing() as s:
        enqueue_label(s, "dead", "part", "OF-100")
    start(labels_db, dead, workers)

    def held() -> bool:
        with labels_db.reading() as s:
            job = s.scalars(select(PrintJob)).one()
            return job.status == "queued" and job.next_try_at is not None and "cannot connect" in (job.error or "")

    assert wait_for(held)
    assert [backoff_s(n) for n in (1, 2, 3, 10)] == [0.5, 1.0, 2.0, 15.0]


def test_cancel_only_queued(labels_db: Database) -> None:
    """GIVEN a queued job WHEN cancelled twice THEN the first cancel works and the second finds nothing to cancel."""
    with labels_db.writing() as s:
        job_id = enqueue_label(s, "zebra-1", "badge", "T001").id
    with labels_db.writing() as s:
        assert cancel(s, job_id) is True
        assert cancel(s, job_id) is False
    assert statuses(labels_db) == ["cancelled"]


def test_two_workers_one_printer_no_duplicates(
    labels_db: Database, sim: RunningPrinter, printer_cfg: PrinterConfig, workers: list[PrintWorker]
) -> None:
    """GIVEN two workers draining the same printer WHEN eight labels are queued THEN each reaches the printer once."""
    with labels_db.writing() as s:
        enqueue_labels(s, printer_cfg.name, "bin", BINS + BINS[:3])
    start(labels_db, printer_cfg, workers, recover=False)
    start(labels_db, printer_cfg, workers, recover=False)
    assert wait_for(lambda: statuses(labels_db) == ["printed"] * 8)
    for w in workers:  # joined: neither worker can send anything any more
        w.stop()
    assert wait_for(lambda: received_exactly(sim, payloads(labels_db)))
    assert sorted(sim.printer.received) == sorted(payloads(labels_db))


def test_zone_batch_through_start_print_workers(labels_db: Database, sim: RunningPrinter, cfg: object) -> None:
    """GIVEN zone A WHEN its bin labels are queued and the configured workers run THEN both bins print as one batch."""
    from floor.config import Config

    assert isinstance(cfg, Config)
    with labels_db.writing() as s:
        jobs = enqueue_zone_bins(s, "zebra-1", "A", cfg.printers)
        assert {j.batch for j in jobs} == {"zone-A"} and [j.object_id for j in jobs] == ["A-01-01", "A-01-02"]
    pool = start_print_workers(cfg, labels_db.write_session, poll_s=0.05)
    try:
        assert wait_for(lambda: statuses(labels_db) == ["printed"] * 2)
    finally:
        pool.stop()
    assert sim.printer.received == payloads(labels_db)


@pytest.mark.parametrize("endpoint", ["tcp", "pty"])
def test_printer_answering_late_holds_jobs_then_prints_each_once(
    labels_db: Database, sim: RunningPrinter, printer_cfg: PrinterConfig, endpoint: str, workers: list[PrintWorker]
) -> None:
    """GIVEN a busy printer that answers ~HS 0.8 s late, past the 0.5 s status timeout
    WHEN the worker tries to print two labels
    THEN nothing is sent and the head job is held with "no answer"; once the printer answers
    in time, both print exactly once, and the late answers of the earlier tries confuse nothing."""
    url = sim.tcp_url if endpoint == "tcp" else sim.pty_path
    assert url is not None
    cfg = PrinterConfig(name=printer_cfg.name, url=url, options=printer_cfg.options)
    sim.printer.answer_delay_s = 0.8
    with labels_db.writing() as s:
        enqueue_labels(s, cfg.name, "bin", BINS[:2])
    start(labels_db, cfg, workers)

    def held_error() -> str | None:
        with labels_db.reading() as s:
            head = s.scalars(select(PrintJob).where(PrintJob.status == "queued").order_by(PrintJob.id)).first()
            return head.error if head is not None and head.next_try_at is not None else None

    assert wait_for(lambda: "no answer" in (held_error() or ""))
    assert sim.printer.received == [] and statuses(labels_db) == ["queued", "queued"]
    sim.printer.answer_delay_s = 0.1
    assert wait_for(lambda: statuses(labels_db) == ["printed"] * 2, timeout=20)
    marker = print_marker(labels_db, cfg.name)  # a late answer must not make a job print twice before it
    assert wait_for(lambda: received_exactly(sim, payloads(labels_db)), timeout=20)
    assert [r for r in sim.printer.received if r != marker] == payloads(labels_db)[:-1]
