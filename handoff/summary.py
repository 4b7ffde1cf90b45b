"""The case summary an adviser reads before taking a case: what, where, what the resident said,
what the assistant already answered, and Civil Code articles that may apply."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.models import Adviser, Case, CaseOffer, OfferOutcome, Village
from knowledge import retrieval
from knowledge.topics import TOPICS
from texts import advisers, residents

RESIDENT_LINES = 3
ANSWER_CHARS = 160
RELATED_ARTICLES = 3


def resident_said(case: Case) -> list[str]:
    """The resident's last few messages before the request (buttons and commands left out)."""
    said = [t["text"] for t in case.transcript if t.get("from") == "resident" and not t["text"].startswith("/")]
    return said[-RESIDENT_LINES:]


def assistant_answer(case: Case) -> str | None:
    answers = [
        t["text"] for t in case.transcript if t.get("from") == "assistant" and residents.LEGAL_BASIS in t["text"]
    ]
    if not answers:
        return None
    answer = answers[-1]
    return answer if len(answer) <= ANSWER_CHARS else answer[:ANSWER_CHARS] + "…"


def related_articles(case: Case, question: str) -> str | None:
    if not question or not (case.topic.startswith("civil.") or case.topic == "other.legal"):
        return None
    topic = case.topic if case.topic.startswith("civil.") else None
    articles = retrieval.related_articles(question, topic, k=RELATED_ARTICLES)
    return retrieval.article_lines(articles) if articles else None


def previous_advisers(session: Session, case: Case) -> list[str]:
    """Advisers who held this case before it was given back (e.g. taken off duty)."""
    query = (
        select(Adviser.name)
        .join(CaseOffer, CaseOffer.adviser_id == Adviser.id)
        .where(CaseOffer.case_id == case.id, CaseOffer.outcome == OfferOutcome.taken)
        .order_by(CaseOffer.id)
    )
    return list(session.scalars(query))


def summary(session: Session, case: Case) -> str:
    village = session.get(Village, case.village_id) if case.village_id else None
    where = (
        f"{village.district}{village.town or ''}{village.name}"
        if village
        else advisers.SUMMARY_PLACE_UNKNOWN.format(district=case.district or advisers.SUMMARY_DISTRICT_UNKNOWN)
    )
    said = resident_said(case)
    lines = [
        advisers.SUMMARY_TOPIC.format(topic=TOPICS.get(case.topic, case.topic)),
        advisers.SUMMARY_PLACE.format(place=where),
        advisers.SUMMARY_REASON.format(reason=advisers.REASONS.get(case.reason, case.reason)),
        advisers.SUMMARY_SAID.format(said=" / ".join(said) if said else advisers.SUMMARY_SAID_NOTHING),
        advisers.SUMMARY_ANSWERED.format(answer=assistant_answer(case) or advisers.SUMMARY_NOT_ANSWERED),
    ]
    before = previous_advisers(session, case)
    if before:
        lines.append(advisers.SUMMARY_BEFORE.format(names="、".join(before)))
    related = related_articles(case, " ".join(said))
    if related:
        lines.append(advisers.SUMMARY_ARTICLES.format(articles=related))
    return "\n".join(lines)
