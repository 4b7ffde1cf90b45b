"""Forgetting a resident, at their request (/forget) or an administrator's (`legalbot residents
forget`): what they wrote and were told is deleted from every table that holds it (README,
*What is stored*), and the audit log records who asked, when and how many rows of each table
went, never what they held."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.telegram.inbox import delete_delivery_failures, scrub_handled
from bot.telegram.models import SENDER_PREFIX, DeliveryFailure, InboundUpdate
from config.settings import Settings, stored_secret
from handoff.cases import audit
from handoff.repository import cases_of, delete_cases
from knowledge.records import forget_sender, sender_hash
from storage.db import Database
from storage.tracker import EVENTS, delete_conversation


@dataclass(frozen=True)
class Forgetting:
    """Where a resident's data is: the application database, Rasa's tracker store, and the key
    of the hash that stands for them in the consultations."""

    db: Database
    tracker_store_url: str
    sender_hash_key: str

    @classmethod
    def of(cls, settings: Settings) -> Forgetting:
        key = settings.sender_hash_key or stored_secret("sender-hash-key")  # as the action server's
        return cls(Database(settings.database_url), settings.tracker_store_url, key)

    def forget(self, sender_id: str, actor: str) -> dict[str, int]:
        """Delete ``sender_id``'s data everywhere; returns how many rows of each table (the
        Telegram inbox keeps each handled update's id with its content blanked, and keeps
        updates not yet handled, so that no message is lost)."""
        counts = {EVENTS: delete_conversation(self.tracker_store_url, sender_id)}
        hashed = sender_hash(sender_id, self.sender_hash_key)
        with self.db.session() as s, s.begin():
            counts |= delete_cases(s, cases_of(s, sender_id))
            counts |= forget_sender(s, sender_id, hashed)
            if sender_id.startswith(SENDER_PREFIX):
                chat = sender_id.removeprefix(SENDER_PREFIX)
                counts[InboundUpdate.__tablename__] = scrub_handled(s, chat=chat)
                counts[DeliveryFailure.__tablename__] = delete_delivery_failures(s, chat=chat)
            audit(s, actor, "forget_resident", detail=json.dumps({"sender_hash": hashed[:16], "rows": counts}))
        return counts
