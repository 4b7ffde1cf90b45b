"""Find the Civil Code articles that bear on a layperson's question, for the "articles that may
apply" reply and the case summaries advisers read.

Two retrievers, fused by z-scored scores: the lexical one (knowledge/lexical_index.py) and the
dense one (knowledge/dense_index.py). Three signals from the consultation core re-rank them: the
Civil Code book of the routed topic, the entries the response selector ranked, and the entries
whose example questions are closest to the question (their citations were chosen by people, so
they are strong evidence). The weights were chosen on half of STARD's development questions and
checked on the other half, both ways (`legalbot eval --statutes` prints each part's figures).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from knowledge import statutes
from knowledge.dense_index import civil_code_vectors
from knowledge.lexical_index import civil_code_index, expand
from knowledge.models import Entry
from nlu.text import normalize_text

DENSE_WEIGHT = 0.75  # of the dense z-score against the lexical one (0.7 and 0.8 on the two halves)
BOOK_BONUS = 0.25  # z units for an article in the routed topic's book (0 and 0.25 on the two halves)
SELECTOR_BONUS = 1.0  # × the selector's confidence, for the articles its entries cite (0 and 1.0)
#: × the entry's z-score, for the articles the closest entries cite: 0.15 was the best on both halves
#: on 2026-12-05 (246 entries); the 0.4 chosen on 217 entries had come to cost more than it gave.
CLOSE_BONUS = 0.15
CLOSE_ENTRIES = 3


@dataclass(frozen=True)
class Found:
    law: str
    article: int
    score: float

    def as_dict(self) -> dict:
        return {"law": self.law, "article": self.article, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Hints:
    """What the consultation core knows about a question: its routed topic, the entries the
    response selector ranked (with confidence) and the entries with the closest example
    questions (with how far above the other entries they stand, in z-score)."""

    topic: str | None = None
    selector_entries: Sequence[tuple[Entry, float]] = ()
    close_entries: Sequence[tuple[Entry, float]] = ()


def _z(scores: np.ndarray) -> np.ndarray:
    spread = scores.std()
    return (scores - scores.mean()) / spread if spread else np.zeros_like(scores)


def _book(topic: str | None) -> range | None:
    start = 1
    for last, book_topic in statutes.CIVIL_BOOKS:
        if book_topic == topic:
            return range(start, last + 1)
        start = last + 1
    return None


def _cited(entry: Entry) -> list[int]:
    return [c.article for c in entry.citations if c.law == statutes.CIVIL_CODE and c.article is not None]


def fused_scores(question: str, hints: Hints = Hints(), dense_weight: float = DENSE_WEIGHT) -> dict[int, float]:
    """Every article's fused score; ``dense_weight`` 0 is the lexical retriever alone."""
    lexical = civil_code_index()
    scores = (1 - dense_weight) * _z(np.asarray(lexical.scores(expand(question))))
    if dense_weight:
        scores = scores + dense_weight * _z(civil_code_vectors().scores(normalize_text(question)))
    by_number = dict(zip(lexical.numbers, scores.tolist(), strict=True))
    book = _book(hints.topic)
    for number in book or ():
        if number in by_number:
            by_number[number] += BOOK_BONUS
    for entry, confidence in hints.selector_entries:
        for number in _cited(entry):
            by_number[number] = by_number.get(number, 0.0) + SELECTOR_BONUS * confidence
    for entry, z in list(hints.close_entries)[:CLOSE_ENTRIES]:
        for number in _cited(entry):
            by_number[number] = by_number.get(number, 0.0) + CLOSE_BONUS * max(z, 0.0)
    return by_number


def search(question: str, k: int = 5, hints: Hints = Hints(), dense_weight: float = DENSE_WEIGHT) -> list[Found]:
    """The ``k`` Civil Code articles most likely to apply."""
    best = sorted(fused_scores(question, hints, dense_weight).items(), key=lambda item: -item[1])[:k]
    return [Found(statutes.CIVIL_CODE, number, score) for number, score in best]


RELATED_MIN_WORDS = 1.0  # the question's own words must match the article (lexical score, max 2)
RELATED_MIN_WORDS_IN_BOOK = 0.65  # a little less for an article of the routed topic's book


def related_articles(question: str, topic: str | None, k: int = 3) -> list[statutes.Article]:
    """Civil Code articles that may apply to a question no entry answers, for a resident's
    reply or an adviser's case summary; none unless the question's own words match them, so a
    question that is not about the Civil Code gets no articles."""
    text = normalize_text(question)
    lexical, book = civil_code_index(), _book(topic) or range(0)
    words = dict(zip(lexical.numbers, lexical.scores(expand(text)), strict=True))
    found = [
        f
        for f in search(text, k=k, hints=Hints(topic=topic))
        if words[f.article] >= (RELATED_MIN_WORDS_IN_BOOK if f.article in book else RELATED_MIN_WORDS)
    ]
    return [a for a in (statutes.find_article(f.law, f.article) for f in found) if a is not None]


def article_lines(articles: list[statutes.Article], chars: int = 50) -> str:
    flat = [(a.heading, "".join(a.text.split())) for a in articles]
    return "\n".join(f"{heading}：{text[:chars]}{'…' if len(text) > chars else ''}" for heading, text in flat)
