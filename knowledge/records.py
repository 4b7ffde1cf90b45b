"""What a conversation leaves behind: feedback on answers."""

from __future__ import annotations

from sqlalchemy.orm import Session

from knowledge.models import Feedback


def record_feedback(session: Session, sender_id: str, entry_slug: str | None, helpful: bool) -> Feedback:
    feedback = Feedback(sender_id=sender_id, entry_slug=entry_slug, helpful=helpful)
    session.add(feedback)
    return feedback
