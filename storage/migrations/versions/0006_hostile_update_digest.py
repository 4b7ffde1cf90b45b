"""telegram updates are told apart by a digest of their content, not by their id alone

Telegram restarts its update ids at a random number after a week without updates, so an id
may come again for a new update. Each row gets an arrival number (the order updates are
handled in) and a digest of its payload that deduplicates redeliveries. The table is rebuilt
(its rows read, the table recreated, the rows written back with their digests).

Revision ID: hostile
Revises: 0005
Create Date: 2026-12-03
"""
import hashlib
import json

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def _columns() -> list:
    return [
        sa.Column('chat_id', sa.String(length=40), nullable=True),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('resident_told_to_wait', sa.Boolean(), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    ]


def _digest(payload: dict) -> str:
    """The same digest as bot/telegram/inbox.py, frozen here."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _read(order: str, *key_columns: sa.Column) -> list[dict]:
    """Every row, in ``order``, without the key columns the new table numbers itself."""
    old = sa.Table('telegram_updates', sa.MetaData(), *key_columns, *_columns())
    rows = op.get_bind().execute(sa.select(old).order_by(old.c[order]))
    return [{k: v for k, v in row._mapping.items() if k != 'id'} for row in rows]


def _rebuild(rows: list[dict], *key_columns: sa.Column, constraints: tuple) -> None:
    """Recreate the table with new keys and write ``rows`` back in their order."""
    with op.batch_alter_table('telegram_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_telegram_updates_status'))
        batch_op.drop_index(batch_op.f('ix_telegram_updates_chat_id'))
    op.drop_table('telegram_updates')
    table = op.create_table('telegram_updates', *key_columns, *_columns(), *constraints)
    with op.batch_alter_table('telegram_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_telegram_updates_chat_id'), ['chat_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_telegram_updates_status'), ['status'], unique=False)
    if rows:
        op.bulk_insert(table, rows)


def upgrade() -> None:
    rows = _read('update_id', sa.Column('update_id', sa.Integer()))
    for row in rows:
        row['digest'] = _digest(row['payload'])
    _rebuild(
        rows,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('update_id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        constraints=(sa.PrimaryKeyConstraint('id'), sa.UniqueConstraint('digest')),
    )


def downgrade() -> None:
    rows = _read('id', sa.Column('id', sa.Integer()), sa.Column('update_id', sa.Integer()))
    latest = {row['update_id']: row for row in rows}  # an id that came twice keeps its newest update
    _rebuild(
        list(latest.values()),
        sa.Column('update_id', sa.Integer(), autoincrement=False, nullable=False),
        constraints=(sa.PrimaryKeyConstraint('update_id'),),
    )
