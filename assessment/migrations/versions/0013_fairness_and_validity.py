"""fairness and validity: self-identification (apart), hire outcomes, expert keys, the expert role

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('admin', 'hr', 'manager')"
NEW_ROLES = "role IN ('admin', 'hr', 'manager', 'expert')"
# The codes of assessment/fairness/groups.py, written out: a migration never changes later.
GROUPS = {
    'sex': ('female', 'male', 'another'),
    'race': ('hispanic', 'white', 'black', 'nhpi', 'asian', 'aian', 'two'),
    'age': ('under25', '25to39', '40to54', '55plus'),
    'disability': ('yes', 'no'),
}


def _check(column):
    allowed = ", ".join(f"'{c}'" for c in (*GROUPS[column], 'declined'))
    return f"{column} IS NULL OR {column} IN ({allowed})"


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_user_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_user_role'), NEW_ROLES)
    op.create_table(
        'self_identification',
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        *(sa.Column(column, sa.String(length=20), nullable=True) for column in GROUPS),
        *(sa.CheckConstraint(_check(c), name=op.f(f'ck_self_identification_{c}')) for c in GROUPS),
        sa.ForeignKeyConstraint(
            ['candidate_id'], ['candidate.id'],
            name=op.f('fk_self_identification_candidate_id_candidate'),
        ),
        sa.PrimaryKeyConstraint('candidate_id', name=op.f('pk_self_identification')),
    )
    op.create_table(
        'hire_outcome',
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('rating', sa.Integer(), nullable=True),
        sa.Column('rating_months', sa.Integer(), nullable=True),
        sa.Column('employed_12m', sa.Boolean(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            'rating IS NULL OR rating BETWEEN 1 AND 5', name=op.f('ck_hire_outcome_rating')
        ),
        sa.CheckConstraint(
            'rating_months IS NULL OR rating_months BETWEEN 1 AND 60',
            name=op.f('ck_hire_outcome_rating_months'),
        ),
        sa.ForeignKeyConstraint(
            ['candidate_id'], ['candidate.id'], name=op.f('fk_hire_outcome_candidate_id_candidate')
        ),
        sa.ForeignKeyConstraint(
            ['recorded_by_id'], ['user.id'], name=op.f('fk_hire_outcome_recorded_by_id_user')
        ),
        sa.PrimaryKeyConstraint('candidate_id', name=op.f('pk_hire_outcome')),
    )
    op.create_table(
        'expert_keying',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.String(length=100), nullable=False),
        sa.Column('item_hash', sa.String(length=64), nullable=False),
        sa.Column('item', sa.JSON(), nullable=False),
        sa.Column('expert_id', sa.Integer(), nullable=False),
        sa.Column('ratings', sa.JSON(), nullable=True),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('invited_at', sa.DateTime(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['expert_id'], ['user.id'], name=op.f('fk_expert_keying_expert_id_user')
        ),
        sa.ForeignKeyConstraint(
            ['invited_by_id'], ['user.id'], name=op.f('fk_expert_keying_invited_by_id_user')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_expert_keying')),
        sa.UniqueConstraint(
            'item_id', 'item_hash', 'expert_id', name=op.f('uq_expert_keying_item_id_item_hash_expert_id')
        ),
    )
    with op.batch_alter_table('expert_keying', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expert_keying_expert_id'), ['expert_id'], unique=False)
    op.create_table(
        'adopted_key',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.String(length=100), nullable=False),
        sa.Column('item_hash', sa.String(length=64), nullable=False),
        sa.Column('keys', sa.JSON(), nullable=False),
        sa.Column('previous', sa.JSON(), nullable=False),
        sa.Column('experts', sa.Integer(), nullable=False),
        sa.Column('bank_version', sa.String(length=40), nullable=False),
        sa.Column('adopted_by_id', sa.Integer(), nullable=True),
        sa.Column('adopted_at', sa.DateTime(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ['adopted_by_id'], ['user.id'], name=op.f('fk_adopted_key_adopted_by_id_user')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_adopted_key')),
    )
    with op.batch_alter_table('adopted_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adopted_key_item_id'), ['item_id'], unique=False)


def downgrade():
    with op.batch_alter_table('adopted_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adopted_key_item_id'))
    op.drop_table('adopted_key')
    with op.batch_alter_table('expert_keying', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expert_keying_expert_id'))
    op.drop_table('expert_keying')
    op.drop_table('hire_outcome')
    op.drop_table('self_identification')
    # The old rule knows no experts: their accounts stay (the audit log names them) but are
    # switched off, under a role they can never use.
    user = sa.table('user', sa.column('role', sa.String), sa.column('active', sa.Boolean))
    op.execute(user.update().where(user.c.role == 'expert').values(role='manager', active=False))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_user_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_user_role'), OLD_ROLES)
