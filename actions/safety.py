"""Danger to a person, and questions that need a person, found two ways: by the words residents
use (patterns) and by meaning — the parse's nearness to the curated example sets of
nlu/safety.yml (nlu/matcher.py). Either is enough: a missed emergency costs far more than a
safety notice and the offer of a person given to someone who did not need them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from nlu.parse import SAFETY

_FAMILY = (
    r"(老人|老人家|老豆|阿爸|阿妈|我妈|我爸|母亲|父亲|妈妈|爸爸|奶奶|爷爷|外婆|外公|阿嫲|阿爷|老伴|"
    r"孩子|小孩|细路|女儿|儿子|个仔|个女|仔女)"
)
# Danger to a person is never left to a classifier alone: these words force the safety reply.
DANGER = re.compile(
    "|".join(
        (
            # violence, now or again
            r"家暴|家庭暴力|打我|打骂|打死我|对我动手|动手打|又打|被打|打伤我|打伤了我|把我打伤|打到.{0,6}(肿|流血|入院|住院)|"
            r"掐(我|住)|推我|扇我|扇.{0,2}耳光|踢我|殴打|用.{0,4}(皮带|衣架|棍|棒|拖鞋).{0,2}(打|抽)",
            # threats and weapons
            r"杀了?我|弄死|搞死|斩死|砍死|拿着?(菜)?刀|持刀|威胁我|恐吓|泼.{0,3}(硫酸|汽油)|放火|跟踪我|要(我|你)好看",
            # someone shut in
            r"把我关|关在(房|屋)|锁在(房|屋)|不让我出门|唔俾我出(门|街)|收走.{0,4}手机",
            # a dependant left without food or medicine
            r"不给.{0,3}(饭吃|吃饭|吃的)|唔俾.{0,3}(饭食|嘢食)|(藏|收|扔).{0,3}(药)",
            # self-harm
            r"救命|我(想|要)(自杀|死|跳楼|跳河|轻生)|不想活|唔想.{0,2}活|活不下去|想寻死|轻生|寻短见|天台|"
            r"结束自己|了结自己|一了百了|割脉|安眠药",
            # a person missing, a child not brought back
            _FAMILY + r".{0,20}(失踪|走失|走丢|不见了|冇返|没回来|未返|找不到|揾唔到|联系不上)",
            r"(接走|带走|抢走|抱走).{0,30}(没送回|不送回|唔送返|冇送返|不还|关机|联系不上)",
        )
    )
)
# A dispute already before a court or about to be, a lawyer's letter, a summons: an adviser should
# look at it.
LITIGATION = re.compile(
    r"已经起诉|起诉了|起诉我|告上法庭|开庭|立案|判决|一审|二审|上诉|法院判|被告了|传票|应诉|律师函|打官司|"
    r"仲裁裁决|裁决书|强制执行|"
    # a dispute on its way to court ("几兄弟争到要上法院"), not asking whether one may go ("去法院")
    r"上法院|上法庭|"
    # planning to sue ("能不能告政府", "我想告佢"), not 告诉 / 告知
    r"(想|要|能不能|可不可以|可唔可以|点样|怎样|怎么|去)告(?![诉訴知])"
)
# The resident asks for a person in their own words (the /human button is the request_human intent).
ASKS_FOR_PERSON = re.compile(
    r"人工|真人|活人|律师跟进|专业的人|打电话给我|同个人倾|同个真人|跟人聊|找个人帮|"
    # a lawyer sought or already hired, by either side: 找律师, 搵个律师, 请咗律师, 請了一位律師
    r"(找|搵|揾|请|請|要)(咗|了)?(个|個|一个|一個|位|一位)?律[师師]"
)
COMPLEX_LENGTH = 200  # characters: a story this long has facts an adviser should weigh

#: Nearness to a curated set counts when the message is at least this close to one of its
#: examples (cosine of e5 vectors) and closer to it than to the ordinary questions by MARGIN.
DANGER_SIMILARITY, DANGER_MARGIN = 0.915, 0.015
PERSON_SIMILARITY, PERSON_MARGIN = 0.925, 0.025


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
