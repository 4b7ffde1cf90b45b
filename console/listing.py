"""The questions the entry pages ask of the knowledge base: the list with its filters, the
near-duplicate questions of other entries, and each citation's check with its text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.citations import CitationCheck, check_citation, is_national
from knowledge.content import CitationSpec, EntrySpec
from knowledge.models import Consultation, EntryRevision, Feedback
from knowledge.revisions import newest_revisions
from knowledge.similarity import near_duplicates
from texts import console as t


@dataclass(frozen=True)
class Filters:
    text: str = ""
    topic: str = ""
    status: str = ""
    edited_days: int | None = None
    non_national: bool = False
    unhelpful: bool = False


@dataclass(frozen=True)
class Row:
    slug: str
    title: str
    topic: str
    status: str
    edited_at: datetime
    author: str
    unhelpful: int


def unhelpful_counts(session: Session) -> dict[str, int]:
    """How many 没帮助 each entry got."""
    counts: dict[str, int] = {}
    for slug in session.scalars(select(Feedback.entry_slug).where(Feedback.helpful.is_(False))):
        if slug:
            counts[slug] = counts.get(slug, 0) + 1
    return counts


def _matches(spec: EntrySpec, text: str) -> bool:
    haystack = "\n".join([spec.slug, spec.title, spec.answer, *spec.examples]).lower()
    return text.lower() in haystack


def entry_rows(session: Session, filters: Filters, now: datetime) -> list[Row]:
    """Every entry as its newest revision stands, filtered, most recently edited first."""
    unhelpful = unhelpful_counts(session)
    rows = []
    for slug, revision in newest_revisions(session).items():
        spec = EntrySpec.from_content(revision.content)
        if (
            (filters.text and not _matches(spec, filters.text))
            or (filters.topic and spec.topic != filters.topic)
            or (filters.status and revision.status != filters.status)
            or (filters.edited_days is not None and revision.created_at < now - timedelta(days=filters.edited_days))
            or (filters.non_national and all(is_national(c.law) for c in spec.citations))
            or (filters.unhelpful and not unhelpful.get(slug))
        ):
            continue
        rows.append(
            Row(
                slug,
                spec.title,
                spec.topic,
                revision.status,
                revision.created_at,
                revision.author,
                unhelpful.get(slug, 0),
            )
        )
    return sorted(rows, key=lambda r: r.edited_at, reverse=True)


def duplicates_of(session: Session, spec: EntrySpec) -> dict[str, list[tuple[str, str, float]]]:
    """The entry's example questions that are near duplicates of another entry's (newest revisions)."""
    others = [
        (slug, question)
        for slug, revision in newest_revisions(session).items()
        if slug != spec.slug and revision.status != "retired"
        for question in revision.content.get("examples") or []
    ]
    return near_duplicates(spec.examples, others)


def citation_checks(spec: EntrySpec) -> list[tuple[CitationSpec, CitationCheck]]:
    return [(c, check_citation(c.law, c.article, c.quote)) for c in spec.citations]


def unhelpful_questions(session: Session, slug: str, limit: int = 20) -> list[str]:
    """What residents asked before pressing 没帮助 on this entry (masked)."""
    query = (
        select(Consultation.text)
        .where(Consultation.entry_slug == slug, Consultation.unhelpful.is_(True))
        .order_by(Consultation.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def revision_text(revision: EntryRevision) -> list[str]:
    """An entry's content as lines a diff can compare."""
    spec = EntrySpec.from_content(revision.content)
    lines = [f"{t.TOPIC}: {spec.topic}", f"{t.TITLE_FIELD}: {spec.title}", f"{t.ANSWER}:", *spec.answer.splitlines()]
    lines.append(f"{t.EXAMPLES}:")
    lines += [f"- {q}" for q in spec.examples]
    lines += [f"{t.CITATIONS}:"] + [
        f"- {c.law} | {c.article or ''} | {c.quote or ''}".rstrip(" |") for c in spec.citations
    ]
    return lines
