"""The one decision: from an NLU result to a topic code, an action code and an entry.

Both the live assistant (action_consult) and `legalbot route` call :func:`decide`, so what
the evaluation measures is what residents get. It is a pure function of the NLU parse and
the published entries; conversation state (failed turns in a row) is applied by the caller.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from knowledge.models import Entry
from knowledge.render import citation_dicts
from knowledge.statutes import CIVIL_BOOKS, CIVIL_CODE, ArticleRef, parse_article_ref
from knowledge.topics import Action, topic_for_intent
from nlu.text import normalize_text

#: An entry is answered outright only when the response selector gives it at least this
#: confidence (a softmax over all entries, so values are modest) and no rival comes within
#: CLARIFY_RATIO of it; otherwise the resident is asked which entry is meant. When the topic
#: itself is uncertain, only entries above CANDIDATE_FLOOR are offered.
ANSWER_CONFIDENCE = 0.3
CLARIFY_RATIO = 0.5
CANDIDATE_FLOOR = 0.1
MAX_CHOICES = 3

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

# Danger to a person is never left to a classifier alone: these words force the safety reply.
_DANGER = re.compile(
    r"家暴|家庭暴力|打我|打死我|杀了?我|弄死我|斩死我|砍死我|掐我|拿刀(威胁|要|对着)|救命|"
    r"我(想|要)(自杀|死|跳楼|跳河|轻生)|不想活|想寻死|结束自己|威胁我|跟踪我|把我关"
)
# A dispute already before a court, or a long story with many facts: an adviser should look at it.
_LITIGATION = re.compile(r"已经起诉|起诉了|告上法庭|开庭|立案了|判决书|一审|二审|上诉|法院判|被告了|传票")
COMPLEX_LENGTH = 200

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


def _intent_ranking(parse: Mapping) -> list[tuple[str, float]]:
    ranking = parse.get("intent_ranking") or [parse.get("intent") or {}]
    return [(r.get("name") or "", float(r.get("confidence") or 0.0)) for r in ranking]


def _best_topic(parse: Mapping) -> tuple[str | None, float]:
    """The most likely knowledge topic, looking past nlu_fallback and general intents."""
    for name, confidence in _intent_ranking(parse):
        topic = topic_for_intent(name)
        if topic:
            return topic, confidence
    return None, 0.0


def slugs_in(parse: Mapping) -> set[str]:
    """The entries a parse can lead to: those the selector ranks and a picked button's entry.
    decide() needs no others, so the live action loads only these."""
    selector = (parse.get("response_selector") or {}).get("default") or {}
    ranked = {(item.get("intent_response_key") or "").split("/", 1)[-1] for item in selector.get("ranking") or []}
    return ranked | {e.get("value") for e in parse.get("entities") or [] if e.get("entity") == "entry"}


def entry_candidates(parse: Mapping, entries: Mapping[str, Entry], topic: str | None) -> list[tuple[str, float]]:
    """Published entries as the response selector ranks them: those of the routed topic, or all
    if the selector ranks none of that topic."""
    selector = (parse.get("response_selector") or {}).get("default") or {}
    ranked = [
        ((item.get("intent_response_key") or "").split("/", 1)[-1], float(item.get("confidence") or 0.0))
        for item in selector.get("ranking") or []
    ]
    ranked = [(slug, conf) for slug, conf in ranked if slug in entries]
    same_topic = [c for c in ranked if entries[c[0]].topic == topic]
    return same_topic or ranked


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

    if intent == "emergency" or _DANGER.search(text):
        return Decision(
            topic=topic or "other.legal",
            action=Action.emergency,
            confidence=confidence,
            reason=HandoffReason.emergency,
            intent=intent,
        )

    ref = parse_article_ref(text)
    if ref is not None:
        if ref.law is None:  # a repealed or unknown law: the reply explains which
            return Decision(
                topic=topic or "other.legal", action=Action.article, confidence=confidence, article=ref, intent=intent
            )
        return Decision(
            topic=topic_of_article(ref.law, ref.number),
            action=Action.article,
            confidence=1.0,
            citations=[{"law": ref.law, "article": ref.number}],
            article=ref,
            intent=intent,
        )

    if intent == "choose_entry":
        slug = next((e.get("value") for e in parse.get("entities") or [] if e.get("entity") == "entry"), None)
        if slug is not None and slug in entries:
            return _answer(entries[slug], 1.0, intent)
        return Decision(topic="out_of_scope", action=Action.clarify, confidence=0.0, intent=intent)

    if intent in SMALLTALK_INTENTS:
        return Decision(topic="smalltalk", action=Action.smalltalk, confidence=confidence, intent=intent)
    if intent == "out_of_scope":
        return Decision(topic="out_of_scope", action=Action.out_of_scope, confidence=confidence, intent=intent)
    if intent == "request_human":
        return Decision(
            topic=topic if topic and topic_confidence >= CANDIDATE_FLOOR else "other.legal",
            action=Action.handoff,
            confidence=confidence,
            reason=HandoffReason.request,
            intent=intent,
        )
    if intent == "other_legal":
        return Decision(
            topic="other.legal",
            action=Action.handoff,
            confidence=confidence,
            reason=HandoffReason.other_legal,
            intent=intent,
        )

    candidates = entry_candidates(parse, entries, topic)
    if intent == "nlu_fallback" or topic is None or not candidates:
        # Not sure what was meant: ask, offering the closest entries if any is plausible.
        return Decision(
            topic=topic or "out_of_scope",
            action=Action.clarify,
            confidence=topic_confidence,
            choices=[slug for slug, conf in candidates[:MAX_CHOICES] if conf >= CANDIDATE_FLOOR],
            intent=intent,
        )

    (best, best_conf), rivals = candidates[0], candidates[1:]
    if _LITIGATION.search(text) or len(text) > COMPLEX_LENGTH:
        # Answer what can be answered, and offer an adviser for the whole story.
        return Decision(
            topic=topic,
            action=Action.handoff,
            entry=best,
            citations=citation_dicts(entries[best]),
            confidence=confidence * best_conf,
            reason=HandoffReason.complex,
            intent=intent,
        )
    close = [slug for slug, conf in rivals if conf >= CLARIFY_RATIO * best_conf]
    if best_conf < ANSWER_CONFIDENCE or close:
        # The topic is known but not the entry ("离婚"): offer the topic's most likely entries.
        return Decision(
            topic=topic,
            action=Action.clarify,
            confidence=confidence * best_conf,
            choices=[best, *(close or [slug for slug, _ in rivals])][:MAX_CHOICES],
            intent=intent,
        )
    return _answer(entries[best], confidence * best_conf, intent)
