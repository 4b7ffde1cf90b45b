"""The routing contract: topic and action codes every part of legalbot shares.

Copied from the product's TOPICS.md so a user's machine needs nothing outside this
repository. Do not rename a code: evaluation, analytics and adviser routing use them.
"""

from __future__ import annotations

import enum

TOPICS: dict[str, str] = {
    "civil.marriage": "婚姻家庭",
    "civil.inheritance": "继承与遗嘱",
    "civil.property": "物权与邻里",
    "civil.contract": "合同与借贷",
    "civil.tort": "侵权责任",
    "civil.personality": "人格权",
    "civil.general": "民法总则",
    "notary.elderly": "老年人公证服务",
    "elderly.rights": "老年人权益与优待",
    "election.committee": "村（居）委会换届选举",
    "service.legal_aid": "法律援助",
    "service.mediation": "人民调解",
    "labour.dispute": "劳动争议",
    "other.legal": "其他法律问题",
    "smalltalk": "寒暄",
    "out_of_scope": "非法律问题",
}

#: Topics that knowledge entries may belong to (the assistant answers these itself).
ENTRY_TOPICS: tuple[str, ...] = tuple(t for t in TOPICS if t not in ("other.legal", "smalltalk", "out_of_scope"))


class Action(str, enum.Enum):
    """What the assistant does with a message (the routing contract's action codes)."""

    answer = "answer"  # a published entry answers it, with its legal basis
    clarify = "clarify"  # two or more entries fit: ask which one (buttons)
    article = "article"  # a statute article asked for by name and number
    handoff = "handoff"  # a person should take it (asked for, complex, other law, failures)
    emergency = "emergency"  # danger to a person: safety information first, then a priority case
    smalltalk = "smalltalk"
    out_of_scope = "out_of_scope"


def intent_for_topic(topic: str) -> str:
    """The Rasa retrieval intent that holds a topic's entries (dots are not valid in intents)."""
    return "kb_" + topic.replace(".", "_")


def topic_for_intent(intent: str) -> str | None:
    """Inverse of :func:`intent_for_topic`; None for intents that are not knowledge intents."""
    base = intent.split("/", 1)[0]
    for topic in ENTRY_TOPICS:
        if intent_for_topic(topic) == base:
            return topic
    return None
