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
            r"家暴|家庭暴力|打我|打骂|打死我|对我动手|动手打|又打|被打(?![烂碎破坏扰折印开包卡针])|打伤我|打伤了我|把我打伤|打到.{0,6}(肿|流血|入院|住院)|"
            r"掐(我|住)|推我|扇我|扇.{0,2}耳光|踢我|殴打|用.{0,4}(皮带|衣架|棍|棒|拖鞋).{0,2}(打|抽)",
            # threats and weapons
            r"杀了?我|弄死|搞死|斩死|斩(我|你|佢)|砍死|(淋|泼).{0,2}(红油|油漆)|拿着?(菜)?刀|持刀|威胁我|恐吓|泼.{0,3}(硫酸|汽油)|放火|跟踪我|要(我|你)好看",
            # someone shut in
            r"把我关|关在(房|屋)|锁在(房|屋)|不让我出门|唔俾我出(门|街)|收走.{0,4}手机",
            # a dependant left without food or medicine
            r"不给.{0,3}(饭吃|吃饭|吃的)|唔俾.{0,3}(饭食|嘢食)|(藏|收|扔).{0,3}(药)",
            # self-harm
            r"救命|我(想|要)(自杀|死|跳楼|跳河|轻生)|不想活|唔想.{0,2}活|活不下去|想寻死|轻生|寻短见|"
            # someone on a roof, not the roof of a building dispute (天台加建, 天台租出去)
            r"(站|企|坐|爬|走|行|上)(在|喺|上|到|咗)*天台|(我|而家|现在|一个人)(在|喺)天台|"
            r"结束自己|了结自己|一了百了|割脉|安眠药",
            # a child not brought back
            r"(接走|带走|抢走|抱走).{0,30}(没送回|不送回|唔送返|冇送返|不还|关机|联系不上)",
        )
    )
)
# A relative missing now (not a parcel: 快递话揾唔到件)...
MISSING = re.compile(
    _FAMILY + r".{0,20}(失踪|走失|走丢|不见了|冇返|没回来|未返|找不到|揾唔到|联系不上)(?![件货嘢]|东西|包裹)"
)
# ...not gone for years (走失咗两年, 失踪五年: declaring them missing is a question to answer) nor
# found again (老人走失后找到了).
NOT_MISSING_NOW = re.compile(
    r"(失踪|走失|走丢|不见|离家|冇返|没回来).{0,2}[一二两三四五六七八九十几多0-9]+年|(已经|后|之后)(找|搵|揾)到|找到了|揾到了|搵到了"
)
# A dispute already before a court or about to be, a lawyer's letter, a summons: an adviser should
# look at it.
LITIGATION = re.compile(
    r"已经起诉|起诉了|起诉我|被起诉|起诉状副本|答辩|告上法庭|开庭|立案|判决|一审|二审|上诉|法院判|被告了|传票|应诉|律师函|律师信|律师楼.{0,6}信|打官司|"
    r"仲裁裁决|裁决书|强制执行|"
    # a dispute on its way to court ("几兄弟争到要上法院"), not asking whether one may go ("去法院")
    r"上法院|上法庭|"
    # planning to sue ("能不能告政府", "我想告佢"), not 告诉 / 告知
    r"(想|要|能不能|可不可以|可唔可以|点样|怎样|怎么|去)告(?![诉訴知])"
)
# Court named to say it is not wanted ("不想打官司，能不能调解"): that is a question to answer.
NO_COURT = re.compile(r"(不想|唔想|不用|唔使|除了|避免|不必|不愿|免得|无需|不打算).{0,2}(打官司|上法院|上法庭|起诉|告)")
# A lawyer wanted now, or hired by either side (请咗律师, 請了一位律師): a person should look at it.
# Not a lawyer the resident cannot afford (没钱请律师: legal aid answers that) nor a lawyer as a
# will's witness (律师见证: the notary entries answer that).
LAWYER_WANTED = re.compile(
    r"(想|要|需要|帮我|点样|怎样|怎么|去边度|去哪里|哪里)(找|搵|揾|请)(个|一个|位|一位)?律师(?!见证)"
)
LAWYER_HIRED = re.compile(r"(找|搵|揾|请)(咗|了)(个|一个|位|一位)?律师")
NO_LAWYER = re.compile(
    r"(没钱|冇钱|没有钱|唔够钱|不够钱|没|冇|未|没有)(请|找|搵|揾)(个|一个|位|一位)?律师|(请|找)(不起|唔起)律师|"
    r"(请|找|搵|揾)律师.{0,3}(没钱|冇钱|负担不起|付不起|请不起|请唔起|太贵)"
)
# The resident asks for a person in their own words (the /human button is the request_human intent).
ASKS_FOR_PERSON = re.compile(
    r"真人|活人|律师跟进|专业的人|同个人倾|同个真人|跟人聊|找个人帮|"
    # to be called back (打个电话给我, 给我回个电话, 安排个法律顾问联系我), not a debt collector who
    # 天天给我打电话
    r"打电话给我|(回|打)(个|一个)电话(给|俾|畀)我|(给|俾|畀)我回(个|一个)?电话|安排.{0,6}(顾问|律师|人).{0,6}(联系|回电|电话)|"
    # 人工 as a human operator (转人工, 人工客服), not 人工 as wages in Cantonese (拖咗两个月人工,
    # 两倍人工), 人工智能 or 欠人工程款
    r"(转|找|搵|揾|接|叫|要)人工(?!智能|费|程)|人工(客服|服务|坐席|接线|回复|帮|同我|跟我|打电话|倾|聊|对话)"
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
    return (
        bool(DANGER.search(text))
        or (bool(MISSING.search(text)) and not NOT_MISSING_NOW.search(text))
        or _near(parse, "danger", DANGER_SIMILARITY, DANGER_MARGIN)
    )


def asks_for_person(text: str) -> bool:
    return bool(ASKS_FOR_PERSON.search(text)) or (bool(LAWYER_WANTED.search(text)) and not NO_LAWYER.search(text))


def _litigation(text: str) -> bool:
    """A court case under way or planned, or a lawyer hired, in what the message says is so."""
    said = NO_COURT.sub("", text)
    return bool(LITIGATION.search(said)) or (bool(LAWYER_HIRED.search(said)) and not NO_LAWYER.search(said))


def needs_person(text: str, parse: Mapping) -> bool:
    """A lawsuit started or planned, a lawyer's letter, a summons, a long dispute among many, or
    a request for a person: an adviser should take it."""
    return (
        _litigation(text)
        or len(text) > COMPLEX_LENGTH
        or asks_for_person(text)
        or _near(parse, "needs_person", PERSON_SIMILARITY, PERSON_MARGIN)
    )
