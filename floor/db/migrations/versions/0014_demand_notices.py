"""demand notices

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-04 18:55:47.781688
"""
from alembic import op
import sqlalchemy as sa
import floor.models.base


revision = '0014'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('demand_notices',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', floor.models.base.UTCDateTime(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=48), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('message_zh', sa.Text(), nullable=False),
    sa.Column('event_id', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['part_id'], ['parts.id'], name=op.f('fk_demand_notices_part_id_parts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demand_notices'))
    )


def downgrade() -> None:
    op.drop_table('demand_notices')
