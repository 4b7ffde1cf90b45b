"""Conversations are deleted once their last message is past the retention period, on both
databases the Rasa tracker store may use, written by Rasa's own SQL tracker store."""
from __future__ import annotations

import asyncio

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.conversations import prune

DAY = 86400.0
NOW = 1_800_000_000.0


def _store(url: str) -> SQLTrackerStore:
    return SQLTrackerStore(domain=Domain.empty(), host=url)


def _save(store: SQLTrackerStore, sender: str, *days_ago: float) -> None:
    events = [UserUttered(f"message {n}", timestamp=NOW - d * DAY) for n, d in enumerate(days_ago)]
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))


def test_only_conversations_silent_longer_than_the_period_are_deleted(db_url):
    store = _store(db_url)
    _save(store, "old", 40, 31)
    _save(store, "returning", 60, 2)
    _save(store, "recent", 1)
    assert prune(db_url, 30, now=NOW) == 1
    assert set(asyncio.run(store.keys())) == {"returning", "recent"}
    assert len(asyncio.run(store.retrieve_full_tracker("returning")).events) == 2  # its whole history stays
    assert prune(db_url, 30, now=NOW) == 0
    store.engine.dispose()


def test_a_database_rasa_has_not_used_yet_has_nothing_to_prune(tmp_path):
    assert prune(f"sqlite:///{tmp_path / 'empty.db'}", 30) == 0
