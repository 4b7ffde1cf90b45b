"""The history of every entry: immutable revisions, each the entry's full content with who
made it, when, why and its workflow status. The newest revision of a slug is where the entry
stands; the published projection (entries, examples, citations) is what residents get."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge.models import EntryRevision, RevisionOrigin, RevisionStatus

#: The author of revisions imported from knowledge/content/*.yml.
SHIPPED_AUTHOR = "shipped content"


def add_revision(
    session: Session,
    content: dict,
    status: RevisionStatus,
    origin: RevisionOrigin,
    author: str,
    comment: str | None = None,
) -> EntryRevision:
    """Append the next revision of ``content["slug"]``."""
    slug = content["slug"]
    last = session.scalar(select(func.max(EntryRevision.number)).where(EntryRevision.slug == slug)) or 0
    revision = EntryRevision(
        slug=slug,
        number=last + 1,
        content=content,
        status=status.value,
        origin=origin.value,
        author=author,
        comment=comment,
    )
    session.add(revision)
    session.flush()
    return revision


def newest_revisions(session: Session) -> dict[str, EntryRevision]:
    """The newest revision of every entry, by slug."""
    numbers = (
        select(EntryRevision.slug, func.max(EntryRevision.number).label("number"))
        .group_by(EntryRevision.slug)
        .subquery()
    )
    query = select(EntryRevision).join(
        numbers, (EntryRevision.slug == numbers.c.slug) & (EntryRevision.number == numbers.c.number)
    )
    return {r.slug: r for r in session.scalars(query)}


def history(session: Session, slug: str) -> list[EntryRevision]:
    """Every revision of an entry, oldest first."""
    return list(session.scalars(select(EntryRevision).where(EntryRevision.slug == slug).order_by(EntryRevision.number)))


def newest(session: Session, slug: str) -> EntryRevision | None:
    return session.scalars(
        select(EntryRevision).where(EntryRevision.slug == slug).order_by(EntryRevision.number.desc()).limit(1)
    ).first()


def revision(session: Session, slug: str, number: int) -> EntryRevision | None:
    return session.scalars(
        select(EntryRevision).where(EntryRevision.slug == slug, EntryRevision.number == number)
    ).one_or_none()
