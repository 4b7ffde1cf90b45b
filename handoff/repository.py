"""The questions the channels and the operator commands ask of the handoff's tables, by name,
so that neither writes a query of its own."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from handoff.cases import OPEN, WITH_ADVISER
from handoff.models import Adviser, AuditEntry, Case, CaseEvent, CaseMessage, CaseOffer, MessageStatus


def active_adviser(session: Session, telegram_user_id: int | None) -> Adviser | None:
    """The registered adviser on duty behind a Telegram user, if any (looked up every time, so
    taking an adviser off duty takes effect at once)."""
    if telegram_user_id is None:
        return None
    return session.scalars(
        select(Adviser).where(Adviser.telegram_user_id == telegram_user_id, Adviser.active.is_(True))
    ).one_or_none()


def active_adviser_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Adviser).where(Adviser.active.is_(True))) or 0


def all_advisers(session: Session) -> list[Adviser]:
    return list(session.scalars(select(Adviser).order_by(Adviser.code)))


def cases_held_by(session: Session, adviser: Adviser) -> list[Case]:
    return list(
        session.scalars(
            select(Case).where(Case.adviser_id == adviser.id, Case.status.in_(WITH_ADVISER)).order_by(Case.id)
        )
    )


def case_of_sent_message(session: Session, chat_id: int, message_id: int) -> Case | None:
    """The case a message the bot sent into this chat belongs to (the stored message map)."""
    case_id = session.scalar(
        select(CaseMessage.case_id).where(CaseMessage.chat_id == chat_id, CaseMessage.sent_message_id == message_id)
    )
    return session.get(Case, case_id) if case_id is not None else None


def open_cases(session: Session) -> list[Case]:
    """Every case not yet ended, the urgent and the oldest first."""
    return list(session.scalars(select(Case).where(Case.status.in_(OPEN)).order_by(Case.priority.desc(), Case.id)))


def case_history(session: Session, case_id: int) -> list[CaseEvent]:
    return list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)))


def pending_case_messages(session: Session, limit: int) -> list[CaseMessage]:
    """Messages cases queued and not yet delivered, in the order they were written."""
    return list(
        session.scalars(
            select(CaseMessage).where(CaseMessage.status == MessageStatus.pending).order_by(CaseMessage.id).limit(limit)
        )
    )


def cases_of(session: Session, sender_id: str) -> list[int]:
    """Every case of one resident, open or closed."""
    return list(session.scalars(select(Case.id).where(Case.sender_id == sender_id)))


def cases_closed_before(session: Session, before: datetime) -> list[int]:
    return list(session.scalars(select(Case.id).where(Case.status.not_in(OPEN), Case.closed_at < before)))


def delete_cases(session: Session, case_ids: list[int]) -> dict[str, int]:
    """Delete cases with their messages, offers and history; their audit rows keep who did what
    and when, but not the details (an adviser's outcome may quote the resident). Returns how many
    rows of each table."""
    counts = {}
    for model in (CaseMessage, CaseOffer, CaseEvent):
        counts[model.__tablename__] = session.execute(delete(model).where(model.case_id.in_(case_ids))).rowcount or 0
    counts[Case.__tablename__] = session.execute(delete(Case).where(Case.id.in_(case_ids))).rowcount or 0
    blanked = update(AuditEntry).where(AuditEntry.case_id.in_(case_ids), AuditEntry.detail.is_not(None))
    counts[f"{AuditEntry.__tablename__} (details blanked)"] = session.execute(blanked.values(detail=None)).rowcount or 0
    return counts
