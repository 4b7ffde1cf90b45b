"""The shipped knowledge content: reviewed YAML files, checked and loaded into the database.

``check`` rejects what would harm a resident: a citation that is not an article in force, a
citation of a law the Civil Code repealed, a quote that is not the statute's words, an entry
without enough example questions for the NLU model to learn it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from knowledge import sources
from knowledge.citations import citation_problem, source_of
from knowledge.models import Citation, Entry, EntryStatus, Example, RevisionOrigin, RevisionStatus
from knowledge.revisions import SHIPPED_AUTHOR, add_revision, newest_revisions
from knowledge.similarity import same_questions
from knowledge.topics import ENTRY_TOPICS

CONTENT_DIR = Path(__file__).resolve().parent / "content"
MIN_EXAMPLES = 8
MAX_ANSWER_CHARS = 450
SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")


@dataclass
class CitationSpec:
    """A law (a national law or a registered document, by its full title) and a provision."""

    law: str
    article: int | None = None
    quote: str | None = None


@dataclass
class EntrySpec:
    slug: str
    topic: str
    title: str
    answer: str
    examples: list[str]
    citations: list[CitationSpec] = field(default_factory=list)
    origin: str = ""

    def content(self) -> dict:
        """The entry as a revision stores it (JSON)."""
        data = asdict(self)
        del data["origin"]
        return data

    @classmethod
    def from_content(cls, content: dict, origin: str = "") -> EntrySpec:
        return cls(
            slug=str(content.get("slug", "")),
            topic=str(content.get("topic", "")),
            title=str(content.get("title", "")).strip(),
            answer=str(content.get("answer", "")).strip(),
            examples=[str(q).strip() for q in content.get("examples") or []],
            citations=[CitationSpec(**c) for c in content.get("citations") or []],
            origin=origin,
        )


class ContentError(ValueError):
    """The content is not fit to publish; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def read_content(directory: Path = CONTENT_DIR) -> list[EntrySpec]:
    """Parse every ``*.yml`` file (one per topic) without judging it."""
    specs: list[EntrySpec] = []
    for path in sorted(directory.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        topic = doc.get("topic", "")
        specs += [EntrySpec.from_content({**raw, "topic": topic}, path.name) for raw in doc.get("entries") or []]
    return specs


def entry_problems(spec: EntrySpec) -> list[str]:
    where = f"{spec.origin}:{spec.slug or '?'}"
    problems = []
    if not SLUG.match(spec.slug):
        problems.append("slug must be lowercase ascii words joined by hyphens")
    if spec.topic not in ENTRY_TOPICS:
        problems.append(f"unknown topic {spec.topic!r}")
    if not spec.title or not spec.answer:
        problems.append("title and answer are required")
    if len(spec.answer) > MAX_ANSWER_CHARS:
        problems.append(f"answer has {len(spec.answer)} characters; keep it under {MAX_ANSWER_CHARS}")
    if len(set(spec.examples)) < MIN_EXAMPLES:
        problems.append(f"{len(set(spec.examples))} distinct example questions; at least {MIN_EXAMPLES} are needed")
    if not spec.citations:
        problems.append("an answer needs its legal basis: no citations")
    problems += [p for c in spec.citations if (p := citation_problem(c.law, c.article, c.quote))]
    return [f"{where}: {p}" for p in problems]


def check(specs: list[EntrySpec]) -> list[str]:
    """Every problem in the content and in the sources register it cites; an empty list means it
    may be published."""
    registered, unreadable = sources.read_register()
    problems = unreadable + sources.register_problems(registered)
    problems += [p for spec in specs for p in entry_problems(spec)]
    origin = {spec.slug: spec.origin for spec in specs}
    problems += [
        f"{origin[d.slug]}:{d.slug}: example {d.question!r} is the same question as {d.other_question!r} "
        f"in {d.other_slug} (similarity {d.similarity}); keep each question in one entry"
        for d in same_questions((spec.slug, q) for spec in specs for q in spec.examples)
    ]
    seen: dict[str, str] = {}
    for spec in specs:
        if spec.slug in seen:
            problems.append(f"{spec.origin}:{spec.slug}: slug also used in {seen[spec.slug]}")
        seen[spec.slug] = spec.origin
    return problems


def _fingerprint(entry: Entry) -> tuple:
    return (
        entry.topic,
        entry.title,
        entry.answer,
        [e.text for e in entry.examples],
        [(c.law, c.article, c.quote, c.source, c.number) for c in entry.citations],
    )


def _citation(position: int, spec: CitationSpec) -> Citation:
    """The stored citation, with where its law lives and, for a registered document, its 文号."""
    document = sources.find_source(spec.law)
    return Citation(
        position=position,
        law=spec.law,
        article=spec.article,
        quote=spec.quote,
        source=source_of(spec.law).value,
        number=document.number if document else None,
    )


def project(session: Session, spec: EntrySpec) -> str:
    """Make ``spec`` what residents get for its slug (the published projection that the assistant
    and the training data read). Returns "added", "updated" or "unchanged"."""
    entry = session.scalars(select(Entry).where(Entry.slug == spec.slug)).one_or_none()
    if entry is None:
        entry = Entry(slug=spec.slug, version=0)
        session.add(entry)
        before = None
    else:
        before = (*_fingerprint(entry), entry.status)
    entry.topic, entry.title, entry.answer = spec.topic, spec.title, spec.answer
    entry.examples = [Example(position=i, text=q) for i, q in enumerate(dict.fromkeys(spec.examples))]
    entry.citations = [_citation(i, c) for i, c in enumerate(spec.citations)]
    entry.status = EntryStatus.published
    if before is None:
        entry.version = 1
        return "added"
    if before != (*_fingerprint(entry), entry.status):
        entry.version += 1
        return "updated"
    return "unchanged"


def retire_projection(session: Session, slug: str) -> bool:
    """Residents no longer get the entry (it is kept: feedback and cases refer to it)."""
    entry = session.scalars(select(Entry).where(Entry.slug == slug)).one_or_none()
    if entry is None or entry.status == EntryStatus.retired:
        return False
    entry.status = EntryStatus.retired
    entry.version += 1
    return True


@dataclass
class LoadReport:
    counts: dict[str, int]
    skipped: list[str]  # edited in the console: the shipped content does not overwrite them


def load(session: Session, specs: list[EntrySpec]) -> LoadReport:
    """Publish the reviewed shipped content as revisions by "shipped content": new entries are
    added, changed ones get a new version, entries no longer shipped are retired (never deleted:
    feedback and cases refer to them). An entry whose newest revision was made in the console
    is left as it is and listed in ``skipped``."""
    problems = check(specs)
    if problems:
        raise ContentError(problems)
    newest = newest_revisions(session)
    counts = {"added": 0, "updated": 0, "unchanged": 0, "retired": 0}
    skipped: list[str] = []
    for spec in specs:
        revision = newest.pop(spec.slug, None)
        if revision is not None and revision.origin == RevisionOrigin.console:
            skipped.append(spec.slug)
            continue
        counts[project(session, spec)] += 1
        if revision is None or revision.content != spec.content() or revision.status != RevisionStatus.published:
            add_revision(session, spec.content(), RevisionStatus.published, RevisionOrigin.shipped, SHIPPED_AUTHOR)
    shipped_before = {slug for slug, r in newest.items() if r.origin == RevisionOrigin.shipped}
    unrevised = set(session.scalars(select(Entry.slug))) - set(newest) - {s.slug for s in specs}
    for slug in sorted(shipped_before | unrevised):
        if retire_projection(session, slug):
            counts["retired"] += 1
            content = newest[slug].content if slug in newest else {"slug": slug}
            add_revision(session, content, RevisionStatus.retired, RevisionOrigin.shipped, SHIPPED_AUTHOR)
    return LoadReport(counts, skipped)


def published(session: Session) -> list[Entry]:
    return list(
        session.scalars(select(Entry).where(Entry.status == EntryStatus.published).order_by(Entry.topic, Entry.slug))
    )


def published_index(session: Session, slugs: set[str] | None = None) -> dict[str, Entry]:
    """Published entries by slug (only ``slugs`` if given), citations loaded, usable after the
    session closes."""
    query = select(Entry).options(selectinload(Entry.citations)).where(Entry.status == EntryStatus.published)
    if slugs is not None:
        query = query.where(Entry.slug.in_(slugs))
    return {e.slug: e for e in session.scalars(query)}


class PublishedEntries:
    """The published entries a long-running server answers from, kept between messages. Each call
    reads only the asked entries' version and time of last change — one small query — and loads
    again (with their citations) only those that changed since: publishing, a rollback or a
    retirement raises the version, any update of the row its time, so an edit is live with the
    next message while an unchanged entry costs no load (loading them for every message took most
    of the action server's time per message by a profile; docs/measurements.md, *Speed*)."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[tuple, Entry]] = {}

    def index(self, session: Session, slugs: set[str]) -> dict[str, Entry]:
        """Like ``published_index(session, slugs)``."""
        query = select(Entry.slug, Entry.version, Entry.updated_at).where(
            Entry.status == EntryStatus.published, Entry.slug.in_(slugs)
        )
        stamps = {slug: (version, updated_at) for slug, version, updated_at in session.execute(query)}
        stale = {slug for slug, stamp in stamps.items() if slug not in self._kept or self._kept[slug][0] != stamp}
        if stale:  # stamped before loading: an edit in between is loaded again next time
            self._kept |= {slug: (stamps[slug], entry) for slug, entry in published_index(session, stale).items()}
        return {slug: self._kept[slug][1] for slug in stamps if slug in self._kept}
