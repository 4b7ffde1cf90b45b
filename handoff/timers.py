"""The case timers, kept as columns in the database and checked on every tick, so a restart
loses none: offers that expire, advisers who have not answered, residents who went silent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.settings import HandoffSettings
from handoff.cases import WITH_ADVISER, audit, end_offers, move, queue, tell_resident
from handoff.conversation import give_back
from handoff.models import Adviser, Case, CaseOffer, CaseStatus, Direction, OfferOutcome
from handoff.routing import move_on, offer_next
from texts import advisers, residents


def expire_offers(session: Session, settings: HandoffSettings, now: datetime) -> int:
    expired = list(
        session.scalars(select(CaseOffer).where(CaseOffer.outcome == OfferOutcome.open, CaseOffer.expires_at <= now))
    )
    for offer in expired:
        end_offers(session, [offer], OfferOutcome.expired)
        adviser = session.get(Adviser, offer.adviser_id)
        case = session.get(Case, offer.case_id)
        queue(
            session,
            case,
            Direction.to_adviser,
            adviser.telegram_user_id,
            advisers.OFFER_EXPIRED.format(case_id=case.id),
        )
        audit(session, "system", "offer_expired", case.id, detail=adviser.code)
        move_on(session, case, settings, now)
    return len(expired)


def offer_waiting(session: Session, settings: HandoffSettings, now: datetime) -> int:
    """Queued cases (everyone was away or full): try again, the urgent and the oldest first."""
    waiting = session.scalars(
        select(Case).where(Case.status == CaseStatus.queued).order_by(Case.priority.desc(), Case.id)
    )
    return sum(1 for case in waiting if offer_next(session, case, settings, now))


def overdue_replies(session: Session, settings: HandoffSettings, now: datetime) -> int:
    """Nobody took the case yet: tell the resident, once. The adviser has not answered in time:
    a reminder, and if another period passes without an answer, the case goes to someone else."""
    due = list(session.scalars(select(Case).where(Case.response_due_at <= now)))
    for case in due:
        case.response_due_at = None
        if case.status in WITH_ADVISER and case.reminded_at is not None:
            give_back(session, case, "system", "no answer after a reminder", now)
        elif case.status in WITH_ADVISER:
            case.reminded_at, case.response_due_at = now, now + settings.next_response
            queue(
                session,
                case,
                Direction.to_adviser,
                case.adviser.telegram_user_id,
                advisers.REMIND_ADVISER.format(case_id=case.id),
            )
            tell_resident(session, case, residents.ADVISER_REMINDED)
            audit(session, "system", "remind_adviser", case.id, detail=case.adviser.code)
        elif case.status in (CaseStatus.queued, CaseStatus.offered):
            tell_resident(session, case, residents.STILL_LOOKING)
            audit(session, "system", "still_looking", case.id)
    return len(due)


def silent_residents(session: Session, now: datetime) -> int:
    silent = list(
        session.scalars(
            select(Case).where(Case.inactive_close_at <= now, Case.status == CaseStatus.waiting_for_resident)
        )
    )
    for case in silent:
        move(session, case, CaseStatus.abandoned, "system", "resident inactive", now)
        tell_resident(session, case, residents.CASE_INACTIVE.format(case_id=case.id))
        queue(
            session,
            case,
            Direction.to_adviser,
            case.adviser.telegram_user_id,
            advisers.CASE_ENDED_INACTIVE.format(case_id=case.id),
        )
        audit(session, "system", "close_inactive", case.id)
    return len(silent)


def run_due(session: Session, settings: HandoffSettings, now: datetime) -> int:
    """Everything that has come due; returns how many things happened."""
    return (
        expire_offers(session, settings, now)
        + offer_waiting(session, settings, now)
        + overdue_replies(session, settings, now)
        + silent_residents(session, now)
    )
