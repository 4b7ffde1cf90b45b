"""Which entry answers a question, or which two or three to offer: the response selector's
ranking combined with how close the question is to each entry's own example questions (the
parse's entry matches, nlu/matcher.py). An entry is answered outright only when it clearly fits:
a wrong outright answer is worse than a clarifying question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from knowledge.models import Entry
from nlu.parse import ENTRY_MATCHES

#: The combined score: the selector's confidence (a softmax over all entries, so modest values)
#: plus SIMILARITY_WEIGHT × how far the question's nearest example of the entry is above
#: SIMILARITY_FLOOR (cosine of e5 vectors; unrelated Chinese questions sit around 0.8).
SIMILARITY_WEIGHT, SIMILARITY_FLOOR = 4.0, 0.85
#: Answer outright when the best entry scores at least ANSWER_SCORE and its runner-up at most
#: RIVAL_RATIO of it; otherwise offer the best MAX_CHOICES above CHOICE_FLOOR.
ANSWER_SCORE, RIVAL_RATIO = 0.45, 0.6
CHOICE_FLOOR = 0.1
MAX_CHOICES = 3


@dataclass(frozen=True)
class Candidate:
    slug: str
    selector: float = 0.0  # the response selector's confidence
    similarity: float = 0.0  # cosine to the entry's nearest example question (0 when unknown)

    @property
    def score(self) -> float:
        return self.selector + SIMILARITY_WEIGHT * max(self.similarity - SIMILARITY_FLOOR, 0.0)


def selector_ranking(parse: Mapping) -> list[tuple[str, float]]:
    selector = (parse.get("response_selector") or {}).get("default") or {}
    return [
        ((item.get("intent_response_key") or "").split("/", 1)[-1], float(item.get("confidence") or 0.0))
        for item in selector.get("ranking") or []
    ]


def candidates(parse: Mapping, entries: Mapping[str, Entry], topic: str | None) -> list[Candidate]:
    """Published entries the selector ranked or whose examples are close, best first; those of
    the routed topic first when there are any."""
    selector = {slug: conf for slug, conf in selector_ranking(parse) if slug in entries}
    similar = {m["entry"]: float(m["similarity"]) for m in parse.get(ENTRY_MATCHES) or [] if m["entry"] in entries}
    found = [Candidate(slug, selector.get(slug, 0.0), similar.get(slug, 0.0)) for slug in {*selector, *similar}]
    found.sort(key=lambda c: (-c.score, c.slug))
    same_topic = [c for c in found if entries[c.slug].topic == topic]
    return same_topic or found


def choose(found: list[Candidate]) -> tuple[Candidate | None, list[Candidate]]:
    """The entry to answer with (or None) and, when none clearly fits, the entries to offer."""
    if not found:
        return None, []
    best, rivals = found[0], found[1:]
    close = [c for c in rivals if c.score >= RIVAL_RATIO * best.score]
    if best.score >= ANSWER_SCORE and not close:
        return best, []
    return None, [c for c in [best, *(close or rivals)] if c.score >= CHOICE_FLOOR][:MAX_CHOICES]
