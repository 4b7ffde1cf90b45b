"""How long residents' conversations are kept.

Rasa's SQL tracker store (endpoints.yml) keeps every event of every conversation. What residents
tell the assistant is personal, so a conversation is deleted once its last message is older than
LEGALBOT_CONVERSATION_DAYS (default 30). Cases handed to advisers keep their own record
(handoff), which this does not touch.
"""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy import create_engine, delete, func, inspect, select
from sqlalchemy.exc import SQLAlchemyError

PRUNE_EVERY = 86400  # seconds between two prunings while the assistant serves

log = logging.getLogger(__name__)


def prune(url: str, days: int, now: float | None = None) -> int:
    """Delete every conversation whose last event is older than ``days``; return how many."""
    from rasa.core.tracker_store import SQLTrackerStore  # Rasa's own table; imported here, it is slow to load

    events = SQLTrackerStore.SQLEvent.__table__
    engine = create_engine(url, future=True)
    try:
        if not inspect(engine).has_table(events.name):
            return 0  # Rasa creates it when it first serves
        cutoff = (now if now is not None else time.time()) - days * 86400
        stale = select(events.c.sender_id).group_by(events.c.sender_id).having(func.max(events.c.timestamp) < cutoff)
        with engine.begin() as connection:
            senders = list(connection.scalars(stale))
            if senders:  # staleness is judged again by the delete: a resident who just wrote stays
                connection.execute(delete(events).where(events.c.sender_id.in_(stale)))
        return len(senders)
    finally:
        engine.dispose()


async def keep_pruning(url: str, days: int, every: float = PRUNE_EVERY) -> None:
    """Prune now and then every ``every`` seconds, for as long as the assistant serves."""
    while True:
        try:
            pruned = await asyncio.to_thread(prune, url, days)
            log.info("deleted %d conversations older than %d days", pruned, days)
        except SQLAlchemyError:
            log.exception("could not prune old conversations at %s; trying again in %.0f s", url, every)
        await asyncio.sleep(every)
