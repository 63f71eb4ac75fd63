"""random blind-review codes per candidate; failed sign-in counters; the first-run setup secret

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 09:00:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

CODE_LOW, CODE_HIGH = 100_000, 999_999  # as assessment/blind.py (kept here: revisions stay put)


def _backfill_codes():
    """A random code, unique within its position, for every candidate already there."""
    conn = op.get_bind()
    candidate = sa.table(
        'candidate', sa.column('id', sa.Integer), sa.column('position_id', sa.Integer),
        sa.column('code', sa.String),
    )
    rows = conn.execute(sa.select(candidate.c.id, candidate.c.position_id)).all()
    taken = {}
    for candidate_id, position_id in rows:
        codes = taken.setdefault(position_id, set())
        while True:
            code = str(CODE_LOW + secrets.randbelow(CODE_HIGH - CODE_LOW + 1))
            if code not in codes:
                break
        codes.add(code)
        conn.execute(
            candidate.update().where(candidate.c.id == candidate_id).values(code=code)
        )


def upgrade():
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=12), nullable=True))
    _backfill_codes()
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.alter_column('code', existing_type=sa.String(length=12), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f('uq_candidate_position_id_code'), ['position_id', 'code']
        )
    op.create_table(
        'login_counter',
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('window_ends', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_login_counter')),
    )
    with op.batch_alter_table('login_counter', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_login_counter_window_ends'), ['window_ends'], unique=False
        )
    op.create_table(
        'setup_secret',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_setup_secret')),
    )


def downgrade():
    op.drop_table('setup_secret')
    with op.batch_alter_table('login_counter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_counter_window_ends'))
    op.drop_table('login_counter')
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_candidate_position_id_code'), type_='unique')
        batch_op.drop_column('code')
