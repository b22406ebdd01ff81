"""The scan path's hot statements, run on the driver's cursor with the columns' own type conversion.

SQLAlchemy spends 0.1–0.15 ms on each statement it builds and runs (cache key, execution
context, result wrapping); the driver itself needs about 5 µs. Every scan runs the same
handful of statements (station row, stock levels, event and move rows), so those are written
once as SQL text here and executed on the DBAPI cursor of the session's own connection, in
the session's transaction. Parameters and results pass through each column's SQLAlchemy type
processors, so what is stored is exactly what the ORM would store and read back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, LargeBinary, Table
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine


@dataclass
class _Compiled:
    """A statement made ready for one dialect: paramstyle and processors."""

    sql: str
    binds: list[tuple[int, Callable[[Any], Any]]]  # (position, processor) where there is one
    results: list[tuple[int, Callable[[Any], Any]]]


@dataclass
class Statement:
    """SQL with `?` placeholders and `"quoted"` identifiers (valid on SQLite and PostgreSQL).

    `params` and `columns` are the SQLAlchemy types of the placeholders and of the result
    columns, in order; None means the value passes as it is.
    """

    sql: str
    params: Sequence[TypeEngine[Any] | None] = ()
    columns: Sequence[TypeEngine[Any] | None] = ()
    _by_dialect: dict[str, _Compiled] = field(default_factory=dict, repr=False, compare=False)

    def compiled(self, dialect: Dialect) -> _Compiled:
        """The statement for this dialect (built once)."""
        found = self._by_dialect.get(dialect.name)
        if found is None:
            sql = self.sql if dialect.paramstyle == "qmark" else self.sql.replace("?", "%s")
            # SQLite's driver stores bytes as a BLOB as they are: SQLAlchemy's wrapping them in a memoryview
            # first only costs time (the event's raw bytes, on every scan).
            keep = dialect.name != "sqlite"
            binds = [
                t.dialect_impl(dialect).bind_processor(dialect)
                if t is not None and (keep or not isinstance(t, LargeBinary))
                else None
                for t in self.params
            ]
            results = [
                t.dialect_impl(dialect).result_processor(dialect, None) if t is not None else None for t in self.columns
            ]
            found = _Compiled(
                sql,
                [(i, p) for i, p in enumerate(binds) if p is not None],
                [(i, p) for i, p in enumerate(results) if p is not None],
            )
            self._by_dialect[dialect.name] = found
        return found


def _convert(procs: list[tuple[int, Callable[[Any], Any]]], values: Sequence[Any]) -> Sequence[Any]:
    """Values with each column's processor applied (only where the type has one)."""
    if not procs:
        return values
    out = list(values)
    for i, proc in procs:
        out[i] = proc(out[i])
    return out


def _wrap(conn: Connection, sql: str, params: Any, exc: Exception, cursor: Any) -> Exception:
    """A driver error as the SQLAlchemy error the rest of floor handles (IntegrityError, ...)."""
    dialect = conn.dialect
    dbapi = dialect.loaded_dbapi
    if not isinstance(exc, dbapi.Error):
        return exc
    if dialect.is_disconnect(exc, conn.connection.dbapi_connection, cursor):
        conn.invalidate(exc)
    return DBAPIError.instance(sql, params, exc, dbapi.Error, dialect=dialect)


def _observed(conn: Connection, cursor: Any, sql: str, params: Any, many: bool) -> str:
    """Show the statement to `before_cursor_execute` listeners, as SQLAlchemy does (tests count statements, profilers
    time them); with none listening, as on a site, it costs two attribute reads. Listeners see no execution context."""
    if conn._has_events or conn.engine._has_events:
        for listener in conn.dispatch.before_cursor_execute:
            sql, _params = listener(conn, cursor, sql, params, None, many)
    return sql


def run(
    session: Session, stmt: Statement, params: Sequence[Any] = (), conn: Connection | None = None
) -> list[tuple[Any, ...]]:
    """Execute once in the session's transaction; return the rows (converted), if any.

    `conn`: the session's connection when the caller runs several statements (asking the
    session for it costs a few µs each time).
    """
    conn = conn or session.connection()
    compiled = stmt.compiled(conn.dialect)
    values = _convert(compiled.binds, params)
    cursor = conn.connection.cursor()
    sql = _observed(conn, cursor, compiled.sql, values, False)
    try:
        cursor.execute(sql, values)
        rows = cursor.fetchall() if cursor.description is not None else []
    except Exception as exc:
        raise _wrap(conn, compiled.sql, values, exc, cursor) from exc
    finally:
        cursor.close()
    if compiled.results:
        return [tuple(_convert(compiled.results, row)) for row in rows]
    return list(rows)


def run_many(session: Session, stmt: Statement, rows: Iterable[Sequence[Any]], conn: Connection | None = None) -> None:
    """Execute once per parameter row (executemany) in the session's transaction (`conn`: as for `run`)."""
    conn = conn or session.connection()
    compiled = stmt.compiled(conn.dialect)
    values = [_convert(compiled.binds, r) for r in rows]
    if not values:
        return
    cursor = conn.connection.cursor()
    sql = _observed(conn, cursor, compiled.sql, values, True)
    try:
        cursor.executemany(sql, values)
    except Exception as exc:
        raise _wrap(conn, compiled.sql, values, exc, cursor) from exc
    finally:
        cursor.close()


def _cols(table: Table, names: Sequence[str]) -> list[Column[Any]]:
    return [table.c[n] for n in names]


def insert_into(table: Table, names: Sequence[str] | None = None) -> Statement:
    """INSERT of the named columns (default: all) of a table, parameters in that order."""
    cols = _cols(table, names) if names is not None else list(table.columns)
    quoted = ", ".join(f'"{c.name}"' for c in cols)
    marks = ", ".join("?" for _ in cols)
    return Statement(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})', [c.type for c in cols])


def update_where(table: Table, set_names: Sequence[str], where_names: Sequence[str]) -> Statement:
    """UPDATE the set columns where the key columns equal; parameters: set values, then key values."""
    sets = ", ".join(f'"{n}" = ?' for n in set_names)
    where = " AND ".join(f'"{n}" = ?' for n in where_names)
    return Statement(
        f'UPDATE "{table.name}" SET {sets} WHERE {where}', [c.type for c in _cols(table, [*set_names, *where_names])]
    )


def select_where(table: Table, names: Sequence[str], where_names: Sequence[str], suffix: str = "") -> Statement:
    """SELECT the named columns where the key columns equal (`suffix`: ORDER BY, FOR UPDATE, ...)."""
    cols = _cols(table, names)
    where = " AND ".join(f'"{n}" = ?' for n in where_names)
    quoted = ", ".join(f'"{c.name}"' for c in cols)
    sql = f'SELECT {quoted} FROM "{table.name}" WHERE {where}{" " + suffix if suffix else ""}'
    return Statement(sql, [c.type for c in _cols(table, where_names)], [c.type for c in cols])
