"""Large CSV imports written in short chunks: the run (its lease and progress) and its undo journal."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from floor import clock
from floor.models.base import Base, UTCDateTime


class ImportRun(Base):
    """One import of one CSV file; `running` = 1 while it writes (unique: one import at a time on a site).

    status: checking → writing → done, or refused (bad rows, nothing written), failed or undone
    (its chunks were taken back from the journal), or kept (stopped, and `floor import --keep-stopped`
    kept what it wrote: a part it made was in use since). `owner` is host:pid of the writing process and
    `lease_until` its last promise to be alive; a run whose owner died is undone by the next import
    or the next start of `floor serve`.
    """

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    running: Mapped[int | None] = mapped_column(Integer, unique=True, nullable=True)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[str] = mapped_column(String(64), default="")
    owner: Mapped[str] = mapped_column(String(128), default="")
    filename: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    lease_until: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    report: Mapped[str] = mapped_column(Text, default="{}")  # JSON: errors by line, warnings, why it failed


class ImportJournal(Base):
    """What one chunk of a run wrote, to take it back: a row inserted (`before` empty) or its old values."""

    __tablename__ = "import_journal"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer, index=True)
    table_name: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(128))
    before: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON of the old values; NULL = inserted
