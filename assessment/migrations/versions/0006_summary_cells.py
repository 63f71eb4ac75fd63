"""summary rows carry their score cells, ready to show, and each competency's SEM

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # Rows written before this revision have no cells: the list renders them from the
    # stored scores when it meets them, and `flask rebuild-summaries` does all at once.
    with op.batch_alter_table('candidate_summary', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cells', sa.Text(), nullable=True))
    with op.batch_alter_table('candidate_competency_score', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sem', sa.Float(), nullable=True))
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_position_id_id'), ['position_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_position_id_id'))
    with op.batch_alter_table('candidate_competency_score', schema=None) as batch_op:
        batch_op.drop_column('sem')
    with op.batch_alter_table('candidate_summary', schema=None) as batch_op:
        batch_op.drop_column('cells')
