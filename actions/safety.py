"""Danger to a person, and questions that need a person, found two ways: by the words residents
use (patterns) and by meaning — the parse's nearness to the curated example sets of
nlu/safety.yml (nlu/matcher.py). Either is enough: a missed emergency costs far more than a
safety notice and the offer of a person given to someone who did not need them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from nlu.parse import SAFETY

# Danger to a person is never left to a classifier alone: these words force the safety reply.
DANGER = re.compile(
    r"家暴|家庭暴力|打我|打死我|杀了?我|弄死我|斩死我|砍死我|掐我|拿刀(威胁|要|对着)|救命|"
    r"我(想|要)(自杀|死|跳楼|跳河|轻生)|不想活|想寻死|结束自己|威胁我|跟踪我|把我关"
)
# A dispute already before a court: an adviser should look at it.
LITIGATION = re.compile(r"已经起诉|起诉了|告上法庭|开庭|立案了|判决书|一审|二审|上诉|法院判|被告了|传票")
# The resident asks for a person in their own words (the /human button is the request_human intent).
ASKS_FOR_PERSON = re.compile(r"人工|真人|活人|找律师|请律师|搵律师|律师跟进|打电话给我|打電話給我|同个人倾|跟人聊")
COMPLEX_LENGTH = 200  # characters: a story this long has facts an adviser should weigh

#: Nearness to a curated set counts when the message is at least this close to one of its
#: examples (cosine of e5 vectors) and closer to it than to the ordinary questions by MARGIN.
DANGER_SIMILARITY, DANGER_MARGIN = 0.88, 0.0
PERSON_SIMILARITY, PERSON_MARGIN = 0.89, 0.01


def _near(parse: Mapping, name: str, similarity: float, margin: float) -> bool:
    near = parse.get(SAFETY) or {}
    return near.get(name, 0.0) >= similarity and near.get(name, 0.0) >= near.get("ordinary", 0.0) + margin


def in_danger(text: str, parse: Mapping) -> bool:
    """Someone is in danger now: violence, threats, self-harm, a missing elderly person or child."""
    return bool(DANGER.search(text)) or _near(parse, "danger", DANGER_SIMILARITY, DANGER_MARGIN)


def asks_for_person(text: str) -> bool:
    return bool(ASKS_FOR_PERSON.search(text))


def needs_person(text: str, parse: Mapping) -> bool:
    """A lawsuit started or planned, a lawyer's letter, a summons, a long dispute among many, or
    a request for a person: an adviser should take it."""
    return (
        bool(LITIGATION.search(text))
        or len(text) > COMPLEX_LENGTH
        or asks_for_person(text)
        or _near(parse, "needs_person", PERSON_SIMILARITY, PERSON_MARGIN)
    )
