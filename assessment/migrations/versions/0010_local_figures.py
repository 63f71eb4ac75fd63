"""local figures (reliability, norms, halo) and the version of each summary's self-assessment

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('local_figures',
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('basis', sa.Integer(), nullable=False),
    sa.Column('next_at', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('scope', name=op.f('pk_local_figures'))
    )
    # Summaries written before this revision keep their scores until they are summarised
    # again: the list does it as it meets them (their cells are stale), and
    # `flask rebuild-summaries` does all at once, with the local figures first.
    with op.batch_alter_table('candidate_summary', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assessment_version', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_candidate_summary_assessment_version'), ['assessment_version'], unique=False)


def downgrade():
    with op.batch_alter_table('candidate_summary', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_summary_assessment_version'))
        batch_op.drop_column('assessment_version')
    op.drop_table('local_figures')
