"""kiosk enrolments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 15:25:00
"""
from alembic import op
import sqlalchemy as sa
import floor.models.base


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kiosk_enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('station', sa.String(length=64), nullable=False),
    sa.Column('created_at', floor.models.base.UTCDateTime(), nullable=False),
    sa.Column('expires_at', floor.models.base.UTCDateTime(), nullable=False),
    sa.Column('used_at', floor.models.base.UTCDateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_enrolments')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_kiosk_enrolments_token_hash'))
    )


def downgrade() -> None:
    op.drop_table('kiosk_enrolments')
