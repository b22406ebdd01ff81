"""Large imports in short chunks: one import at a time, its progress, and an undo journal per chunk.

A parts file is checked whole before anything is written (`check_parts`, with every existing part
and alias read once). It is then written in chunks, each its own short transaction, so scans and
print workers get the database between chunks. Each chunk journals what it wrote in the same
transaction (`ImportJournal`: a row inserted, or its old values); if the import fails or its process
dies, `undo_some` takes the chunks back, newest first, again in short transactions. Master data is
announced (catalog version, change feed) once, when the whole file is in: until then the scan path
keeps its catalog, and a new part of the file is not scannable.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from floor.core import changes
from floor.core.catalog import bump_master_version
from floor.core.codes import gtin14
from floor.core.master import PartRow, RowError, check_part
from floor.core.scanning.context import Reject
from floor.core.workorders.tags import row_not_a_tag, tag_registry
from floor.models import ImportJournal, ImportRun, Part, PartBarcode

LEASE = timedelta(minutes=2)  # a writing import renews it with every chunk
# The columns of a part an import may change, journalled before it does.
PART_COLUMNS = (
    "name",
    "unit_cost",
    "is_core",
    "reorder_point",
    "reorder_qty",
    "sell_price",
    "core_charge",
    "supplier",
    "abc_override",
)
_MONEY = frozenset({"unit_cost", "sell_price", "core_charge"})


class ImportBusy(Reject):
    """Refused: another import is writing (code `import_running`); one import at a time on a site."""


class ImportInUse(ImportBusy):
    """Refused: a stopped run cannot be taken back, a part it made is referred to since (code `import_in_use`).

    The run keeps the import slot, so this is also why a new import cannot start.
    """


# What may refer to a part, as a person reads it (en, zh); a table not named here is shown by its name.
_REFERRERS = {
    "stock_moves": ("stock movements", "库存移动"),
    "stock_levels": ("stock levels", "库存"),
    "sale_lines": ("sale lines", "销售行"),
    "part_requests": ("job request lines", "工单领料申请行"),
    "repair_lines": ("job lines", "维修工单行"),
    "line_parts": ("job line parts", "工单行配件"),
    "invoice_lines": ("invoice lines", "发票行"),
    "reservations": ("reservations", "预留"),
    "count_lines": ("count lines", "盘点行"),
    "delivery_lines": ("delivery lines", "到货单行"),
    "delivery_receipts": ("receipts", "收货记录"),
    "cores": ("cores", "旧件"),
    "customer_returns": ("customer returns", "客户退货"),
    "claim_lines": ("warranty claim lines", "索赔行"),
}
_NOT_REFERRERS = frozenset({"part_barcodes"})  # the run's own aliases, taken back with it


def running(session: Session) -> ImportRun | None:
    """The import that holds the site's one import slot, if any."""
    return session.scalar(select(ImportRun).where(ImportRun.running == 1))


def claim(session: Session, kind: str, total: int, actor: str, owner: str, filename: str, now: datetime) -> ImportRun:
    """Take the one import slot for a new run (status `checking`); `ImportBusy` when a run holds it.

    Two claims at the same moment: the unique `running` column lets one commit; the caller turns the
    other's integrity error into `ImportBusy` too.
    """
    held = running(session)
    if held is not None:
        raise ImportBusy("import_running", kind=held.kind, done=held.rows_done, total=held.rows_total)
    run = ImportRun(
        kind=kind,
        status="checking",
        running=1,
        rows_total=total,
        rows_done=0,
        actor=actor[:64],
        owner=owner[:128],
        filename=filename[:200],
        started_at=now,
        lease_until=now + LEASE,
        report="{}",
    )
    session.add(run)
    session.flush()
    return run


def progress(run: ImportRun) -> dict[str, Any]:
    """A run as the API and the kiosk show it: status, rows done of total, percent, its report."""
    pct = 100 if run.status == "done" else (100 * run.rows_done // run.rows_total if run.rows_total else 0)
    return {
        "id": run.id,
        "kind": run.kind,
        "status": run.status,
        "rows": run.rows_total,
        "done": run.rows_done,
        "progress": pct,
        "file": run.filename,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        **json.loads(run.report or "{}"),
    }


def close(session: Session, run_id: int, status: str, now: datetime, report: Mapping[str, Any] | None = None) -> None:
    """End a run: free the slot, set its final status and report."""
    values: dict[str, Any] = {"status": status, "running": None, "finished_at": now}
    if report is not None:
        values["report"] = json.dumps(report, default=str, ensure_ascii=False)
    session.execute(update(ImportRun).where(ImportRun.id == run_id).values(**values))


@dataclass
class PartsPlan:
    """A parts file checked against the database: the rows to write, and what exists (filled as chunks write)."""

    rows: list[PartRow]
    ids: dict[str, int]  # part number → id, of existing parts and of those the run has inserted
    aliases: set[str] = field(default_factory=set)  # barcode aliases that exist


def check_parts(
    session: Session, numbered: Sequence[tuple[int, Mapping[str, Any]]], max_errors: int
) -> tuple[PartsPlan, list[tuple[int, str, str]]]:
    """Check every row of a parts file against the database (read once); return the plan and (line, field, text)
    errors. An alias may not belong to another part, in the database or on an earlier line of the file."""
    ids = dict(session.execute(select(Part.part_no, Part.id)).tuples().all())
    owner_of = {
        code: part_no
        for code, part_no in session.execute(
            select(PartBarcode.code, Part.part_no).join(Part, Part.id == PartBarcode.part_id)
        )
    }
    plan = PartsPlan([], ids, set(owner_of))
    tags = tag_registry(session)  # a NEW part number or alias may not be a tag's code (a scan would select the tag)
    errors: list[tuple[int, str, str]] = []
    for line, row in numbered:
        if "__error__" in row:
            errors.append((line, "-", str(row["__error__"])))
        else:
            try:
                checked = check_part(row)
                if checked.part_no not in ids:
                    row_not_a_tag(tags, "part_no", checked.part_no)
                for code in checked.barcodes:
                    if code not in owner_of:
                        row_not_a_tag(tags, "barcodes", code)
                    if owner_of.setdefault(code, checked.part_no) != checked.part_no:
                        raise RowError("barcodes", f"alias {code} already belongs to another part")
                plan.rows.append(checked)
            except RowError as exc:
                errors.append((line, exc.field, exc.message))
        if len(errors) >= max_errors:
            break
    return plan, errors


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


def _jsonable(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def write_parts(session: Session, run_id: int, plan: PartsPlan, chunk: Sequence[PartRow], now: datetime) -> None:
    """Write one chunk of parts with bulk statements, journalling it in the same transaction."""
    journal: list[dict[str, Any]] = []
    old = [r for r in chunk if r.part_no in plan.ids]
    new = [r for r in chunk if r.part_no not in plan.ids]
    if old:
        cols = [getattr(Part, c) for c in PART_COLUMNS]
        for got in session.execute(select(Part.part_no, *cols).where(Part.id.in_([plan.ids[r.part_no] for r in old]))):
            before = {c: _jsonable(v) for c, v in zip(PART_COLUMNS, got[1:], strict=True)}
            journal.append({"run_id": run_id, "table_name": "parts", "key": got[0], "before": json.dumps(before)})
        session.execute(
            update(Part),
            [{"id": plan.ids[r.part_no], **r.values, **({"abc_override": r.abc} if r.abc else {})} for r in old],
        )
    if new:  # Core executemany on the tables: the ORM's bulk machinery costs more than the rows
        session.execute(
            insert(_table(Part)),
            [{"part_no": r.part_no, "created_at": now, **r.values, "abc_override": r.abc} for r in new],
        )
        made = session.execute(select(Part.part_no, Part.id).where(Part.part_no.in_([r.part_no for r in new])))
        plan.ids.update(made.tuples().all())
        journal.extend({"run_id": run_id, "table_name": "parts", "key": r.part_no, "before": None} for r in new)
    aliases = []
    for r in chunk:
        for code in r.barcodes:
            if code not in plan.aliases:
                plan.aliases.add(code)
                aliases.append({"part_id": plan.ids[r.part_no], "code": code, "gtin14": gtin14(code)})
    if aliases:
        session.execute(insert(_table(PartBarcode)), aliases)
        journal.extend(
            {"run_id": run_id, "table_name": "part_barcodes", "key": a["code"], "before": None} for a in aliases
        )
    if journal:
        session.execute(insert(_table(ImportJournal)), journal)
    session.execute(
        update(ImportRun)
        .where(ImportRun.id == run_id)
        .values(status="writing", rows_done=ImportRun.rows_done + len(chunk), lease_until=now + LEASE)
    )


def announce(session: Session, kind: str) -> None:
    """Tell every process master data changed (once, when a whole file is in or has been taken back)."""
    bump_master_version(session)
    changes.publish(session, changes.MASTER, kinds=[kind])


def forget_journal(session: Session, run_id: int, limit: int) -> int:
    """Delete up to `limit` journal rows of a finished run; how many went."""
    ids = list(session.scalars(select(ImportJournal.id).where(ImportJournal.run_id == run_id).limit(limit)))
    if ids:
        session.execute(delete(ImportJournal).where(ImportJournal.id.in_(ids)))
    return len(ids)


def parts_in_use(session: Session, run_id: int, limit: int = 10) -> dict[str, dict[str, int]]:
    """Parts the run inserted that rows of other tables refer to: part number -> {table: rows} (at most `limit`)."""
    made = (
        select(Part.id)
        .join(ImportJournal, ImportJournal.key == Part.part_no)
        .where(ImportJournal.run_id == run_id, ImportJournal.table_name == "parts", ImportJournal.before.is_(None))
    )
    found: dict[int, dict[str, int]] = {}
    for table in Part.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name != "parts" or table.name in _NOT_REFERRERS:
                continue
            col = fk.parent
            stmt = select(col, func.count()).where(col.in_(made)).group_by(col).limit(limit)
            for part_id, n in session.execute(stmt):
                found.setdefault(part_id, {})[table.name] = n
    if not found:
        return {}
    names = dict(session.execute(select(Part.id, Part.part_no).where(Part.id.in_(list(found)))).tuples().all())
    return {names[i]: found[i] for i in sorted(found, key=lambda i: names[i])[:limit]}


def refuse_if_in_use(session: Session, run_id: int, kind: str) -> None:
    """Raise `ImportInUse` (naming the parts and what refers to them) if the run cannot be taken back whole."""
    used = parts_in_use(session, run_id)
    if not used:
        return

    def said(lang: int) -> str:
        return "; ".join(
            f"{part_no} (" + ", ".join(f"{_REFERRERS.get(t, (t, t))[lang]}: {n}" for t, n in sorted(refs.items())) + ")"
            for part_no, refs in used.items()
        )

    raise ImportInUse("import_in_use", run=run_id, kind=kind, parts=said(0), parts_zh=said(1))


def undo_some(session: Session, run_id: int, limit: int) -> int:
    """Take back up to `limit` journalled writes of a run, newest first; how many were taken back (0: all done).

    The caller checks `refuse_if_in_use` first: a part referred to since cannot be deleted.
    """
    entries = session.execute(
        select(ImportJournal.id, ImportJournal.table_name, ImportJournal.key, ImportJournal.before)
        .where(ImportJournal.run_id == run_id)
        .order_by(ImportJournal.id.desc())
        .limit(limit)
    ).all()
    if not entries:
        return 0
    codes = [e.key for e in entries if e.table_name == "part_barcodes"]
    if codes:  # aliases first: they point at parts
        session.execute(delete(PartBarcode).where(PartBarcode.code.in_(codes)))
    restore = []
    for e in entries:
        if e.table_name == "parts" and e.before:
            before = json.loads(e.before)
            values = {f"v_{c}": Decimal(v) if c in _MONEY and v is not None else v for c, v in before.items()}
            restore.append({"v_key": e.key, **{f"v_{c}": values.get(f"v_{c}") for c in PART_COLUMNS}})
    if restore:
        table = _table(Part)
        stmt = (
            update(table)
            .where(table.c.part_no == bindparam("v_key"))
            .values({c: bindparam(f"v_{c}") for c in PART_COLUMNS})
        )
        session.connection().execute(stmt, restore)
    inserted = [e.key for e in entries if e.table_name == "parts" and not e.before]
    if inserted:
        session.execute(
            delete(PartBarcode).where(PartBarcode.part_id.in_(select(Part.id).where(Part.part_no.in_(inserted))))
        )
        session.execute(delete(Part).where(Part.part_no.in_(inserted)))
    session.execute(delete(ImportJournal).where(ImportJournal.id.in_([e.id for e in entries])))
    return len(entries)


def stale_runs(session: Session) -> list[ImportRun]:
    """Runs still marked as writing (the caller decides which are dead: lease gone or owner process gone)."""
    return list(session.scalars(select(ImportRun).where(ImportRun.running == 1)))
