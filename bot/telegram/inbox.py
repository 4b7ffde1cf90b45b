"""The durable inbox of Telegram updates: stored first, then handled, then marked done."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from telegram import Update

from bot.telegram.models import DeliveryFailure, InboundUpdate, UpdateStatus
from storage.db import utcnow


def chat_key(update: Update) -> str:
    chat = update.effective_chat
    return str(chat.id) if chat else f"update-{update.update_id}"


def digest(payload: dict) -> str:
    """What tells a redelivered update (the same id and content) from a new one that Telegram
    gave an id it had used before (ids restart at random after a week without updates)."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def store(session: Session, updates: list[Update]) -> int:
    """Persist updates not seen before, in the order received; returns how many were new (the
    rest are duplicates)."""
    rows = {}
    for received in updates:
        payload = received.to_dict()
        key = digest(payload)
        rows[key] = InboundUpdate(update_id=received.update_id, digest=key, chat_id=chat_key(received), payload=payload)
    seen = set(session.scalars(select(InboundUpdate.digest).where(InboundUpdate.digest.in_(rows))))
    new = [row for key, row in rows.items() if key not in seen]
    session.add_all(new)
    return len(new)


def next_offset(updates: list[Update]) -> int | None:
    """The getUpdates offset after a stored batch: the last update received + 1, as Telegram
    asks. Not the highest id ever stored: ids may restart lower, and those would be confirmed
    away unseen."""
    return updates[-1].update_id + 1 if updates else None


def pending_chats(session: Session) -> list[str]:
    """Chats with updates still to handle, the one waiting longest first."""
    query = (
        select(InboundUpdate.chat_id)
        .where(InboundUpdate.status == UpdateStatus.pending)
        .group_by(InboundUpdate.chat_id)
        .order_by(func.min(InboundUpdate.id))
    )
    return list(session.scalars(query))


def oldest_pending(session: Session, chat: str) -> InboundUpdate | None:
    return session.scalars(
        select(InboundUpdate)
        .where(InboundUpdate.status == UpdateStatus.pending, InboundUpdate.chat_id == chat)
        .order_by(InboundUpdate.id)
        .limit(1)
    ).one_or_none()


def finish(session: Session, row_id: int, status: UpdateStatus, error: str | None = None) -> None:
    row = session.get(InboundUpdate, row_id)
    row.status, row.error, row.done_at = status, error, utcnow()
    row.attempts += 1


def postpone(session: Session, row_id: int, error: str) -> bool:
    """The assistant was unreachable: keep the update pending. Returns True the first time,
    when the resident should be told to wait."""
    row = session.get(InboundUpdate, row_id)
    row.attempts += 1
    row.error = error
    first = not row.resident_told_to_wait
    row.resident_told_to_wait = True
    return first


def record_delivery_failure(session: Session, chat_id: int | str, text: str, error: str) -> None:
    session.add(DeliveryFailure(chat_id=str(chat_id), text=text, error=error))


def scrub_handled(session: Session, received_before: datetime | None = None, chat: str | None = None) -> int:
    """Blank the content of handled updates (received before ``received_before``, or all of
    ``chat``'s): each row keeps only its update id, digest, status and times; the digest is what
    the once-only handling needs. Pending updates are never touched. Returns how many."""
    query = update(InboundUpdate).where(
        InboundUpdate.status != UpdateStatus.pending, InboundUpdate.chat_id.is_not(None)
    )
    if received_before is not None:
        query = query.where(InboundUpdate.received_at < received_before)
    if chat is not None:
        query = query.where(InboundUpdate.chat_id == chat)
    return session.execute(query.values(payload={}, chat_id=None, error=None)).rowcount or 0


def delete_delivery_failures(session: Session, before: datetime | None = None, chat: str | None = None) -> int:
    """Delete undelivered replies recorded before ``before``, or all of ``chat``'s; returns how many."""
    query = delete(DeliveryFailure)
    if before is not None:
        query = query.where(DeliveryFailure.created_at < before)
    if chat is not None:
        query = query.where(DeliveryFailure.chat_id == chat)
    return session.execute(query).rowcount or 0
