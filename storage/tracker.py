"""Rasa's SQL tracker store as our retention and erasure see it: its ``events`` table (one row
per event, ``sender_id`` and a Unix ``timestamp``), found by reflection, because importing Rasa
to get its model takes seconds and the Telegram channel does not load Rasa."""

from __future__ import annotations

from sqlalchemy import MetaData, Table, create_engine, delete, func, inspect, select

EVENTS = "events"  # rasa.core.tracker_store.SQLTrackerStore.SQLEvent.__tablename__


def delete_stale_conversations(url: str, before: float) -> int:
    """Delete every conversation whose last event is older than ``before``; returns how many."""
    engine = create_engine(url, future=True)
    try:
        if not inspect(engine).has_table(EVENTS):
            return 0  # Rasa creates it when it first serves
        events = Table(EVENTS, MetaData(), autoload_with=engine)
        stale = select(events.c.sender_id).group_by(events.c.sender_id).having(func.max(events.c.timestamp) < before)
        with engine.begin() as connection:
            senders = list(connection.scalars(stale))
            if senders:  # staleness is judged again by the delete: a resident who just wrote stays
                connection.execute(delete(events).where(events.c.sender_id.in_(stale)))
        return len(senders)
    finally:
        engine.dispose()


def delete_conversation(url: str, sender_id: str) -> int:
    """Delete every event of one conversation; returns how many."""
    engine = create_engine(url, future=True)
    try:
        if not inspect(engine).has_table(EVENTS):
            return 0
        events = Table(EVENTS, MetaData(), autoload_with=engine)
        with engine.begin() as connection:
            return connection.execute(delete(events).where(events.c.sender_id == sender_id)).rowcount or 0
    finally:
        engine.dispose()
