"""scorecard PDF cache: rendered cards kept by a hash of what they show

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 21:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scorecard_pdf',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], name=op.f('fk_scorecard_pdf_candidate_id_candidate'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_scorecard_pdf'))
    )
    with op.batch_alter_table('scorecard_pdf', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scorecard_pdf_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scorecard_pdf_used_at'), ['used_at'], unique=False)


def downgrade():
    with op.batch_alter_table('scorecard_pdf', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scorecard_pdf_used_at'))
        batch_op.drop_index(batch_op.f('ix_scorecard_pdf_candidate_id'))
    op.drop_table('scorecard_pdf')
