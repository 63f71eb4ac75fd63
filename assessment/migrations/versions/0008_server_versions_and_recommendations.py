"""server-issued versions of ratings and answers, recommendations, the item last seen

Ratings and answers get a version the server issues (rating.edited_ms, the page's clock,
goes); each interview gets the interviewer's overall recommendation and key evidence; each
self-assessment remembers the item page last shown, to resume there.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # Only added columns on interview: SQLite then needs no copy of the table, which its
    # foreign keys (ratings point at interviews) would refuse to drop. The recommendation's
    # values are checked by the service. Every stored rating and answer has been stored
    # once: it starts at version 1.
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
    with op.batch_alter_table('self_assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_item', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('self_assessment', schema=None) as batch_op:
        batch_op.drop_column('last_item')
    # Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch copy of interview would be
    # refused by the foreign keys of its ratings.
    for column in ('recommendation_version', 'key_evidence', 'recommendation'):
        op.execute(f'ALTER TABLE interview DROP COLUMN {column}')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('edited_ms', sa.BigInteger(), nullable=False, server_default='0')
        )
        batch_op.drop_column('version')
