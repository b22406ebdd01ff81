"""PINs for privileged acts (SPEC 10.6)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 15:40:00
"""
from alembic import op
import sqlalchemy as sa
import floor.models.base


revision = '0017'
down_revision = '0016_vehicles_repair_orders'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pin_hash', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('pin_failures', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('pin_locked_until', floor.models.base.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('pin_locked_until')
        batch_op.drop_column('pin_failures')
        batch_op.drop_column('pin_hash')
