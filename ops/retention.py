"""How long residents' conversations, and the masked record of what they asked, are kept.

Rasa's SQL tracker store (endpoints.yml) keeps every event of every conversation. What residents
tell the assistant is personal, so a conversation is deleted once its last message is older than
LEGALBOT_CONVERSATION_DAYS (default 30). Cases handed to advisers keep their own record
(handoff), which this does not touch. What each message led to (knowledge.models.Consultation,
masked, for the console) is deleted after LEGALBOT_CONSULTATION_DAYS (default 90).
"""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy import column, create_engine, delete, func, inspect, select, table
from sqlalchemy.exc import SQLAlchemyError

from knowledge.records import prune_consultations
from storage.db import Database, utcnow

PRUNE_EVERY = 86400  # seconds between two prunings while the assistant serves
# The columns of Rasa's SQL tracker store's table that pruning reads. Described here rather than
# imported from rasa.core.tracker_store, whose declarative_base() is deprecated in SQLAlchemy 1.4
# and printed a warning into the local chat at start.
EVENTS = table("events", column("sender_id"), column("timestamp"))

log = logging.getLogger(__name__)


def prune(url: str, days: int, now: float | None = None) -> int:
    """Delete every conversation whose last event is older than ``days``; return how many."""
    engine = create_engine(url, future=True)
    try:
        if not inspect(engine).has_table(EVENTS.name):
            return 0  # Rasa creates it when it first serves
        cutoff = (now if now is not None else time.time()) - days * 86400
        stale = select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(func.max(EVENTS.c.timestamp) < cutoff)
        with engine.begin() as connection:
            senders = list(connection.scalars(stale))
            if senders:  # staleness is judged again by the delete: a resident who just wrote stays
                connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(stale)))
        return len(senders)
    finally:
        engine.dispose()


def prune_consultation_records(db: Database, days: int) -> int:
    with db.session() as s, s.begin():
        return prune_consultations(s, days, utcnow())


async def keep_pruning(
    url: str, days: int, every: float = PRUNE_EVERY, records: tuple[Database, int] | None = None
) -> None:
    """Prune now and then every ``every`` seconds, for as long as the assistant serves; with
    ``records`` (the knowledge base and LEGALBOT_CONSULTATION_DAYS), the consultations too."""
    while True:
        try:
            pruned = await asyncio.to_thread(prune, url, days)
            log.info("deleted %d conversations older than %d days", pruned, days)
            if records is not None:
                pruned = await asyncio.to_thread(prune_consultation_records, *records)
                log.info("deleted %d consultation records older than %d days", pruned, records[1])
        except SQLAlchemyError:
            log.exception("could not prune old conversations at %s; trying again in %.0f s", url, every)
        await asyncio.sleep(every)
