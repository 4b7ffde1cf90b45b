"""A case's life: its statuses, the transitions allowed between them (each one recorded as an
event row), the audit log, and the messages a change sends (queued in the same transaction).

    intake → queued → offered → assigned → waiting_for_adviser ⇄ waiting_for_resident
                                          → resolved | returned | abandoned
    (back to queued when the adviser holding a case is taken off duty or silent after a reminder)
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from handoff.models import (
    Adviser,
    AuditEntry,
    Case,
    CaseEvent,
    CaseMessage,
    CaseOffer,
    CaseStatus,
    Direction,
    IntakeStep,
    MessageStatus,
    OfferOutcome,
    Reason,
)
from storage.db import utcnow

TRANSITIONS: dict[CaseStatus, set[CaseStatus]] = {
    CaseStatus.intake: {CaseStatus.queued, CaseStatus.abandoned},
    CaseStatus.queued: {CaseStatus.offered, CaseStatus.abandoned},
    CaseStatus.offered: {CaseStatus.offered, CaseStatus.queued, CaseStatus.assigned, CaseStatus.abandoned},
    CaseStatus.assigned: {
        CaseStatus.waiting_for_adviser,
        CaseStatus.waiting_for_resident,
        CaseStatus.resolved,
        CaseStatus.returned,
        CaseStatus.abandoned,
        CaseStatus.queued,
    },
    CaseStatus.waiting_for_adviser: {
        CaseStatus.waiting_for_resident,
        CaseStatus.resolved,
        CaseStatus.returned,
        CaseStatus.abandoned,
        CaseStatus.queued,
    },
    CaseStatus.waiting_for_resident: {
        CaseStatus.waiting_for_adviser,
        CaseStatus.resolved,
        CaseStatus.returned,
        CaseStatus.abandoned,
        CaseStatus.queued,
    },
}
OPEN = tuple(TRANSITIONS)  # every status a case can still leave
WITH_ADVISER = (CaseStatus.assigned, CaseStatus.waiting_for_adviser, CaseStatus.waiting_for_resident)
HANDOFF_KEY = "handoff_case"  # the action's custom message: this conversation now goes to a person


def holds(adviser: Adviser, case: Case) -> bool:
    """The adviser holds this case now (only then may they reply, choose, close or return it)."""
    return case.adviser_id == adviser.id and case.status in WITH_ADVISER


class InvalidTransition(ValueError):
    pass


def audit(
    session: Session,
    actor: str,
    action: str,
    case_id: int | None = None,
    allowed: bool = True,
    detail: str | None = None,
) -> None:
    session.add(AuditEntry(actor=actor, action=action, case_id=case_id, allowed=allowed, detail=detail))


def move(
    session: Session, case: Case, to: CaseStatus, actor: str, note: str | None = None, now: datetime | None = None
) -> None:
    """Change the status, recording the transition; refuse one the life of a case does not allow."""
    if to not in TRANSITIONS.get(case.status, set()):
        raise InvalidTransition(f"case {case.id}: {case.status} → {to}")
    record(session, case.id, case.status, to, actor, note, now)
    case.status = to
    if to in (CaseStatus.resolved, CaseStatus.returned, CaseStatus.abandoned):
        case.closed_at = now or utcnow()
        case.response_due_at = case.inactive_close_at = None


def record(
    session: Session,
    case_id: int,
    from_status: str | None,
    to_status: str,
    actor: str,
    note: str | None = None,
    now: datetime | None = None,
) -> None:
    """The event row of a transition; :func:`move` writes it, or a caller that changed the status
    with its own conditional UPDATE."""
    session.add(
        CaseEvent(
            case_id=case_id, at=now or utcnow(), from_status=from_status, to_status=to_status, actor=actor, note=note
        )
    )


def open_intake(
    session: Session, sender_id: str, topic: str, reason: Reason, transcript: list[dict], priority: bool = False
) -> Case:
    """Start a case: it reaches no adviser until the resident has said where and agreed."""
    case = Case(
        sender_id=sender_id,
        resident_chat_id=resident_chat(sender_id),
        topic=topic,
        reason=reason,
        priority=priority,
        status=CaseStatus.intake,
        intake_step=IntakeStep.district,
        transcript=transcript,
    )
    session.add(case)
    session.flush()
    record(session, case.id, None, CaseStatus.intake, "resident", reason)
    audit(session, "resident", "request_person", case.id, detail=f"{reason}, topic {topic}")
    return case


def resident_chat(sender_id: str) -> int | None:
    """The Telegram chat of a conversation the Telegram channel started (sender ids "tg-<chat>")."""
    prefix, _, chat = sender_id.partition("-")
    return int(chat) if prefix == "tg" and chat.lstrip("-").isdigit() else None


def current_case(session: Session, sender_id: str) -> Case | None:
    """The case that holds this conversation, if any (at most one is open per resident)."""
    return session.scalars(
        select(Case).where(Case.sender_id == sender_id, Case.status.in_(OPEN)).order_by(Case.id.desc()).limit(1)
    ).one_or_none()


def queue(
    session: Session,
    case: Case,
    direction: Direction,
    chat_id: int | None,
    text: str | None,
    buttons: list[dict] | None = None,
    source: tuple[int, int] | None = None,
    media: bool = False,
    status: MessageStatus = MessageStatus.pending,
) -> CaseMessage:
    """A message to deliver within the case, written with the change that causes it."""
    message = CaseMessage(
        case_id=case.id,
        direction=direction,
        chat_id=chat_id,
        text=text,
        buttons=buttons or [],
        source_chat_id=source[0] if source else None,
        source_message_id=source[1] if source else None,
        media=media,
        status=status,
    )
    session.add(message)
    return message


def tell_resident(session: Session, case: Case, text: str) -> None:
    """A notice to the resident; kept in the case even when the resident's channel cannot be reached."""
    queue(
        session,
        case,
        Direction.to_resident,
        case.resident_chat_id,
        text,
        status=MessageStatus.pending if case.resident_chat_id else MessageStatus.unreachable,
    )


def open_offers(session: Session, case_id: int, adviser_id: int | None = None) -> list[CaseOffer]:
    """The offers of a case still waiting for an answer (of one adviser, if given)."""
    query = select(CaseOffer).where(CaseOffer.case_id == case_id, CaseOffer.outcome == OfferOutcome.open)
    if adviser_id is not None:
        query = query.where(CaseOffer.adviser_id == adviser_id)
    return list(session.scalars(query.order_by(CaseOffer.id)))


def end_offers(session: Session, offers: list[CaseOffer], outcome: OfferOutcome) -> None:
    """Offers that no longer stand (taken, passed, expired, withdrawn): an offer not yet
    delivered is not sent, and one on an adviser's screen (or on its way there) loses its
    接手 / 转给他人 buttons."""
    for offer in offers:
        offer.outcome = outcome
        chat = session.get(Adviser, offer.adviser_id).telegram_user_id
        shown = session.scalars(
            select(CaseMessage).where(
                CaseMessage.case_id == offer.case_id,
                CaseMessage.chat_id == chat,
                CaseMessage.strip_buttons_of.is_(None),
            )
        )
        for message in [m for m in shown if any(b["payload"].startswith("case:take:") for b in m.buttons)]:
            if move_message(session, message, MessageStatus.pending, MessageStatus.withdrawn):
                continue
            if move_message(session, message, MessageStatus.sending, MessageStatus.recalled):
                continue  # the case worker takes the buttons off once Telegram has it
            session.refresh(message)
            if message.sent_message_id is not None:
                session.add(buttons_off(message))


def move_message(session: Session, message: CaseMessage, before: MessageStatus, after: MessageStatus) -> bool:
    """Change a message's status only if it still has ``before``: the case worker sends
    messages beside the handlers that withdraw them, so each change is a conditional write."""
    moved = session.execute(
        update(CaseMessage).where(CaseMessage.id == message.id, CaseMessage.status == before).values(status=after)
    )
    return moved.rowcount == 1


def buttons_off(message: CaseMessage) -> CaseMessage:
    """The queued edit that removes the buttons of a delivered message."""
    return CaseMessage(
        case_id=message.case_id,
        direction=message.direction,
        chat_id=message.chat_id,
        strip_buttons_of=message.sent_message_id,
    )


def record_delivered(session: Session, message: CaseMessage, telegram_message_id: int) -> None:
    """Telegram has the message; an offer recalled while on its way loses its buttons now."""
    message.sent_message_id, message.sent_at = telegram_message_id, utcnow()
    if move_message(session, message, MessageStatus.sending, MessageStatus.sent):
        return
    if move_message(session, message, MessageStatus.recalled, MessageStatus.sent):
        session.add(buttons_off(message))


def return_to_queue(session: Session, message: CaseMessage) -> None:
    """Telegram could not be reached: the message waits for the next round, unless it is an
    offer that ended meanwhile."""
    if not move_message(session, message, MessageStatus.sending, MessageStatus.pending):
        move_message(session, message, MessageStatus.recalled, MessageStatus.withdrawn)


def requeue_interrupted(session: Session) -> None:
    """After a restart, what a stopped worker had on its way goes again (it may have reached
    Telegram: a duplicate beats a lost message), except offers that ended meanwhile."""
    session.execute(
        update(CaseMessage).where(CaseMessage.status == MessageStatus.sending).values(status=MessageStatus.pending)
    )
    session.execute(
        update(CaseMessage).where(CaseMessage.status == MessageStatus.recalled).values(status=MessageStatus.withdrawn)
    )
