"""import runs and their undo journal

Revision ID: 0018
Revises: 0016_vehicles_repair_orders
Create Date: 2026-12-07 15:40:00
"""
from alembic import op
import sqlalchemy as sa
import floor.models.base


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('running', sa.Integer(), nullable=True),
    sa.Column('rows_total', sa.Integer(), nullable=False),
    sa.Column('rows_done', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('owner', sa.String(length=128), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('started_at', floor.models.base.UTCDateTime(), nullable=False),
    sa.Column('lease_until', floor.models.base.UTCDateTime(), nullable=False),
    sa.Column('finished_at', floor.models.base.UTCDateTime(), nullable=True),
    sa.Column('report', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_runs')),
    sa.UniqueConstraint('running', name=op.f('uq_import_runs_running'))
    )
    op.create_index(op.f('ix_import_runs_status'), 'import_runs', ['status'], unique=False)
    op.create_table('import_journal',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_journal'))
    )
    op.create_index(op.f('ix_import_journal_run_id'), 'import_journal', ['run_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_import_journal_run_id'), table_name='import_journal')
    op.drop_table('import_journal')
    op.drop_index(op.f('ix_import_runs_status'), table_name='import_runs')
    op.drop_table('import_runs')
