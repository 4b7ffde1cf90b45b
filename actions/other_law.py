"""Questions of another law than the Civil Code, found two ways. By meaning: the message is at
least as close to the examples of the other_legal intent (nlu/general.yml) as to the examples of
any entry, both by the mean of their three nearest (nlu/matcher.py), and the classifier counts
other law among its likeliest intents, even when it ranks one of the assistant's topics first or is
too unsure to choose. And named in its own words: crime and punishment,
administrative review and suits, government information, intellectual property, tax, companies
and shareholdings, insurance, travel agencies, which court hears a case, shipping, waste. The
classifier's other_legal intent catches most of them; these words make sure that a question the
classifier took for one of the assistant's topics is referred to a person, never answered with an
entry (a company registered with a stolen identity card is no labour question, a famous trademark
no notarisation one). Legal aid and elections are the exceptions: a defendant's legal aid is the
assistant's own, and so is whether someone with a criminal record may stand for the committee.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from actions.entry_choice import intent_ranking, is_vague
from nlu.parse import ENTRY_MATCHES, OTHER_LAW_INTENT, OTHER_LAW_MATCH

OTHER_LAW = re.compile(
    "|".join(
        (
            # criminal law and procedure; 罪 but not 得罪, 受罪, 谢罪, 赔罪, 怪罪, 罪过; not 诈骗 either: an
            # old person asks whether a sales pitch is 诈骗, which the elderly-rights entries answer
            r"(?<![得受谢赔怪])罪(?!过)|判刑|坐牢|坐监|刑事|刑拘|拘留|缓刑|取保候审|追诉|贩毒|运毒|运输.{0,3}毒品|扒窃|盗窃",
            r"伪造.{0,3}信用卡|冒用.{0,6}信用卡",
            # administrative law, government information
            r"行政复议|行政诉讼|行政处罚|行政许可|国家赔偿|信息公开|政府信息",
            # intellectual property, tax, company law (registering a company, shareholdings)
            r"著作权|版权|作品|表演者|表演权|广播组织|翻唱|邻接权|商标|类似商品|类似服务|专利|"
            r"个人所得税|个税|偷税|逃税|股东|股权|退股|注册.{0,3}公司|有限合伙|合伙企业",
            # insurance law, travel law, and which court hears a case (civil procedure)
            r"保险人|投保人|被保险人|代位求偿|保险利益|旅行社|旅游者|旅游经营者|管辖",
            # maritime law, and the environmental law on waste
            r"海上|船舶|海运|提单|固体废物|固体垃圾|危险废物",
        )
    )
)


#: The topics whose questions may name another law and still be their own: legal aid for a
#: defendant, a candidate's criminal record or bribery at an election.
KEPT = {"service.legal_aid", "election.committee"}

#: How many of the classifier's likeliest intents may hold other_legal for nearness to count.
LIKELIEST_INTENTS = 3


def near_other_law(text: str, parse: Mapping) -> bool:
    """The message's three nearest other-law examples are as close as the closest entry's three,
    and other_legal is among the classifier's LIKELIEST_INTENTS (its fallback aside), and the
    message is more than a word or two. A message that says little (我想了解一下, 咨询) is about as
    near to any set, and its nearest may be other law's by chance. No exception for legal aid or
    elections here: their entries' own examples are in the comparison, and a question of copyright
    the classifier took for an election is still one."""
    other_law, entries = parse.get(OTHER_LAW_MATCH), parse.get(ENTRY_MATCHES) or []
    if other_law is None or not entries or other_law < entries[0]["top3"] or is_vague(text):
        return False
    likeliest = [name for name, _ in intent_ranking(parse) if name != "nlu_fallback"]
    return OTHER_LAW_INTENT in likeliest[:LIKELIEST_INTENTS]


def is_other_law(topic: str | None, text: str, parse: Mapping) -> bool:
    """The question is near other-law examples, or names another law and the classifier did not
    take it for legal aid or an election."""
    return near_other_law(text, parse) or (topic not in KEPT and bool(OTHER_LAW.search(text)))
