"""server-issued versions of ratings and answers, recommendations, the item last seen

Ratings and answers get a version the server issues (rating.edited_ms, the page's clock,
goes); each interview gets the interviewer's overall recommendation and key evidence; each
self-assessment remembers the item page last shown, to resume there.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

RECOMMENDATIONS = "recommendation IS NULL OR recommendation IN ('strong_no', 'no', 'yes', 'strong_yes')"


def upgrade():
    # Every stored rating and answer has been stored once: it starts at version 1.
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='0'))
        batch_op.drop_column('edited_ms')
    op.execute("UPDATE rating SET version = 1")
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='0'))
    op.execute("UPDATE answer SET version = 1")
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recommendation', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('key_evidence', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(
            sa.Column('recommendation_version', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.create_check_constraint(op.f('ck_interview_recommendation'), RECOMMENDATIONS)
    with op.batch_alter_table('self_assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_item', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('self_assessment', schema=None) as batch_op:
        batch_op.drop_column('last_item')
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_interview_recommendation'), type_='check')
        batch_op.drop_column('recommendation_version')
        batch_op.drop_column('key_evidence')
        batch_op.drop_column('recommendation')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('edited_ms', sa.BigInteger(), nullable=False, server_default='0')
        )
        batch_op.drop_column('version')
