"""Who gets a case: the village's advisers who are active, at work and under capacity, least
loaded first, one at a time; when none is left, the district's duty pool, all at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from config.settings import HandoffSettings
from handoff.cases import WITH_ADVISER, audit, end_offers, move, open_offers, queue, record, tell_resident
from handoff.conversation import release_held
from handoff.hours import WorkingHours, describe
from handoff.models import Adviser, Case, CaseOffer, CaseStatus, Direction, OfferOutcome, Village, adviser_villages
from handoff.summary import summary
from texts import advisers, residents


def load(session: Session, adviser: Adviser) -> int:
    return session.scalar(
        select(func.count()).select_from(Case).where(Case.adviser_id == adviser.id, Case.status.in_(WITH_ADVISER))
    )


def available(session: Session, advisers: list[Adviser], now: datetime, zone: ZoneInfo) -> list[Adviser]:
    """Active, at work now and under capacity; least loaded first."""
    ready = [
        (load(session, a), a.id, a) for a in advisers if a.active and WorkingHours.parse(a.hours).open_at(now, zone)
    ]
    return [a for busy, _, a in sorted(ready, key=lambda r: r[:2]) if busy < a.capacity]


def village_advisers(session: Session, case: Case) -> list[Adviser]:
    if case.village_id is None:
        return []
    return list(
        session.scalars(
            select(Adviser)
            .join(adviser_villages)
            .where(adviser_villages.c.village_id == case.village_id)
            .order_by(Adviser.id)
        )
    )


def pool_advisers(session: Session, case: Case) -> list[Adviser]:
    """The district's duty pool; every pool when the resident did not know the district."""
    query = select(Adviser).where(Adviser.duty_district.is_not(None))
    if case.district:
        query = query.where(Adviser.duty_district == case.district)
    return list(session.scalars(query.order_by(Adviser.id)))


def offered_before(session: Session, case: Case) -> set[int]:
    return set(session.scalars(select(CaseOffer.adviser_id).where(CaseOffer.case_id == case.id)))


def place(session: Session, case: Case) -> str:
    village = session.get(Village, case.village_id) if case.village_id else None
    return f"{village.district}{village.name}" if village else (case.district or residents.GUANGZHOU)


def offer_next(session: Session, case: Case, settings: HandoffSettings, now: datetime) -> list[Adviser]:
    """Offer the case to the next adviser (or the pool). Returns whom it was offered to; nobody
    when everyone is away or full (the case stays queued and is tried again on the next tick)."""
    tried = offered_before(session, case)
    nominees = [
        a for a in available(session, village_advisers(session, case), now, settings.zone) if a.id not in tried
    ][:1]
    pool = not nominees
    if pool:
        nominees = [
            a for a in available(session, pool_advisers(session, case), now, settings.zone) if a.id not in tried
        ]
    if not nominees:
        if case.status == CaseStatus.offered and not open_offers(session, case.id):
            move(session, case, CaseStatus.queued, "system", "nobody available", now)
        return []
    expires = None if pool else now + settings.offer_timeout
    text = advisers.OFFER.format(
        case_id=case.id, priority=advisers.PRIORITY if case.priority else "", summary=summary(session, case)
    )
    buttons = [
        {"title": advisers.TAKE, "payload": f"case:take:{case.id}"},
        {"title": advisers.PASS, "payload": f"case:pass:{case.id}"},
    ]
    for adviser in nominees:
        session.add(CaseOffer(case_id=case.id, adviser_id=adviser.id, pool=pool, offered_at=now, expires_at=expires))
        queue(session, case, Direction.to_adviser, adviser.telegram_user_id, text, buttons)
        audit(session, "system", "offer", case.id, detail=f"to {adviser.code}{' (duty pool)' if pool else ''}")
    move(session, case, CaseStatus.offered, "system", ", ".join(a.code for a in nominees), now)
    return nominees


def why_nobody(session: Session, case: Case, now: datetime, zone: ZoneInfo) -> str:
    """Why no adviser can take the case now, in the resident's words: none for this place, all
    off duty (and when the first starts work), or all busy."""
    advisers = [a for a in village_advisers(session, case) + pool_advisers(session, case) if a.active]
    if not advisers:
        return residents.NOBODY_REGISTERED.format(place=place(session, case))
    opening = min(WorkingHours.parse(a.hours).next_opening(now, zone) for a in advisers)
    if opening > now:
        return residents.NOBODY_OFF_DUTY.format(when=describe(opening, zone))
    return residents.NOBODY_BUSY


def submit(session: Session, case: Case, settings: HandoffSettings, now: datetime) -> str:
    """The resident agreed: queue the case and offer it. Returns what to tell the resident; when
    nobody can take it now, the case stays queued (for the next tick and the office's list) and
    the resident hears at once what they can do meanwhile."""
    case.consented_at = now
    case.intake_step = None
    move(session, case, CaseStatus.queued, "resident", "consent given", now)
    if offer_next(session, case, settings, now):
        case.response_due_at = now + settings.first_response  # "still looking" if nobody takes it
        return residents.CASE_QUEUED.format(case_id=case.id, place=place(session, case))
    why = why_nobody(session, case, now, settings.zone)
    audit(session, "system", "nobody_available", case.id, detail=why)
    return residents.CASE_QUEUED_NOBODY.format(case_id=case.id, why=why)


@dataclass
class TakeResult:
    taken: bool
    reply: str


def take(session: Session, case_id: int, adviser: Adviser, settings: HandoffSettings, now: datetime) -> TakeResult:
    """接手: exactly one adviser wins, however many press at once (one conditional UPDATE)."""
    actor = f"adviser:{adviser.code}"
    offer = next(iter(open_offers(session, case_id, adviser.id)), None)
    if offer is None:
        case = session.get(Case, case_id)
        audit(session, actor, "take", case_id, allowed=False, detail="no open offer")
        if case is not None and case.adviser_id not in (None, adviser.id):
            return TakeResult(False, advisers.TAKEN_BY_OTHER.format(case_id=case_id))
        status = case.status if case else advisers.CASE_MISSING
        return TakeResult(False, advisers.OFFER_CLOSED.format(case_id=case_id, status=status))
    won = (
        session.execute(
            update(Case)
            .where(Case.id == case_id, Case.status == CaseStatus.offered)
            .values(status=CaseStatus.assigned, adviser_id=adviser.id)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
    if not won:
        end_offers(session, [offer], OfferOutcome.withdrawn)
        audit(session, actor, "take", case_id, allowed=False, detail="taken by another adviser")
        return TakeResult(False, advisers.TAKEN_BY_OTHER.format(case_id=case_id))
    case = session.get(Case, case_id)
    session.refresh(case)
    record(session, case.id, CaseStatus.offered, CaseStatus.assigned, actor, now=now)
    case.response_due_at = now + settings.first_response
    end_offers(session, [offer], OfferOutcome.taken)
    end_offers(session, open_offers(session, case.id), OfferOutcome.withdrawn)
    adviser.current_case_id = case.id
    audit(session, actor, "take", case.id)
    tell_resident(session, case, residents.CASE_TAKEN.format(name=adviser.name, case_id=case.id))
    release_held(session, case, adviser, now)
    return TakeResult(True, advisers.TAKEN_BY_YOU.format(case_id=case.id))


def pass_on(session: Session, case_id: int, adviser: Adviser, settings: HandoffSettings, now: datetime) -> str:
    """转给他人: the offer goes to the next adviser (or the pool)."""
    actor = f"adviser:{adviser.code}"
    offer = next(iter(open_offers(session, case_id, adviser.id)), None)
    if offer is None:
        audit(session, actor, "pass", case_id, allowed=False, detail="no open offer")
        return advisers.OFFER_CLOSED.format(case_id=case_id, status=advisers.CASE_HANDLED)
    end_offers(session, [offer], OfferOutcome.passed)
    audit(session, actor, "pass", case_id)
    move_on(session, session.get(Case, case_id), settings, now)
    return advisers.PASSED.format(case_id=case_id)


def move_on(session: Session, case: Case, settings: HandoffSettings, now: datetime) -> None:
    """An offer ended without an answer: when none is left open, offer the case to the next."""
    if case.status == CaseStatus.offered and not open_offers(session, case.id):
        offer_next(session, case, settings, now)
