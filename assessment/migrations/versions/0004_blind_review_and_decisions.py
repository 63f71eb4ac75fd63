"""blind review per position, and people's decisions on candidates

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 20:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('blind', sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.create_table(
        'decision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=False),
        sa.Column('decision', sa.String(length=20), nullable=False),
        sa.Column('rationale', sa.Text(), nullable=False),
        sa.Column('band', sa.String(length=100), nullable=True),
        sa.Column('against_band_reason', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "decision IN ('advance', 'hold', 'decline')", name=op.f('ck_decision_decision')
        ),
        sa.ForeignKeyConstraint(
            ['candidate_id'], ['candidate.id'], name=op.f('fk_decision_candidate_id_candidate')
        ),
        sa.ForeignKeyConstraint(
            ['decided_by_id'], ['user.id'], name=op.f('fk_decision_decided_by_id_user')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_decision')),
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_candidate_id'), ['candidate_id'], unique=False)


def downgrade():
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_candidate_id'))
    op.drop_table('decision')
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.drop_column('blind')
