"""How alike two residents' questions are: the same question in two entries (which confuses the
model and the resident: `legalbot kb check` refuses it), near duplicates the console flags as an
editor types, and grouping what residents asked that nobody answered. Lexical (Jaccard over
character bigrams of the normal form), so that a check needs no model."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nlu.text import normalize_text

#: Two example questions of different entries at least this alike are the same question: refused.
SAME_QUESTION = 0.75
#: The console flags a question at least this alike to another entry's, for the editor to judge.
DUPLICATE_THRESHOLD = 0.6
#: Residents' messages at least this alike (directly or through others) form one group.
GROUP_THRESHOLD = 0.35
_NOISE = re.compile(r"[\s\W_]+")


def _bigrams(text: str) -> frozenset[str]:
    plain = _NOISE.sub("", normalize_text(text).lower())
    return frozenset(plain[i : i + 2] for i in range(len(plain) - 1)) or frozenset([plain])


def similarity(a: str, b: str) -> float:
    """0 (nothing in common) to 1 (the same words)."""
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x | y else 0.0


def near_duplicates(
    questions: Sequence[str], others: Sequence[tuple[str, str]], threshold: float = DUPLICATE_THRESHOLD
) -> dict[str, list[tuple[str, str, float]]]:
    """For each question, the (slug, question, similarity) of ``others`` (questions of other
    entries, with their slug) that are near duplicates of it, most alike first."""
    indexed = [(slug, text, _bigrams(text)) for slug, text in others]
    found: dict[str, list[tuple[str, str, float]]] = {}
    for question in questions:
        grams = _bigrams(question)
        hits = [(slug, text, len(grams & g) / len(grams | g)) for slug, text, g in indexed if grams | g]
        hits = sorted((h for h in hits if h[2] >= threshold), key=lambda h: -h[2])
        if hits:
            found[question] = hits
    return found


def group_similar(texts: Sequence[str], threshold: float = GROUP_THRESHOLD) -> list[list[int]]:
    """Indexes of ``texts`` grouped by similar wording (linked when at least ``threshold``
    alike), largest group first."""
    grams = [_bigrams(t) for t in texts]
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            union = grams[i] | grams[j]
            if union and len(grams[i] & grams[j]) / len(union) >= threshold:
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


@dataclass(frozen=True)
class SameQuestion:
    slug: str
    question: str
    other_slug: str
    other_question: str
    similarity: float


def same_questions(examples: Iterable[tuple[str, str]], threshold: float = SAME_QUESTION) -> list[SameQuestion]:
    """Pairs of (entry slug, question) from different entries that are the same question."""
    grams = [(slug, question, _bigrams(question)) for slug, question in examples]
    found = []
    for (slug, question, ga), (other, other_question, gb) in itertools.combinations(grams, 2):
        if slug != other and (score := len(ga & gb) / len(ga | gb)) >= threshold:
            found.append(SameQuestion(slug, question, other, other_question, round(score, 2)))
    return found
