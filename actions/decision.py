"""The one decision: from an NLU result to a topic code, an action code and an entry.

Both the live assistant (action_consult) and `legalbot route` call :func:`decide`, so what
the evaluation measures is what residents get. It is a pure function of the NLU parse and
the published entries; conversation state (failed turns in a row) is applied by the caller,
through :func:`failed_turns_after`, as pure as the decision itself.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from actions import safety
from actions.entry_choice import (
    CHOICE_FLOOR,
    EMERGENCY_MARGIN,
    MAX_CHOICES,
    SURE_TOPIC,
    Candidate,
    candidates,
    choose,
    intent_ranking,
    is_vague,
    offer_both,
    selector_ranking,
)
from actions.other_law import is_other_law
from knowledge.models import Entry
from knowledge.render import citation_dicts
from knowledge.statutes import CIVIL_BOOKS, CIVIL_CODE, ArticleRef, parse_article_ref
from knowledge.topics import Action, topic_for_intent
from nlu.parse import ENTRY_MATCHES, OTHER_LAW_INTENT
from nlu.text import letters_and_digits, normalize_text

SMALLTALK_INTENTS = {
    "greet",
    "thanks",
    "goodbye",
    "bot_challenge",
    "affirm",
    "deny",
    "feedback_helpful",
    "feedback_unhelpful",
}

#: A message of a word or two whose likeliest intent is small talk is small talk even below the
#: fallback threshold when that intent reaches this (the examples themselves, 你好 or 在吗, are read
#: by nlu/known_phrases.py; this is for the greetings they do not list): a greeting costs nothing
#: if it was not one, legal entries offered for a greeting only confuse. Gibberish stays not
#: understood.
SMALLTALK_FLOOR = 0.2

CHOOSE_ENTRY = "choose_entry"  # a clarifying button, pressed now or from an old message

# The topic of articles of laws other than the Civil Code.
_LAW_TOPICS = (
    ("村民委员会组织法", "election.committee"),
    ("居民委员会组织法", "election.committee"),
    ("公证法", "notary.elderly"),
    ("老年人权益保障法", "elderly.rights"),
    ("法律援助法", "service.legal_aid"),
    ("人民调解法", "service.mediation"),
    ("劳动", "labour.dispute"),
)


class HandoffReason(str, enum.Enum):
    """Why a decision hands the conversation to a person (or offers one)."""

    request = "request"  # the resident asked for a person
    other_legal = "other_legal"  # a question of another law than the assistant answers
    complex = "complex"  # a lawsuit under way or a long story: answer what can be, offer a person
    emergency = "emergency"


@dataclass
class Decision:
    topic: str
    action: Action
    entry: str | None = None
    citations: list[dict] = field(default_factory=list)
    confidence: float = 0.0
    choices: list[str] = field(default_factory=list)  # entry slugs offered when clarifying
    reason: HandoffReason | None = None
    article: ArticleRef | None = None
    intent: str | None = None

    def contract(self) -> dict:
        """The fields of the routing contract (legalbot route)."""
        return {
            "topic": self.topic,
            "action": self.action.value,
            "entry": self.entry,
            "citations": self.citations,
            "confidence": round(self.confidence, 4),
        }


def topic_of_article(law: str, number: int) -> str:
    if law == CIVIL_CODE:
        return next((topic for last, topic in CIVIL_BOOKS if number <= last), "civil.general")
    return next((topic for key, topic in _LAW_TOPICS if key in law), "other.legal")


def _best_topic(parse: Mapping) -> tuple[str | None, float]:
    """The most likely knowledge topic, looking past nlu_fallback and general intents."""
    for name, confidence in intent_ranking(parse):
        topic = topic_for_intent(name)
        if topic:
            return topic, confidence
    return None, 0.0


def _request_topic(parse: Mapping) -> str:
    """The topic of a request for a person: the matter the message names when the classifier ranks
    it above the bare request (离婚的事我想找律师); otherwise "other.legal", and the action takes
    the conversation's last question ("转人工" right after asking about proxy voting)."""
    for name, confidence in intent_ranking(parse):
        if name == "request_human":
            break
        topic = topic_for_intent(name)
        if topic and confidence >= CHOICE_FLOOR:
            return topic
    return "other.legal"


def _short_smalltalk(text: str, parse: Mapping) -> str | None:
    """The small-talk intent of a short message the fallback caught, if it is its likeliest."""
    if not is_vague(text):
        return None
    likeliest = next(((n, c) for n, c in intent_ranking(parse) if n != "nlu_fallback"), None)
    if likeliest and likeliest[0] in SMALLTALK_INTENTS and likeliest[1] >= SMALLTALK_FLOOR:
        return likeliest[0]
    return None


def slugs_in(parse: Mapping) -> set[str]:
    """The entries a parse can lead to: those the selector ranks, those with close examples and a
    picked button's entry. decide() needs no others, so the live action loads only these."""
    ranked = {slug for slug, _ in selector_ranking(parse)} | {m["entry"] for m in parse.get(ENTRY_MATCHES) or []}
    return ranked | {e.get("value") for e in parse.get("entities") or [] if e.get("entity") == "entry"}


def _alongside(best: Candidate | None, intent: str, entries: Mapping[str, Entry]) -> dict:
    """The entry (and its citations) an emergency or a handoff answers beside the person, if any:
    none when the classifier did not understand the message (nlu_fallback)."""
    if best is None or intent == "nlu_fallback":
        return {}
    entry = entries[best.slug]
    return {"entry": entry.slug, "citations": citation_dicts(entry)}


def _answer(entry: Entry, confidence: float, intent: str) -> Decision:
    return Decision(
        topic=entry.topic,
        action=Action.answer,
        entry=entry.slug,
        citations=citation_dicts(entry),
        confidence=confidence,
        intent=intent,
    )


def decide(parse: Mapping, entries: Mapping[str, Entry]) -> Decision:
    """Route one parsed message. ``entries``: the published entries by slug."""
    text = normalize_text(parse.get("text") or "")
    intent = (parse.get("intent") or {}).get("name") or "nlu_fallback"
    confidence = float((parse.get("intent") or {}).get("confidence") or 0.0)
    topic, topic_confidence = _best_topic(parse)

    if intent == "emergency" or safety.in_danger(text, parse):
        # Safety first and a person at once; and when one entry clearly answers what was asked
        # (老公打我，能离婚并要赔偿吗), its answer too: the safety notice must not cost the answer.
        answer, _ = choose(candidates(parse, entries, topic), vague=is_vague(text), margin=EMERGENCY_MARGIN)
        return Decision(
            topic or "other.legal",
            Action.emergency,
            **_alongside(answer, intent, entries),
            confidence=confidence,
            reason=HandoffReason.emergency,
            intent=intent,
        )

    ref = parse_article_ref(text)
    if ref is not None:
        if ref.law is None:  # a repealed or unknown law: the reply explains which
            return Decision(topic or "other.legal", Action.article, confidence=confidence, article=ref, intent=intent)
        return Decision(
            topic_of_article(ref.law, ref.number),
            Action.article,
            confidence=1.0,
            citations=[{"law": ref.law, "article": ref.number}],
            article=ref,
            intent=intent,
        )

    if intent == CHOOSE_ENTRY:
        slug = next((e.get("value") for e in parse.get("entities") or [] if e.get("entity") == "entry"), None)
        if slug is not None and slug in entries:
            return _answer(entries[slug], 1.0, intent)
        return Decision("out_of_scope", Action.clarify, confidence=0.0, intent=intent)  # an entry since retired

    if intent == "request_human" or safety.asks_for_person(text):
        return Decision(
            _request_topic(parse),
            Action.handoff,
            confidence=confidence,
            reason=HandoffReason.request,
            intent=intent,
        )
    if intent == "nlu_fallback":
        intent = _short_smalltalk(text, parse) or intent
    if intent in SMALLTALK_INTENTS:
        return Decision("smalltalk", Action.smalltalk, confidence=confidence, intent=intent)
    if intent == "out_of_scope":
        return Decision("out_of_scope", Action.out_of_scope, confidence=confidence, intent=intent)
    if intent == OTHER_LAW_INTENT or is_other_law(topic, text, parse):
        return Decision(
            "other.legal", Action.handoff, confidence=confidence, reason=HandoffReason.other_legal, intent=intent
        )

    if not letters_and_digits(text):
        # "？", "。。。", an emoji: every entry is equally far from it, so none is worth offering.
        return Decision("out_of_scope", Action.clarify, confidence=0.0, intent=intent)
    found = candidates(parse, entries, topic)
    if safety.needs_person(text, parse):
        # A lawsuit, a lawyer's letter, a long dispute: answer what can be answered, offer an adviser.
        return Decision(
            topic or "other.legal",
            Action.handoff,
            **_alongside(found[0] if found else None, intent, entries),
            confidence=confidence,
            reason=HandoffReason.complex,
            intent=intent,
        )
    answer, choices = choose(found, vague=is_vague(text))
    if answer is not None and topic is not None and topic_confidence >= SURE_TOPIC and answer.topic != topic:
        # A sure classifier and the closest entry disagree: ask. The topic is the entry's, which is
        # right more often than the classifier's when they disagree (23 of 39 against 15, SURE_TOPIC).
        offered = [c.slug for c in offer_both(found, topic)]
        return Decision(answer.topic, Action.clarify, confidence=topic_confidence, choices=offered, intent=intent)
    if intent == "nlu_fallback" or topic is None or answer is None:
        # Not sure what was meant: ask, offering the closest entries if any is plausible.
        offered = [c.slug for c in choices] if answer is None else [c.slug for c in found[:MAX_CHOICES]]
        return Decision(
            topic or "out_of_scope", Action.clarify, confidence=topic_confidence, choices=offered, intent=intent
        )
    return _answer(entries[answer.slug], confidence * answer.score, intent)


def not_understood(decision: Decision) -> bool:
    """The assistant made nothing of the message: a clarification with no entry to offer. A
    clarification with choices understood enough to ask, and a button of an entry since retired
    was understood too (the resident is told it is out of date)."""
    return decision.action == Action.clarify and not decision.choices and decision.intent != CHOOSE_ENTRY


def failed_turns_after(decision: Decision, before: int) -> int:
    """Messages not understood in a row, counting this one; anything understood starts again at
    0, so "没能帮上忙" comes only after two messages that truly were not understood."""
    return before + 1 if not_understood(decision) else 0
