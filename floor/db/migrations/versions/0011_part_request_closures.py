"""part request closures

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 18:31:53.713985
"""
from alembic import op
import sqlalchemy as sa
import floor.models.base


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('part_request_closures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('released', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['part_requests.id'], name=op.f('fk_part_request_closures_request_id_part_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_part_request_closures'))
    )
    with op.batch_alter_table('part_request_closures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_part_request_closures_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_part_request_closures_request_id'), ['request_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('part_request_closures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_part_request_closures_request_id'))
        batch_op.drop_index(batch_op.f('ix_part_request_closures_event_id'))

    op.drop_table('part_request_closures')
