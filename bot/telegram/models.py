"""The Telegram channel's tables: the durable inbox of updates and the replies that could not
be delivered."""

from __future__ import annotations

import enum

from sqlalchemy import JSON, Boolean, Column, DateTime, Integer, String, Text

from storage.db import Base, utcnow

SENDER_PREFIX = "tg-"  # a Telegram chat's conversation id (Rasa's sender id) is this and the chat id


class UpdateStatus(str, enum.Enum):
    pending = "pending"  # stored, not yet handled (or the assistant was unreachable)
    done = "done"
    failed = "failed"  # handling raised; the resident was told


class InboundUpdate(Base):
    """A Telegram update, stored before it is acknowledged so a crash or restart loses nothing.

    ``digest`` deduplicates: an update delivered twice (the same id and content) is handled once.
    The update id alone cannot: after a week without updates Telegram restarts its ids at a
    random, possibly lower or already used, number, and such an update is new. ``id`` is the
    order of arrival, in which each chat's updates are handled.
    """

    __tablename__ = "telegram_updates"

    id = Column(Integer, primary_key=True)
    update_id = Column(Integer, nullable=False)
    digest = Column(String(64), nullable=False, unique=True)
    chat_id = Column(String(40), index=True)
    payload = Column(JSON, nullable=False)
    status = Column(String(20), nullable=False, default=UpdateStatus.pending, index=True)
    attempts = Column(Integer, nullable=False, default=0)
    resident_told_to_wait = Column(Boolean, nullable=False, default=False)
    error = Column(Text)
    received_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    done_at = Column(DateTime(timezone=True))


class DeliveryFailure(Base):
    """A reply that could not be delivered after every retry, kept for follow-up."""

    __tablename__ = "telegram_delivery_failures"

    id = Column(Integer, primary_key=True)
    chat_id = Column(String(40), nullable=False, index=True)
    text = Column(Text, nullable=False)
    error = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
