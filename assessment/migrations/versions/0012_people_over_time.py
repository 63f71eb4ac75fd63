"""people and their data over time: closed positions, withdrawn and erased candidates,
candidate search and natural order, consent versions, password reset links

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def _sortable(length):
    # Byte order on PostgreSQL as on SQLite (see models.SORTABLE).
    return sa.String(length).with_variant(sa.String(length, collation='C'), 'postgresql')


def upgrade():
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
    # Positions closed before this revision count as closed from now on (for retention).
    position = sa.table('position', sa.column('archived', sa.Boolean), sa.column('closed_at', sa.DateTime))
    op.execute(
        position.update().where(position.c.archived.is_(True)).values(closed_at=sa.func.now())
    )

    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('sort_key', _sortable(400), nullable=False, server_default='')
        )
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))
        batch_op.drop_index('ix_candidate_position_id_name')
        batch_op.create_index(
            'ix_candidate_position_id_sort_key', ['position_id', 'sort_key', 'id'], unique=False
        )
        batch_op.create_index('ix_candidate_code', ['code'], unique=False)  # codes across positions

    with op.batch_alter_table('self_assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_version', sa.String(length=40), nullable=True))

    op.create_table(
        'candidate_term',
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('term', _sortable(254), nullable=False),
        sa.Column('position_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['candidate_id'], ['candidate.id'], name=op.f('fk_candidate_term_candidate_id_candidate')
        ),
        sa.ForeignKeyConstraint(
            ['position_id'], ['position.id'], name=op.f('fk_candidate_term_position_id_position')
        ),
        sa.PrimaryKeyConstraint('candidate_id', 'term', name=op.f('pk_candidate_term')),
    )
    with op.batch_alter_table('candidate_term', schema=None) as batch_op:
        batch_op.create_index('ix_candidate_term_term', ['term', 'candidate_id'], unique=False)
        batch_op.create_index(
            'ix_candidate_term_position', ['position_id', 'term', 'candidate_id'], unique=False
        )

    op.create_table(
        'password_reset',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user.id'], name=op.f('fk_password_reset_user_id_user')
        ),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['user.id'], name=op.f('fk_password_reset_created_by_id_user')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_password_reset_token_hash')),
    )
    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_user_id'), ['user_id'], unique=False)

    _index_existing_candidates()


def _index_existing_candidates():
    """Sort keys and search terms for the candidates already there, in chunks."""
    from assessment.candidates.search_index import natural_key, terms_of

    bind = op.get_bind()
    candidate = sa.table(
        'candidate',
        sa.column('id', sa.Integer),
        sa.column('position_id', sa.Integer),
        sa.column('name', sa.String),
        sa.column('email', sa.String),
        sa.column('external_id', sa.String),
        sa.column('sort_key', sa.String),
    )
    term = sa.table(
        'candidate_term',
        sa.column('candidate_id', sa.Integer),
        sa.column('term', sa.String),
        sa.column('position_id', sa.Integer),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(candidate).where(candidate.c.id > last).order_by(candidate.c.id).limit(1000)
        ).all()
        if not rows:
            return
        bind.execute(
            candidate.update()
            .where(candidate.c.id == sa.bindparam('cid'))
            .values(sort_key=sa.bindparam('key')),
            [{'cid': r.id, 'key': natural_key(r.name)} for r in rows],
        )
        terms = [
            {'candidate_id': r.id, 'position_id': r.position_id, 'term': t}
            for r in rows
            for t in terms_of(r.name, r.email, r.external_id)
        ]
        if terms:
            bind.execute(term.insert(), terms)
        last = rows[-1].id


def downgrade():
    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_user_id'))
    op.drop_table('password_reset')
    with op.batch_alter_table('candidate_term', schema=None) as batch_op:
        batch_op.drop_index('ix_candidate_term_position')
        batch_op.drop_index('ix_candidate_term_term')
    op.drop_table('candidate_term')
    with op.batch_alter_table('self_assessment', schema=None) as batch_op:
        batch_op.drop_column('consent_version')
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.drop_index('ix_candidate_code')
        batch_op.drop_index('ix_candidate_position_id_sort_key')
        batch_op.create_index('ix_candidate_position_id_name', ['position_id', 'name', 'id'], unique=False)
        batch_op.drop_column('erased_at')
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('sort_key')
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.drop_column('closed_at')
