"""interview reminders and the edit time of each rating

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('edited_ms', sa.BigInteger(), nullable=False, server_default='0')
        )


def downgrade():
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.drop_column('edited_ms')
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.drop_column('reminded_at')
