"""What a conversation leaves behind: feedback on answers, and what each message led to
(masked, under a keyed hash of the sender) for the console's view of what residents asked."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from knowledge.models import Consultation, Feedback
from storage.privacy import mask


def record_feedback(session: Session, sender_id: str, entry_slug: str | None, helpful: bool) -> Feedback:
    feedback = Feedback(sender_id=sender_id, entry_slug=entry_slug, helpful=helpful)
    session.add(feedback)
    return feedback


def sender_hash(sender_id: str, key: str) -> str:
    """A sender id that cannot be turned back into a chat id without the key."""
    return hmac.new(key.encode(), sender_id.encode(), hashlib.sha256).hexdigest()


def record_consultation(
    session: Session,
    sender: str,
    text: str,
    topic: str,
    action: str,
    entry_slug: str | None,
    confidence: float,
    choices: list[str],
) -> Consultation:
    """``sender`` is already hashed (sender_hash); the text is masked here."""
    consultation = Consultation(
        sender_hash=sender,
        text=mask(text),
        topic=topic,
        action=action,
        entry_slug=entry_slug,
        confidence=confidence,
        choices=choices,
    )
    session.add(consultation)
    return consultation


def mark_unhelpful(session: Session, sender: str, entry_slug: str | None) -> None:
    """The resident pressed 没帮助 on the answer of their last question about ``entry_slug``."""
    last = session.scalars(
        select(Consultation)
        .where(Consultation.sender_hash == sender, Consultation.entry_slug == entry_slug)
        .order_by(Consultation.id.desc())
        .limit(1)
    ).first()
    if last is not None:
        last.unhelpful = True


def last_consultation(session: Session, sender: str) -> Consultation | None:
    return session.scalars(
        select(Consultation).where(Consultation.sender_hash == sender).order_by(Consultation.id.desc()).limit(1)
    ).first()


def prune_consultations(session: Session, days: int, now: datetime) -> int:
    """Delete what residents asked more than ``days`` ago; returns how many were deleted."""
    result = session.execute(delete(Consultation).where(Consultation.at < now - timedelta(days=days)))
    return result.rowcount or 0


def prune_feedback(session: Session, days: int, now: datetime) -> int:
    """Delete feedback given more than ``days`` ago; returns how many were deleted."""
    result = session.execute(delete(Feedback).where(Feedback.created_at < now - timedelta(days=days)))
    return result.rowcount or 0


def forget_sender(session: Session, sender_id: str, hashed: str) -> dict[str, int]:
    """Delete what one resident's messages left here (``hashed``: their sender_hash); returns how
    many rows of each table."""
    consultations = session.execute(delete(Consultation).where(Consultation.sender_hash == hashed))
    feedback = session.execute(delete(Feedback).where(Feedback.sender_id == sender_id))
    return {Consultation.__tablename__: consultations.rowcount or 0, Feedback.__tablename__: feedback.rowcount or 0}
