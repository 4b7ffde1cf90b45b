"""adviser handoff: villages, advisers, case history, offers, message map, audit log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('advisers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('telegram_user_id', sa.BigInteger(), nullable=False),
    sa.Column('hours', sa.String(length=80), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('duty_district', sa.String(length=40), nullable=True),
    sa.Column('current_case_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code'),
    sa.UniqueConstraint('telegram_user_id')
    )
    with op.batch_alter_table('advisers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisers_duty_district'), ['duty_district'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=60), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('allowed', sa.Boolean(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_case_id'), ['case_id'], unique=False)

    op.create_table('villages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('district', sa.String(length=40), nullable=False),
    sa.Column('town', sa.String(length=40), nullable=True),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_villages_district'), ['district'], unique=False)

    op.create_table('adviser_villages',
    sa.Column('adviser_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['adviser_id'], ['advisers.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('adviser_id', 'village_id')
    )
    op.create_table('case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=True),
    sa.Column('to_status', sa.String(length=30), nullable=False),
    sa.Column('actor', sa.String(length=60), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_events_case_id'), ['case_id'], unique=False)

    op.create_table('case_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=20), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('buttons', sa.JSON(), nullable=False),
    sa.Column('source_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('source_message_id', sa.BigInteger(), nullable=True),
    sa.Column('media', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sent_message_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_chat_id', 'source_message_id', 'chat_id', name='uq_case_message_source')
    )
    with op.batch_alter_table('case_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_messages_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_messages_chat_id'), ['chat_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_messages_sent_message_id'), ['sent_message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_messages_status'), ['status'], unique=False)

    op.create_table('case_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('adviser_id', sa.Integer(), nullable=False),
    sa.Column('pool', sa.Boolean(), nullable=False),
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['adviser_id'], ['advisers.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_offers_adviser_id'), ['adviser_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_offers_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resident_chat_id', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('intake_step', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('intake_misses', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('district', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('village_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('consented_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('adviser_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('response_due_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('inactive_close_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_adviser_id'), ['adviser_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_inactive_close_at'), ['inactive_close_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_response_due_at'), ['response_due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_status'), ['status'], unique=False)
        batch_op.create_foreign_key('fk_cases_village_id', 'villages', ['village_id'], ['id'])
        batch_op.create_foreign_key('fk_cases_adviser_id', 'advisers', ['adviser_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint('fk_cases_adviser_id', type_='foreignkey')
        batch_op.drop_constraint('fk_cases_village_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cases_status'))
        batch_op.drop_index(batch_op.f('ix_cases_response_due_at'))
        batch_op.drop_index(batch_op.f('ix_cases_inactive_close_at'))
        batch_op.drop_index(batch_op.f('ix_cases_adviser_id'))
        batch_op.drop_column('outcome')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('inactive_close_at')
        batch_op.drop_column('response_due_at')
        batch_op.drop_column('adviser_id')
        batch_op.drop_column('consented_at')
        batch_op.drop_column('village_id')
        batch_op.drop_column('district')
        batch_op.drop_column('intake_misses')
        batch_op.drop_column('intake_step')
        batch_op.drop_column('resident_chat_id')

    with op.batch_alter_table('case_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_offers_case_id'))
        batch_op.drop_index(batch_op.f('ix_case_offers_adviser_id'))

    op.drop_table('case_offers')
    with op.batch_alter_table('case_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_messages_status'))
        batch_op.drop_index(batch_op.f('ix_case_messages_sent_message_id'))
        batch_op.drop_index(batch_op.f('ix_case_messages_chat_id'))
        batch_op.drop_index(batch_op.f('ix_case_messages_case_id'))

    op.drop_table('case_messages')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_events_case_id'))

    op.drop_table('case_events')
    op.drop_table('adviser_villages')
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_villages_district'))

    op.drop_table('villages')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_case_id'))

    op.drop_table('audit_log')
    with op.batch_alter_table('advisers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisers_duty_district'))

    op.drop_table('advisers')
