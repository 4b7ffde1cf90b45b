"""The shipped knowledge content: reviewed YAML files, checked and loaded into the database.

``check`` rejects what would harm a resident: a citation that is not an article in force, a
citation of a law the Civil Code repealed, a quote that is not the statute's words, an entry
without enough example questions for the NLU model to learn it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from knowledge import statutes
from knowledge.models import Citation, Entry, EntryStatus, Example, RevisionOrigin, RevisionStatus
from knowledge.revisions import SHIPPED_AUTHOR, add_revision, newest_revisions
from knowledge.topics import ENTRY_TOPICS

CONTENT_DIR = Path(__file__).resolve().parent / "content"
MIN_EXAMPLES = 8
MAX_ANSWER_CHARS = 450
SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")


@dataclass
class CitationSpec:
    law: str
    article: int | None = None
    quote: str | None = None
    source: str = "statute"
    number: str | None = None


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


class CitationFault(str, enum.Enum):
    """Why a citation may not be shown to a resident."""

    local_incomplete = "local_incomplete"
    unknown_source = "unknown_source"
    repealed = "repealed"
    no_article = "no_article"
    not_in_force = "not_in_force"
    quote_differs = "quote_differs"


@dataclass(frozen=True)
class CitationCheck:
    """The verdict on one citation: its fault (None if sound), the reason in words, and the
    article's text when the statute database has it."""

    fault: CitationFault | None = None
    reason: str | None = None
    article: statutes.Article | None = None


def check_citation(c: CitationSpec) -> CitationCheck:
    """The one check of a citation, used by `legalbot kb check`, loading and the console."""
    if c.source == "local":
        if c.law and c.number:
            return CitationCheck()
        return CitationCheck(CitationFault.local_incomplete, f"local document {c.law!r} needs its full name and number")
    if c.source != "statute":
        return CitationCheck(CitationFault.unknown_source, f"unknown citation source {c.source!r}")
    repealed = statutes.repealed_name(c.law)
    if repealed:
        reason = f"《{repealed}》 was repealed on 2021-01-01; the 民法典 replaced it: cite the 民法典"
        return CitationCheck(CitationFault.repealed, reason)
    if c.article is None:
        return CitationCheck(CitationFault.no_article, f"citation of {c.law} has no article number")
    article = statutes.find_article(c.law, int(c.article))
    if article is None:
        label = statutes.article_label(int(c.article))
        return CitationCheck(
            CitationFault.not_in_force, f"{c.law} {label} is not an article in force in the statute database"
        )
    if c.quote and c.quote.strip() not in article.text:
        reason = f"quote does not match {article.heading}: {c.quote!r}"
        return CitationCheck(CitationFault.quote_differs, reason, article)
    return CitationCheck(article=article)


def citation_problem(c: CitationSpec) -> str | None:
    """Why a citation may not be shown to a resident, or None if it is sound."""
    return check_citation(c).reason


def is_national(c: CitationSpec | Citation) -> bool:
    """Whether a citation is an article of the national statute database (the alternative: a
    registered or local source, which the 普法 team reviews separately)."""
    return c.source == "statute"


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
    problems += [p for c in spec.citations if (p := citation_problem(c))]
    return [f"{where}: {p}" for p in problems]


def check(specs: list[EntrySpec]) -> list[str]:
    """Every problem in the content; an empty list means it may be published."""
    problems = [p for spec in specs for p in entry_problems(spec)]
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
    entry.citations = [
        Citation(position=i, law=c.law, article=c.article, quote=c.quote, source=c.source, number=c.number)
        for i, c in enumerate(spec.citations)
    ]
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
