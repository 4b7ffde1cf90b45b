"""What a conversation leaves behind: feedback on answers and cases opened for a person."""
from __future__ import annotations

from sqlalchemy.orm import Session

from knowledge.models import Case, Feedback


def record_feedback(session: Session, sender_id: str, entry_slug: str | None, helpful: bool) -> Feedback:
    feedback = Feedback(sender_id=sender_id, entry_slug=entry_slug, helpful=helpful)
    session.add(feedback)
    return feedback


def open_case(session: Session, sender_id: str, topic: str, reason: str, transcript: list[dict],
              priority: bool = False) -> Case:
    """Queue a case for a legal adviser with the conversation so far."""
    case = Case(sender_id=sender_id, topic=topic, reason=reason, priority=priority,
                status="queued", transcript=transcript)
    session.add(case)
    session.flush()
    return case
