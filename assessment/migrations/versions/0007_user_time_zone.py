"""each account's time zone: times are shown, typed and e-mailed in it

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 21:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # Empty for existing accounts: their next sign-in takes the browser's zone, and until
    # then times are shown in the browser's zone or UTC, named on the page.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
