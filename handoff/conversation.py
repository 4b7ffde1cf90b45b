"""The conversation inside a case: messages relayed both ways, and how it ends (closed by the
adviser, handed back to the assistant, cancelled by the resident)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from config.settings import HandoffSettings
from handoff.cases import WITH_ADVISER, audit, end_offers, move, open_offers, queue, tell_resident
from handoff.models import Adviser, Case, CaseMessage, CaseStatus, Direction, MessageStatus, OfferOutcome
from texts import advisers, residents


def already_relayed(session: Session, source: tuple[int, int] | None) -> bool:
    """A redelivered Telegram message is relayed once."""
    if source is None:
        return False
    return (
        session.scalar(
            select(CaseMessage.id)
            .where(CaseMessage.source_chat_id == source[0], CaseMessage.source_message_id == source[1])
            .limit(1)
        )
        is not None
    )


def relay(
    session: Session,
    case: Case,
    direction: Direction,
    chat_id: int | None,
    shown: str,
    source: tuple[int, int] | None,
    media: bool,
    status: MessageStatus = MessageStatus.pending,
) -> None:
    """Queue a relayed message: text as a line naming the case or its sender; media (photo,
    voice, file) as that line followed by a copy of the original."""
    if not media:
        queue(session, case, direction, chat_id, shown, source=source, status=status)
        return
    queue(session, case, direction, chat_id, shown, status=status)
    queue(session, case, direction, chat_id, None, source=source, media=True, status=status)


def from_resident(
    session: Session,
    case: Case,
    text: str,
    source: tuple[int, int] | None,
    media: bool,
    settings: HandoffSettings,
    now: datetime,
) -> str | None:
    """Pass a resident's message to the adviser, or keep it for whoever takes the case.
    Returns what to tell the resident (None: the adviser will answer)."""
    if already_relayed(session, source):
        return None
    header = advisers.FROM_RESIDENT_MEDIA if media else advisers.FROM_RESIDENT
    shown = header.format(case_id=case.id, text=text)
    if case.status not in WITH_ADVISER:  # queued or offered: nobody has it yet
        relay(session, case, Direction.to_adviser, None, shown, source, media, status=MessageStatus.held)
        return residents.WAITING_FOR_ADVISER
    relay(session, case, Direction.to_adviser, case.adviser.telegram_user_id, shown, source, media)
    if case.status != CaseStatus.waiting_for_adviser:
        move(session, case, CaseStatus.waiting_for_adviser, "resident", now=now)
    case.response_due_at = case.response_due_at or now + settings.next_response
    case.inactive_close_at = None
    return None


def release_held(session: Session, case: Case, adviser: Adviser, now: datetime) -> None:
    """Messages the resident sent while waiting go to the adviser who took the case."""
    held = session.execute(
        update(CaseMessage)
        .where(CaseMessage.case_id == case.id, CaseMessage.status == MessageStatus.held)
        .values(chat_id=adviser.telegram_user_id, status=MessageStatus.pending)
        .execution_options(synchronize_session=False)
    ).rowcount
    if held:
        move(session, case, CaseStatus.waiting_for_adviser, "resident", f"{held} message(s) sent while waiting", now)


def from_adviser(
    session: Session,
    case: Case,
    adviser: Adviser,
    text: str,
    source: tuple[int, int],
    media: bool,
    settings: HandoffSettings,
    now: datetime,
) -> str | None:
    """Pass the adviser's reply to the resident of this case (found through the case, never
    through the message). Returns what to tell the adviser, if anything."""
    if case.resident_chat_id is None:
        return advisers.NO_RESIDENT_CHANNEL
    if already_relayed(session, source):
        return None
    shown = residents.FROM_ADVISER.format(name=adviser.name, text=text or advisers.A_FILE)
    relay(session, case, Direction.to_resident, case.resident_chat_id, shown, source, media)
    if case.status != CaseStatus.waiting_for_resident:
        move(session, case, CaseStatus.waiting_for_resident, f"adviser:{adviser.code}", now=now)
    case.response_due_at = case.reminded_at = None
    case.inactive_close_at = now + settings.inactivity_close
    audit(session, f"adviser:{adviser.code}", "reply", case.id)
    return None


def _forget_choice(adviser: Adviser, case: Case) -> None:
    """A case the adviser no longer holds is no longer where their unquoted messages go."""
    if adviser.current_case_id == case.id:
        adviser.current_case_id = None


def give_back(session: Session, case: Case, actor: str, note: str, now: datetime) -> None:
    """The adviser holding the case cannot go on (off duty, or silent after a reminder): back to
    the queue for the next adviser, who sees who held it; the resident is told."""
    adviser = case.adviser
    move(session, case, CaseStatus.queued, actor, note, now)
    case.adviser_id = None
    case.response_due_at = case.inactive_close_at = case.reminded_at = None
    _forget_choice(adviser, case)
    queue(
        session, case, Direction.to_adviser, adviser.telegram_user_id, advisers.CASE_TAKEN_AWAY.format(case_id=case.id)
    )
    tell_resident(session, case, residents.ADVISER_CHANGED.format(case_id=case.id))
    audit(session, actor, "case_given_back", case.id, detail=f"{adviser.code}: {note}")


def _end_for_adviser(
    session: Session, case: Case, adviser: Adviser, status: CaseStatus, note: str, now: datetime
) -> None:
    move(session, case, status, f"adviser:{adviser.code}", note, now)
    _forget_choice(adviser, case)
    audit(session, f"adviser:{adviser.code}", status, case.id, detail=note)


def close(session: Session, case: Case, adviser: Adviser, outcome: str, now: datetime) -> str:
    case.outcome = outcome
    _end_for_adviser(session, case, adviser, CaseStatus.resolved, outcome, now)
    tell_resident(session, case, residents.CASE_CLOSED.format(case_id=case.id, outcome=outcome))
    return advisers.CLOSED_OK.format(case_id=case.id)


def hand_back(session: Session, case: Case, adviser: Adviser, note: str, now: datetime) -> str:
    _end_for_adviser(session, case, adviser, CaseStatus.returned, note or "handed back", now)
    tell_resident(session, case, residents.CASE_RETURNED.format(case_id=case.id))
    return advisers.RETURNED_OK.format(case_id=case.id)


def cancel(session: Session, case: Case, note: str, now: datetime) -> str:
    """The resident gave up waiting or ended the conversation with a person."""
    if case.adviser is not None:
        queue(
            session,
            case,
            Direction.to_adviser,
            case.adviser.telegram_user_id,
            advisers.RESIDENT_LEFT.format(case_id=case.id),
        )
    end_offers(session, open_offers(session, case.id), OfferOutcome.withdrawn)
    session.execute(
        update(CaseMessage)
        .where(CaseMessage.case_id == case.id, CaseMessage.status == MessageStatus.held)
        .values(status=MessageStatus.cancelled)
        .execution_options(synchronize_session=False)
    )
    move(session, case, CaseStatus.abandoned, "resident", note, now)
    audit(session, "resident", "cancel", case.id, detail=note)
    return residents.CASE_CANCELLED.format(case_id=case.id)
