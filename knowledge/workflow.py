"""The review workflow of an entry: draft → in review → published → retired. An editor saves
drafts and submits them; a reviewer who wrote none of the change approves it (it becomes what
residents get) or rejects it with a comment. Each step is a new immutable revision; a rollback
is a new draft with an old revision's content, reviewed again like any change."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.content import SLUG, EntrySpec, entry_problems, project, retire_projection
from knowledge.models import EntryRevision, RevisionOrigin, RevisionStatus
from knowledge.revisions import add_revision, history, newest, revision

_CHANGE = (RevisionStatus.draft.value, RevisionStatus.in_review.value)


class WorkflowError(ValueError):
    """The step is not allowed now; ``problems`` says why (shown to the person who tried)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _step(session: Session, content: dict, status: RevisionStatus, author: str, comment: str | None) -> EntryRevision:
    return add_revision(session, content, status, RevisionOrigin.console, author, comment)


def _current(session: Session, slug: str, *allowed: RevisionStatus) -> EntryRevision:
    current = newest(session, slug)
    if current is None:
        raise WorkflowError([f"no entry {slug}"])
    if allowed and current.status not in {s.value for s in allowed}:
        raise WorkflowError([f"{slug} is {current.status}, not {' or '.join(s.value for s in allowed)}"])
    return current


def problems_of(content: dict) -> list[str]:
    """What keeps a change from review: the same checks as `legalbot kb check`."""
    return entry_problems(EntrySpec.from_content(content, origin="console"))


def save_draft(session: Session, content: dict, author: str, comment: str | None = None) -> EntryRevision:
    """A new draft of the entry (a new entry when the slug is new). Drafts may be unfinished."""
    if not SLUG.match(content.get("slug") or ""):
        raise WorkflowError(["slug must be lowercase ascii words joined by hyphens"])
    content = EntrySpec.from_content(content).content()
    return _step(session, content, RevisionStatus.draft, author, comment)


def submit(session: Session, slug: str, author: str, comment: str | None = None) -> EntryRevision:
    current = _current(session, slug, RevisionStatus.draft, RevisionStatus.rejected)
    problems = problems_of(current.content)
    if problems:
        raise WorkflowError(problems)
    return _step(session, current.content, RevisionStatus.in_review, author, comment)


def authors_of_change(session: Session, slug: str) -> set[str]:
    """Who wrote or submitted the change under review: everyone since it was last published."""
    authors: set[str] = set()
    for r in reversed(history(session, slug)):
        if r.status in (RevisionStatus.published.value, RevisionStatus.retired.value):
            break
        if r.status in _CHANGE:
            authors.add(r.author)
    return authors


def _review(session: Session, slug: str, reviewer: str) -> EntryRevision:
    current = _current(session, slug, RevisionStatus.in_review)
    if reviewer in authors_of_change(session, slug):
        raise WorkflowError([f"{reviewer} wrote this change; another reviewer must review it"])
    return current


def approve(session: Session, slug: str, reviewer: str, comment: str | None = None) -> EntryRevision:
    """Publish the change: residents get it from their next message."""
    current = _review(session, slug, reviewer)
    problems = problems_of(current.content)
    if problems:
        raise WorkflowError(problems)
    project(session, EntrySpec.from_content(current.content))
    return _step(session, current.content, RevisionStatus.published, reviewer, comment)


def reject(session: Session, slug: str, reviewer: str, comment: str) -> EntryRevision:
    if not comment.strip():
        raise WorkflowError(["say why: a rejection needs a comment"])
    current = _review(session, slug, reviewer)
    return _step(session, current.content, RevisionStatus.rejected, reviewer, comment)


def retire(session: Session, slug: str, reviewer: str, comment: str | None = None) -> EntryRevision:
    """Residents no longer get the entry; it stays, with its history, and can be restored."""
    current = _current(session, slug, RevisionStatus.published)
    retire_projection(session, slug)
    return _step(session, current.content, RevisionStatus.retired, reviewer, comment)


def rollback(session: Session, slug: str, number: int, author: str) -> EntryRevision:
    """A new draft with the content of revision ``number``; it goes through review again."""
    old = revision(session, slug, number)
    if old is None:
        raise WorkflowError([f"{slug} has no revision {number}"])
    return _step(session, old.content, RevisionStatus.draft, author, f"rollback to revision {number}")


def published_content(session: Session, slug: str) -> dict | None:
    """The content residents get now, or None."""
    query = (
        select(EntryRevision)
        .where(EntryRevision.slug == slug)
        .order_by(EntryRevision.number.desc())
        .where(EntryRevision.status.in_([RevisionStatus.published.value, RevisionStatus.retired.value]))
        .limit(1)
    )
    last = session.scalars(query).first()
    return last.content if last is not None and last.status == RevisionStatus.published.value else None
