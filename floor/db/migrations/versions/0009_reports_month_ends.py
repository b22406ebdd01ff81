"""reports month ends

Revision ID: 0009
Revises: 0003
Create Date: 2026-11-26 16:15:51.765262
"""
from alembic import op
import sqlalchemy as sa
import floor.models.base


revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('month_ends',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('proposals', sa.JSON(), nullable=False),
    sa.Column('updated_at', floor.models.base.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=True),
    sa.Column('signed_at', floor.models.base.UTCDateTime(), nullable=True),
    sa.Column('signed_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['signed_by'], ['users.id'], name=op.f('fk_month_ends_signed_by_users')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_month_ends_updated_by_users')),
    sa.PrimaryKeyConstraint('month', name=op.f('pk_month_ends'))
    )
    with op.batch_alter_table('stock_moves', schema=None) as batch_op:
        batch_op.create_index('ix_stock_moves_part_reason_at', ['part_id', 'reason', 'at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('stock_moves', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_moves_part_reason_at')

    op.drop_table('month_ends')
