"""CSV imports of the contract: all-or-nothing per file, every error named by line and column."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from floor.core.master import COLUMNS, KINDS, REQUIRED, Importer, RowError
from floor.core.rows import CsvFormatError, read_csv
from floor.db import Database

__all__ = ["CsvFormatError", "ImportError_", "ImportReport", "import_csv", "iter_kinds", "read_rows"]

MAX_ERRORS = 50
Progress = Callable[[int, int], None]


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

    @property
    def ok(self) -> bool:
        """True when the file was imported."""
        return not self.errors


def read_rows(data: bytes, kind: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Decode and split a CSV file of one import kind; return its header and (line number, row) pairs."""
    if kind not in KINDS:
        raise CsvFormatError(f"unknown import kind {kind!r}; use one of {', '.join(KINDS)}")
    return read_csv(data, REQUIRED[kind], COLUMNS[kind])


def import_csv(
    db: Database,
    kind: str,
    data: bytes,
    progress: Progress | None = None,
    timezone: str = "UTC",
    actor: str = "cli",
    actor_id: int | None = None,
    vin_check_digit: bool = True,
) -> ImportReport:
    """Import one CSV file in one transaction with its audit entry; on any error nothing is written."""
    _, rows = read_rows(data, kind)
    report = ImportReport(kind)
    session = db.write_session()
    try:
        with session.begin():
            importer = Importer(session, timezone, actor_id=actor_id, vin_check_digit=vin_check_digit)
            for i, (line, row) in enumerate(rows, 1):
                _apply_row(session, importer, kind, line, row, report)
                if len(report.errors) >= MAX_ERRORS:
                    break
                if progress and (i % 100 == 0 or i == len(rows)):
                    progress(i, len(rows))
            if not report.errors:
                importer.finish()
                report.rows = len(rows)
                from floor.core.audit import record

                record(session, actor, f"import.{kind}", f"{len(rows)} rows", rows=len(rows))
                report.warnings = importer.warnings
            else:
                session.rollback()
    finally:
        session.close()
    return report


def _apply_row(
    session: object, importer: Importer, kind: str, line: int, row: dict[str, str], report: ImportReport
) -> None:
    if "__error__" in row:
        report.errors.append(ImportError_(line, "-", row["__error__"]))
        return
    if report.errors:
        # After the first error the transaction will be rolled back anyway: keep checking
        # rows so the user sees every problem at once, inside a savepoint.
        nested = importer.session.begin_nested()
        try:
            importer.apply(kind, row)
        except RowError as exc:
            report.errors.append(ImportError_(line, exc.field, exc.message))
        nested.rollback()
        return
    nested = importer.session.begin_nested()
    try:
        importer.apply(kind, row)
        nested.commit()
    except RowError as exc:
        nested.rollback()
        report.errors.append(ImportError_(line, exc.field, exc.message))


def iter_kinds() -> Iterable[str]:
    """The import kinds, in the order a new site should load them (customers before the vehicles they own)."""
    return ("locations", "parts", "users", "stock", "customers", "vehicles", "operations", "workorders")
