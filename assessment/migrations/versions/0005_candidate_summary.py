"""candidate summaries: a row per candidate (and per competency) for the comparison list

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 21:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('candidate_summary',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('overall', sa.Float(), nullable=True),
    sa.Column('overall_sem', sa.Float(), nullable=True),
    sa.Column('overall_lo', sa.Float(), nullable=True),
    sa.Column('overall_hi', sa.Float(), nullable=True),
    sa.Column('label', sa.String(length=40), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('default_reliability', sa.Boolean(), nullable=False),
    sa.Column('competencies', sa.JSON(), nullable=False),
    sa.Column('interviews_done', sa.Integer(), nullable=False),
    sa.Column('interviews_planned', sa.Integer(), nullable=False),
    sa.Column('self_status', sa.String(length=20), nullable=False),
    sa.Column('self_rank', sa.Integer(), nullable=False),
    sa.Column('self_answered', sa.Integer(), nullable=False),
    sa.Column('self_total', sa.Integer(), nullable=False),
    sa.Column('self_expires_at', sa.DateTime(), nullable=True),
    sa.Column('flag_count', sa.Integer(), nullable=False),
    sa.Column('flag_codes', sa.String(length=300), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.Column('decision_rank', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], name=op.f('fk_candidate_summary_candidate_id_candidate')),
    sa.ForeignKeyConstraint(['position_id'], ['position.id'], name=op.f('fk_candidate_summary_position_id_position')),
    sa.PrimaryKeyConstraint('candidate_id', name=op.f('pk_candidate_summary'))
    )
    with op.batch_alter_table('candidate_summary', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_summary_position_id'), ['position_id', 'candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidate_summary_overall'), ['position_id', 'overall', 'candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidate_summary_interviews'), ['position_id', 'interviews_done', 'interviews_planned', 'candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidate_summary_self_rank'), ['position_id', 'self_rank', 'candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidate_summary_flag_count'), ['position_id', 'flag_count', 'candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidate_summary_decision'), ['position_id', 'decision_rank', 'candidate_id'], unique=False)

    op.create_table('candidate_competency_score',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('competency', sa.String(length=100), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], name=op.f('fk_candidate_competency_score_candidate_id_candidate')),
    sa.ForeignKeyConstraint(['position_id'], ['position.id'], name=op.f('fk_candidate_competency_score_position_id_position')),
    sa.PrimaryKeyConstraint('candidate_id', 'competency', name=op.f('pk_candidate_competency_score'))
    )
    with op.batch_alter_table('candidate_competency_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_competency_score_sort'), ['position_id', 'competency', 'score', 'candidate_id'], unique=False)

    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_position_id_name'), ['position_id', 'name', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_position_id_name'))
    with op.batch_alter_table('candidate_competency_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_competency_score_sort'))
    op.drop_table('candidate_competency_score')
    with op.batch_alter_table('candidate_summary', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_summary_decision'))
        batch_op.drop_index(batch_op.f('ix_candidate_summary_flag_count'))
        batch_op.drop_index(batch_op.f('ix_candidate_summary_self_rank'))
        batch_op.drop_index(batch_op.f('ix_candidate_summary_interviews'))
        batch_op.drop_index(batch_op.f('ix_candidate_summary_overall'))
        batch_op.drop_index(batch_op.f('ix_candidate_summary_position_id'))
    op.drop_table('candidate_summary')
