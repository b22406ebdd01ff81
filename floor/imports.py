"""CSV imports of the contract: all-or-nothing per file, every error named by line and column.

A file is read and checked whole before anything is written; a key twice in one file is an error
naming both lines. One import runs at a time on a site (`ImportRun.running`, code `import_running`).

Parts files, the big ones (a dealer catalogue is 150,000 rows), are written in chunks of short
transactions with bulk statements, so scans and the label workers get the database between chunks
(`floor.core.import_runs`). Each chunk journals what it wrote; a failure takes every chunk back, and
an import whose process died is taken back by the next import or the next start of `floor serve`
(`recover`). The other kinds, small files, are written in one transaction as before.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from floor import clock
from floor.core import import_runs, messages
from floor.core.audit import record
from floor.core.import_runs import ImportBusy, ImportInUse
from floor.core.master import COLUMNS, KINDS, REQUIRED, Importer, RowError, duplicate_keys, exc_text
from floor.core.rows import CsvFormatError, read_csv
from floor.core.supervisors import SupervisorError
from floor.db import Database
from floor.models import ImportRun

__all__ = [
    "CsvFormatError",
    "ImportBusy",
    "ImportError_",
    "ImportInUse",
    "ImportReport",
    "import_csv",
    "iter_kinds",
    "keep_stopped",
    "read_rows",
    "recover",
    "start_import",
]

log = logging.getLogger(__name__)
MAX_ERRORS = 50
Progress = Callable[[int, int], None]
FIRST_CHUNK = 200  # rows; then sized so a chunk's transaction takes about CHUNK_SECONDS
# SQLite has one write lock: chunks of ~20 ms, then 30 ms for the floor. PostgreSQL locks rows, so scans never
# wait for a chunk: bigger chunks, and only a short yield of the CPU between them.
CHUNK_SECONDS = {"sqlite": 0.02, "postgresql": 0.1}
PAUSE_SECONDS = {"sqlite": 0.03, "postgresql": 0.02}
CHUNK_LIMITS = (50, 10000)
UNDO_ROWS = 2000  # journal entries taken back per transaction


@dataclass
class ImportError_:
    """One problem: the CSV line (1 = header), the column, what is wrong."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


@dataclass
class ImportReport:
    """What an import did, or why it did nothing."""

    kind: str
    rows: int = 0
    errors: list[ImportError_] = field(default_factory=list)
    # Rows taken but worth a look (e.g. a mileage below the plate's last visit).
    warnings: list[dict[str, str]] = field(default_factory=list)
    run_id: int | None = None

    @property
    def ok(self) -> bool:
        """True when the file was imported."""
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        """The report as the run keeps it (and the API shows it)."""
        return {
            "imported": self.rows,
            "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in self.errors],
            "warnings": self.warnings,
        }


def read_rows(data: bytes, kind: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Decode and split a CSV file of one import kind; return its header and (line number, row) pairs."""
    if kind not in KINDS:
        raise CsvFormatError(f"unknown import kind {kind!r}; use one of {', '.join(KINDS)}")
    return read_csv(data, REQUIRED[kind], COLUMNS[kind])


def yield_cpu() -> None:
    """Lower this thread's CPU priority (Linux: per thread): an import must not slow the scans beside it."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):  # not Linux, or not allowed: run as we are
        pass


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _owner_gone(owner: str) -> bool:
    """Whether the process that owned a run is gone (known only for a process of this host)."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def recover(db: Database, *, strict: bool = False) -> list[int]:
    """Take back every import whose process died or whose lease ran out; the ids of the runs taken back.

    A run that cannot be taken back (`import_in_use`: a part it made is in use since) is left as it is and
    logged; with `strict` (before a new import) its refusal is raised once the others are taken back.
    """
    with db.reading() as s:
        runs = [(r.id, r.kind, r.owner, r.lease_until) for r in import_runs.stale_runs(s)]
    now = clock.now()
    gone = [(run_id, kind) for run_id, kind, owner, lease in runs if lease < now or _owner_gone(owner)]
    taken: list[int] = []
    blocked: ImportInUse | None = None
    for run_id, kind in gone:
        try:
            _take_back(
                db, run_id, kind, "undone", {"failure": "the importing process stopped; its rows were taken back"}
            )
            taken.append(run_id)
        except ImportInUse as exc:
            log.warning("import %s cannot be taken back: %s", run_id, messages.render(exc.code, exc.params)[0])
            blocked = blocked or exc
    if strict and blocked is not None:
        raise blocked
    return taken


def keep_stopped(db: Database, actor: str = "cli") -> list[int]:
    """Keep what each stopped import that cannot be taken back (`import_in_use`) wrote; the ids of those runs.

    The way out of `import_in_use`: its rows stay as they are (the file is then imported again to finish it),
    the run is closed as `kept` and frees the import slot, audited under `actor`.
    """
    with db.reading() as s:
        runs = [(r.id, r.kind, r.owner, r.lease_until) for r in import_runs.stale_runs(s)]
    now = clock.now()
    kept: list[int] = []
    for run_id, kind, owner, lease in runs:
        if not (lease < now or _owner_gone(owner)):
            continue  # still importing
        with db.reading() as s:
            if not import_runs.parts_in_use(s, run_id, limit=1):
                continue  # this one can be taken back whole: the next import does so
        with db.writing() as s:
            import_runs.announce(s, kind)  # its parts are master data now
            record(s, actor, "import.keep_stopped", f"import {run_id}", kind=kind)
            import_runs.close(s, run_id, "kept", now, {"kept": "stopped; what it wrote was kept (in use since)"})
        while True:  # its journal is no longer needed
            with db.writing() as s:
                if import_runs.forget_journal(s, run_id, UNDO_ROWS) == 0:
                    break
        kept.append(run_id)
    return kept


def _take_back(db: Database, run_id: int, kind: str, status: str, report: Mapping[str, Any]) -> None:
    """Undo a run's journal in short transactions, newest first, then close it with `status`.

    `ImportInUse` before anything is taken back when a part the run made is in use since (and again, with
    that batch rolled back, should one come into use meanwhile): the run then stays as it is.
    """
    with db.reading() as s:
        import_runs.refuse_if_in_use(s, run_id, kind)
    undone = 0
    while True:
        with db.writing() as s:
            import_runs.refuse_if_in_use(s, run_id, kind)
            n = import_runs.undo_some(s, run_id, UNDO_ROWS)
            undone += n
            if n == 0:
                if undone:
                    import_runs.announce(s, kind)
                import_runs.close(s, run_id, status, clock.now(), report)
                return
        time.sleep(0.01)  # let waiting writers in


def start_import(db: Database, kind: str, total: int, actor: str = "cli", filename: str = "") -> int:
    """Take the site's one import slot for a new run (after taking back runs whose process died); its id.

    Raises `ImportBusy` (`import_running`) while another import runs.
    """
    recover(db, strict=True)
    try:
        with db.writing() as s:
            return import_runs.claim(s, kind, total, actor, _me(), filename, clock.now()).id
    except IntegrityError:  # another claim won the same moment
        with db.reading() as s:
            held = import_runs.running(s)
        raise ImportBusy(
            "import_running",
            kind=held.kind if held else kind,
            done=held.rows_done if held else 0,
            total=held.rows_total if held else 0,
        ) from None


def import_csv(
    db: Database,
    kind: str,
    data: bytes,
    progress: Progress | None = None,
    timezone: str = "UTC",
    actor: str = "cli",
    actor_id: int | None = None,
    vin_check_digit: bool = True,
    *,
    filename: str = "",
    chunk_rows: int | None = None,
) -> ImportReport:
    """Import one CSV file, all or nothing, with its audit entry; on any error nothing is left written.

    Raises CsvFormatError for a file that is no CSV of the kind, ImportBusy while another import runs.
    """
    _, rows = read_rows(data, kind)
    run_id = start_import(db, kind, len(rows), actor, filename)
    return run_import(
        db,
        run_id,
        kind,
        rows,
        progress,
        timezone,
        actor,
        actor_id,
        chunk_rows=chunk_rows,
        vin_check_digit=vin_check_digit,
    )


def start_in_background(
    db: Database,
    kind: str,
    data: bytes,
    timezone: str = "UTC",
    actor: str = "cli",
    actor_id: int | None = None,
    filename: str = "",
    done: Callable[[ImportReport], None] | None = None,
    vin_check_digit: bool = True,
) -> int:
    """Check the file's form and take the import slot now, then import in a thread; the run's id to follow.

    Raises CsvFormatError and ImportBusy before anything starts.
    """
    _, rows = read_rows(data, kind)
    run_id = start_import(db, kind, len(rows), actor, filename)

    def work() -> None:
        report = run_import(db, run_id, kind, rows, None, timezone, actor, actor_id, vin_check_digit=vin_check_digit)
        if done is not None:
            done(report)

    threading.Thread(target=work, name=f"import-{run_id}", daemon=True).start()
    return run_id


def run_progress(db: Database, run_id: int) -> dict[str, Any] | None:
    """A run's status and progress (None: no such run)."""
    with db.reading() as s:
        run = s.get(ImportRun, run_id)
        return import_runs.progress(run) if run is not None else None


def recent_runs(db: Database, limit: int = 20) -> list[dict[str, Any]]:
    """The latest runs, newest first."""
    with db.reading() as s:
        return [
            import_runs.progress(r) for r in s.scalars(select(ImportRun).order_by(ImportRun.id.desc()).limit(limit))
        ]


def run_import(
    db: Database,
    run_id: int,
    kind: str,
    rows: list[tuple[int, dict[str, str]]],
    progress: Progress | None = None,
    timezone: str = "UTC",
    actor: str = "cli",
    actor_id: int | None = None,
    *,
    chunk_rows: int | None = None,
    vin_check_digit: bool = True,
) -> ImportReport:
    """Write a claimed run: check, write (chunked for parts), close it; a failure takes everything back."""
    report = ImportReport(kind, run_id=run_id)
    for line, first, column, key in duplicate_keys(kind, rows):
        report.errors.append(ImportError_(line, column, f"{key} is on line {first} too (line {first} and line {line})"))
    try:
        if not report.errors:
            if kind == "parts":
                _write_parts(db, run_id, rows, report, progress, actor, chunk_rows)
            else:
                importer = Importer(db.write_session(), timezone, actor_id=actor_id, vin_check_digit=vin_check_digit)
                _write_whole(db, run_id, kind, rows, report, progress, importer, actor)
        if report.errors:
            with db.writing() as s:
                import_runs.close(s, run_id, "refused", clock.now(), report.to_json())
    except BaseException as exc:
        why = f"{type(exc).__name__}: {exc}"[:500]
        _take_back(db, run_id, kind, "failed", {"failure": why})
        raise
    return report


def _write_parts(
    db: Database,
    run_id: int,
    rows: list[tuple[int, dict[str, str]]],
    report: ImportReport,
    progress: Progress | None,
    actor: str,
    chunk_rows: int | None,
) -> None:
    yield_cpu()
    with db.reading() as s:
        plan, errors = import_runs.check_parts(s, rows, MAX_ERRORS)
    if errors:
        report.errors.extend(ImportError_(line, column, text) for line, column, text in errors)
        return
    total, done, size = len(plan.rows), 0, chunk_rows or FIRST_CHUNK
    target, pause = CHUNK_SECONDS.get(db.dialect, 0.02), PAUSE_SECONDS.get(db.dialect, 0.03)
    with db.bulk_connection() as conn:
        while done < total:
            started = time.perf_counter()
            chunk = plan.rows[done : done + size]
            with Session(bind=conn) as s, s.begin():
                import_runs.write_parts(s, run_id, plan, chunk, clock.now())
            done += len(chunk)
            if progress:
                progress(done, total)
            took = time.perf_counter() - started
            if chunk_rows is None:  # keep each transaction short, whatever the machine
                size = max(CHUNK_LIMITS[0], min(CHUNK_LIMITS[1], int(size * target / max(took, 1e-4))))
            # The database is the floor's between chunks: on SQLite long enough that a scan waiting in its busy
            # handler (retries 1, 2, 5, 10, 15, 20, 25 ms apart) gets in at its next retry.
            time.sleep(pause if db.dialect != "sqlite" else max(pause, min(took, 0.1)))
    report.rows = total
    with db.writing() as s:
        import_runs.announce(s, "parts")
        record(s, actor, "import.parts", f"{total} rows", rows=total)
        import_runs.close(s, run_id, "done", clock.now(), report.to_json())
    while True:  # the journal is no longer needed: dropped in short transactions too
        with db.writing() as s:
            if import_runs.forget_journal(s, run_id, UNDO_ROWS) == 0:
                break
        time.sleep(0.01)


def _write_whole(
    db: Database,
    run_id: int,
    kind: str,
    rows: list[tuple[int, dict[str, str]]],
    report: ImportReport,
    progress: Progress | None,
    importer: Importer,
    actor: str,
) -> None:
    """A small file of any other kind, in one transaction (the importer's session) with its audit entry."""
    session = importer.session
    try:
        with session.begin():
            for i, (line, row) in enumerate(rows, 1):
                _apply_row(importer, kind, line, row, report)
                if len(report.errors) >= MAX_ERRORS:
                    break
                if progress and (i % 100 == 0 or i == len(rows)):
                    progress(i, len(rows))
            if not report.errors:
                importer.finish()
                report.rows = len(rows)
                record(session, actor, f"import.{kind}", f"{len(rows)} rows", rows=len(rows))
                report.warnings = importer.warnings
                import_runs.close(session, run_id, "done", clock.now(), report.to_json())
            else:
                session.rollback()
    finally:
        session.close()


def _apply_row(importer: Importer, kind: str, line: int, row: dict[str, str], report: ImportReport) -> None:
    if "__error__" in row:
        report.errors.append(ImportError_(line, "-", row["__error__"]))
        return
    # After the first error the transaction will be rolled back anyway: keep checking
    # rows so the user sees every problem at once, inside a savepoint.
    nested = importer.session.begin_nested()
    try:
        importer.apply(kind, row)
    except RowError as exc:
        nested.rollback()
        report.errors.append(ImportError_(line, exc.field, exc.message))
        return
    except SupervisorError as exc:
        nested.rollback()
        report.errors.append(ImportError_(line, "role", exc_text(exc)))
        return
    if report.errors:
        nested.rollback()
    else:
        nested.commit()


def iter_kinds() -> Iterable[str]:
    """The import kinds, in the order a new site should load them (customers before the vehicles they own)."""
    return ("locations", "parts", "users", "stock", "customers", "vehicles", "operations", "workorders")
