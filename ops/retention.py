"""How long what residents wrote is kept: every table that holds it has its period (README,
*What is stored*), applied at start, daily while the assistant serves, and by `legalbot
conversations prune`.

- Rasa's tracker store: a conversation is deleted once its last message is older than
  LEGALBOT_CONVERSATION_DAYS (30).
- What each message led to (consultations, masked, for the console) and the feedback on answers:
  LEGALBOT_CONSULTATION_DAYS (90).
- Telegram's inbox (telegram_updates): the content of a handled update is blanked after
  LEGALBOT_TELEGRAM_DAYS (7); the row stays for the once-only handling. Replies that could not
  be delivered (telegram_delivery_failures) are deleted after as long.
- Cases handed to advisers (transcript, messages, offers, history): deleted LEGALBOT_CASE_DAYS
  (365) after they closed. Open cases are never deleted.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.telegram.inbox import delete_delivery_failures, scrub_handled
from bot.telegram.models import DeliveryFailure, InboundUpdate
from config.settings import Settings
from handoff.repository import cases_closed_before, delete_cases
from knowledge.models import Consultation, Feedback
from knowledge.records import prune_consultations, prune_feedback
from storage.db import Database, utcnow
from storage.tracker import EVENTS, delete_stale_conversations

PRUNE_EVERY = 86400  # seconds between two prunings while the assistant serves

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retention:
    """Where residents' data is and how many days each kind is kept."""

    db: Database
    tracker_store_url: str
    conversation_days: int = 30
    consultation_days: int = 90
    telegram_days: int = 7
    case_days: int = 365

    @classmethod
    def of(cls, settings: Settings) -> Retention:
        return cls(
            Database(settings.database_url),
            settings.tracker_store_url,
            settings.conversation_days,
            settings.consultation_days,
            settings.telegram_days,
            settings.case_days,
        )


def prune(url: str, days: int, now: datetime | None = None) -> int:
    """Delete every conversation whose last event is older than ``days``; return how many."""
    return delete_stale_conversations(url, ((now or utcnow()) - timedelta(days=days)).timestamp())


def prune_all(retention: Retention, now: datetime | None = None) -> dict[str, int]:
    """Apply every retention period; returns how many rows (conversations, for the tracker
    store) of each table were deleted or, for telegram_updates, blanked."""
    now = now or utcnow()
    counts = {f"{EVENTS} (conversations)": prune(retention.tracker_store_url, retention.conversation_days, now)}
    with retention.db.session() as s, s.begin():
        counts[Consultation.__tablename__] = prune_consultations(s, retention.consultation_days, now)
        counts[Feedback.__tablename__] = prune_feedback(s, retention.consultation_days, now)
        telegram_before = now - timedelta(days=retention.telegram_days)
        counts[InboundUpdate.__tablename__] = scrub_handled(s, received_before=telegram_before)
        counts[DeliveryFailure.__tablename__] = delete_delivery_failures(s, before=telegram_before)
        counts |= delete_cases(s, cases_closed_before(s, now - timedelta(days=retention.case_days)))
    return counts


def report(counts: dict[str, int]) -> str:
    return ", ".join(f"{table} {n}" for table, n in counts.items())


async def keep_pruning(retention: Retention, every: float = PRUNE_EVERY) -> None:
    """Prune now and then every ``every`` seconds, for as long as the assistant serves."""
    while True:
        try:
            counts = await asyncio.to_thread(prune_all, retention)
            log.info("retention: deleted %s", report(counts))
        except SQLAlchemyError:
            log.exception("could not apply the retention periods; trying again in %.0f s", every)
        await asyncio.sleep(every)
