"""Conversations are deleted once their last message is past the retention period, on both
databases the Rasa tracker store may use, written by Rasa's own SQL tracker store."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import select

from ops.retention import Retention, keep_pruning, prune
from storage.db import Database

DAY = 86400.0
NOW = 1_800_000_000.0


def _store(url: str) -> SQLTrackerStore:
    return SQLTrackerStore(domain=Domain.empty(), host=url)


def _tracker(sender: str, *days_ago: float, now: float = NOW) -> DialogueStateTracker:
    events = [UserUttered(f"message {n}", timestamp=now - d * DAY) for n, d in enumerate(days_ago)]
    return DialogueStateTracker.from_events(sender, events)


def _save(store: SQLTrackerStore, sender: str, *days_ago: float, now: float = NOW) -> None:
    asyncio.run(store.save(_tracker(sender, *days_ago, now=now)))


def test_only_conversations_silent_longer_than_the_period_are_deleted(db_url):
    store = _store(db_url)
    _save(store, "old", 40, 31)
    _save(store, "returning", 60, 2)
    _save(store, "recent", 1)
    assert prune(db_url, 30, now=datetime.fromtimestamp(NOW, timezone.utc)) == 1
    assert set(asyncio.run(store.keys())) == {"returning", "recent"}
    assert len(asyncio.run(store.retrieve_full_tracker("returning")).events) == 2  # its whole history stays
    assert prune(db_url, 30, now=datetime.fromtimestamp(NOW, timezone.utc)) == 0
    store.engine.dispose()


def test_a_database_rasa_has_not_used_yet_has_nothing_to_prune(tmp_path):
    assert prune(f"sqlite:///{tmp_path / 'empty.db'}", 30) == 0


def test_while_serving_old_conversations_are_pruned_again_and_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    store = _store(url)
    _save(store, "recent", 1, now=time.time())
    _save(store, "old", 31, now=time.time())

    async def senders_become(expected: set[str]) -> None:
        deadline = time.monotonic() + 30
        while set(await store.keys()) != expected:
            assert time.monotonic() < deadline, f"still {set(await store.keys())}"
            await asyncio.sleep(0.05)

    async def serve() -> None:
        retention = Retention(Database(f"sqlite:///{tmp_path / 'kb.db'}"), url)
        pruner = asyncio.create_task(keep_pruning(retention, every=0.1))
        await senders_become({"recent"})
        await store.save(_tracker("old too", 45, now=time.time()))  # a later pruning has to find it
        await senders_become({"recent"})
        pruner.cancel()

    asyncio.run(serve())
    store.engine.dispose()


def test_consultation_records_are_masked_and_deleted_after_their_days(db_url, tmp_path):
    from datetime import timedelta

    from knowledge.models import Consultation
    from knowledge.records import record_consultation, sender_hash
    from ops.retention import prune_all
    from storage.db import utcnow

    db = Database(db_url)
    with db.session() as s, s.begin():
        old = record_consultation(
            s, sender_hash("tg-1", "k"), "我电话13812345678", "civil.tort", "clarify", None, 0, []
        )
        s.flush()
        old.at = utcnow() - timedelta(days=91)
        record_consultation(s, sender_hash("tg-1", "k"), "新问题", "civil.tort", "answer", "tort-dog-bite", 0.8, [])
    with db.session() as s:
        assert "13812345678" not in s.scalars(select(Consultation.text)).first()
    assert prune_all(Retention(db, f"sqlite:///{tmp_path / 'c.db'}"))["consultations"] == 1
    with db.session() as s:
        assert s.scalars(select(Consultation.text)).all() == ["新问题"]
