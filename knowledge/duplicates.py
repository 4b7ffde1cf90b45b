"""Example questions that say the same thing in two entries confuse the model and the resident
(which answer is meant?): each question belongs to one entry. Lexical nearness here: character
bigrams of the normalised text; close pairs across entries are reported."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from nlu.text import normalize_text

NEAR = 0.75  # Jaccard of character bigrams at or above which two questions are the same question


@dataclass(frozen=True)
class NearDuplicate:
    slug: str
    question: str
    other_slug: str
    other_question: str
    similarity: float


def _bigrams(text: str) -> frozenset[str]:
    plain = re.sub(r"[\W_]+", "", normalize_text(text).lower())
    return frozenset(plain[i : i + 2] for i in range(len(plain) - 1)) or frozenset([plain])


def similarity(a: str, b: str) -> float:
    ga, gb = _bigrams(a), _bigrams(b)
    return len(ga & gb) / len(ga | gb) if ga | gb else 1.0


def near_duplicates(examples: Iterable[tuple[str, str]], threshold: float = NEAR) -> list[NearDuplicate]:
    """Pairs of (entry slug, question) from different entries that are the same question."""
    grams = [(slug, question, _bigrams(question)) for slug, question in examples]
    found = []
    for (slug, question, ga), (other, other_question, gb) in itertools.combinations(grams, 2):
        if slug != other and (score := len(ga & gb) / len(ga | gb)) >= threshold:
            found.append(NearDuplicate(slug, question, other, other_question, round(score, 2)))
    return found
