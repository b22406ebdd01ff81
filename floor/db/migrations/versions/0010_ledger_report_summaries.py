"""ledger report summaries: stock value per hour, store stock and runs at zero per part

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 18:00:00

The tables are filled from the ledger as it is (a frozen copy of the rules of
floor.core.ledger_summary at this revision); from then on every ledger flush keeps them.
"""
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa
import floor.models.base


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_CONSUMPTION = "(reason IN ('issue', 'return', 'sale', 'sale_cancel') OR (reason = 'undo' AND work_order_id IS NOT NULL))"


def _fill_hours(pg: bool) -> None:
    if pg:
        hour, secs = "date_trunc('hour', at)", "EXTRACT(EPOCH FROM at - date_trunc('hour', at))"
    else:
        hour = "substr(at, 1, 13) || ':00:00.000000'"
        secs = "(CAST(substr(at, 15, 2) AS INTEGER) * 60 + CAST(substr(at, 18) AS REAL))"
    valued = "CASE WHEN location_id IN (SELECT id FROM locations WHERE kind = 'scrap') THEN 0 ELSE qty * unit_cost END"
    op.execute(
        "INSERT INTO stock_value_hours (hour, writer, value, value_secs, consumed_cost, consumed_qty)"
        f" SELECT {hour}, 0, SUM({valued}), SUM(({valued}) * {secs}),"
        f" SUM(CASE WHEN {_CONSUMPTION} THEN -qty * unit_cost ELSE 0 END),"
        f" SUM(CASE WHEN {_CONSUMPTION} THEN -qty ELSE 0 END)"
        f" FROM stock_moves GROUP BY {hour}"
    )


def _fill_runs(conn: sa.engine.Connection) -> None:
    """Walk each part's store moves in time order: its on-hand, and the runs at zero it ended."""
    conv = floor.models.base.UTCDateTime()
    state = sa.table(
        "store_stock",
        sa.column("part_id"),
        sa.column("qty"),
        sa.column("first_at", conv),
        sa.column("last_us"),
        sa.column("zero_since", conv),
    )
    spans = sa.table("stockout_spans", sa.column("part_id"), sa.column("since", conv), sa.column("until", conv))
    rows: list[dict] = []
    ended: list[dict] = []

    def close(part, qty, first, last, zero):
        if part is not None:
            rows.append({"part_id": part, "qty": qty, "first_at": first, "last_us": (last - _EPOCH) // _US,
                         "zero_since": zero if qty <= 0 else None})

    part: int | None = None
    first: datetime | None = None
    last: datetime | None = None
    zero: datetime | None = None
    qty = 0
    result = conn.execute(sa.text(
        "SELECT part_id, at, qty FROM stock_moves WHERE location_id IN (SELECT id FROM locations WHERE kind = 'store')"
        " ORDER BY part_id, at, id"
    ))
    for p, at_raw, q in result:
        at = conv.process_result_value(at_raw, None)  # type: ignore[arg-type]
        assert at is not None
        if p != part:
            close(part, qty, first, last, zero)
            part, qty, first, last, zero = p, 0, at, at, None
        new = qty + int(q)
        if qty <= 0 < new and (zero is None or zero < at):
            ended.append({"part_id": p, "since": zero, "until": at})
        elif new <= 0 < qty:
            zero = at
        qty, last = new, at
        if len(ended) >= 5000:
            conn.execute(spans.insert(), ended)
            ended.clear()
    close(part, qty, first, last, zero)
    for i in range(0, len(rows), 5000):
        conn.execute(state.insert(), rows[i : i + 5000])
    if ended:
        conn.execute(spans.insert(), ended)


def upgrade() -> None:
    op.create_table('stock_value_hours',
    sa.Column('hour', floor.models.base.UTCDateTime(), nullable=False),
    sa.Column('writer', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('value', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('value_secs', sa.Numeric(precision=26, scale=4), nullable=False),
    sa.Column('consumed_cost', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('consumed_qty', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('hour', 'writer', name=op.f('pk_stock_value_hours')),
    sqlite_with_rowid=False,
    )
    op.create_table('store_stock',
    sa.Column('part_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('first_at', floor.models.base.UTCDateTime(), nullable=True),
    sa.Column('last_us', sa.BigInteger(), nullable=True),
    sa.Column('zero_since', floor.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['part_id'], ['parts.id'], name=op.f('fk_store_stock_part_id_parts')),
    sa.PrimaryKeyConstraint('part_id', name=op.f('pk_store_stock'))
    )
    op.create_table('stockout_spans',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('since', floor.models.base.UTCDateTime(), nullable=True),
    sa.Column('until', floor.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['part_id'], ['parts.id'], name=op.f('fk_stockout_spans_part_id_parts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stockout_spans'))
    )
    with op.batch_alter_table('stockout_spans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stockout_spans_part_id'), ['part_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stockout_spans_until'), ['until'], unique=False)

    conn = op.get_bind()
    _fill_hours(conn.dialect.name == "postgresql")
    _fill_runs(conn)


def downgrade() -> None:
    with op.batch_alter_table('stockout_spans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stockout_spans_until'))
        batch_op.drop_index(batch_op.f('ix_stockout_spans_part_id'))

    op.drop_table('stockout_spans')
    op.drop_table('store_stock')
    op.drop_table('stock_value_hours')
